package content

import (
	"strings"
	"time"
)

// Menus are a language's header and footer menus. An empty header menu
// leaves the header with its default navigation (active dossiers, then
// regions).
type Menus struct {
	Header []MenuItem `json:"header,omitempty"`
	Footer []MenuItem `json:"footer,omitempty"`
}

// MenuItem is one link of a menu; items nest one level.
type MenuItem struct {
	Label    string     `json:"label"`
	URL      string     `json:"url"` // a path on this site ("/about/") or an absolute http(s) URL
	Children []MenuItem `json:"children,omitempty"`
}

// Banner is the site-wide strip above every page: breaking news, a
// fundraising drive. It shows from Start (zero: now) until End (zero: until
// removed).
type Banner struct {
	Kind  string    `json:"kind"` // BannerBreaking, BannerFundraising or BannerNotice
	Text  string    `json:"text"`
	URL   string    `json:"url,omitempty"`
	Start time.Time `json:"start,omitzero"`
	End   time.Time `json:"end,omitzero"`
}

// Banner kinds.
const (
	BannerBreaking    = "breaking"
	BannerFundraising = "fundraising"
	BannerNotice      = "notice"
)

// Limits on menus.
const (
	MaxMenuItems = 40
	MaxMenuLabel = 80
)

// ShowsAt reports whether the banner is up at t.
func (b *Banner) ShowsAt(t time.Time) bool {
	return b != nil && b.Text != "" && (b.Start.IsZero() || !t.Before(b.Start)) && (b.End.IsZero() || t.Before(b.End))
}

// validateMenus checks every language's menus and the banner.
func (s *Settings) validateMenus(p Problems) {
	for lang, m := range s.Menus {
		if !ValidLanguageTag(lang) {
			p.Add("menus", "%q is not a language tag", lang)
		}
		for _, part := range []struct {
			name  string
			items []MenuItem
		}{{"header", m.Header}, {"footer", m.Footer}} {
			field := "menus." + lang + "." + part.name
			if len(part.items) > MaxMenuItems {
				p.Add(field, "has more than %d items", MaxMenuItems)
			}
			for i, it := range part.items {
				checkMenuItem(p, field, i, it)
				for j, c := range it.Children {
					if len(c.Children) > 0 {
						p.Add(field, "item %d.%d: menus nest one level only", i+1, j+1)
					}
					checkMenuItem(p, field, i, c)
				}
			}
		}
	}
	if b := s.Banner; b != nil {
		switch b.Kind {
		case "":
			b.Kind = BannerNotice
		case BannerBreaking, BannerFundraising, BannerNotice:
		default:
			p.Add("banner.kind", "must be breaking, fundraising or notice (got %q)", b.Kind)
		}
		checkText(p, "banner.text", b.Text, 1, 300)
		if b.URL != "" && !isHTTPURL(b.URL) && !strings.HasPrefix(b.URL, "/") {
			p.Add("banner.url", "%q must be a path on this site or an http(s) URL", b.URL)
		}
		if !b.Start.IsZero() && !b.End.IsZero() && !b.End.After(b.Start) {
			p.Add("banner.end", "must be after the start")
		}
	}
}

func checkMenuItem(p Problems, field string, i int, it MenuItem) {
	if strings.TrimSpace(it.Label) == "" || len(it.Label) > MaxMenuLabel {
		p.Add(field, "item %d: the label must be 1 to %d bytes", i+1, MaxMenuLabel)
	}
	if !isHTTPURL(it.URL) && !(strings.HasPrefix(it.URL, "/") && !strings.HasPrefix(it.URL, "//")) {
		p.Add(field, "item %d: %q must be a path on this site (/about/) or an http(s) URL", i+1, it.URL)
	}
}

package importer

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"folio/internal/render/markdown"
)

// WordPress eXtended RSS (WXR 1.0–1.2). Element names are matched by local
// name, since the wp: namespace URI carries the WXR version; the one clash,
// content:encoded against excerpt:encoded, is told apart by namespace.

type wxrText struct {
	XMLName xml.Name
	Value   string `xml:",chardata"`
}

type wxrTermRef struct {
	Domain   string `xml:"domain,attr"`
	Nicename string `xml:"nicename,attr"`
	Name     string `xml:",chardata"`
}

type wxrMeta struct {
	Key   string `xml:"meta_key"`
	Value string `xml:"meta_value"`
}

type wxrComment struct {
	ID          string `xml:"comment_id"`
	Author      string `xml:"comment_author"`
	AuthorEmail string `xml:"comment_author_email"`
	AuthorURL   string `xml:"comment_author_url"`
	Date        string `xml:"comment_date"`
	DateGMT     string `xml:"comment_date_gmt"`
	Content     string `xml:"comment_content"`
	Approved    string `xml:"comment_approved"`
	Type        string `xml:"comment_type"`
	Parent      string `xml:"comment_parent"`
}

type wxrItem struct {
	Title         string       `xml:"title"`
	Link          string       `xml:"link"`
	Creator       string       `xml:"creator"`
	Encoded       []wxrText    `xml:"encoded"`
	PostID        string       `xml:"post_id"`
	PostDate      string       `xml:"post_date"`
	PostDateGMT   string       `xml:"post_date_gmt"`
	PostName      string       `xml:"post_name"`
	PostPassword  string       `xml:"post_password"`
	Status        string       `xml:"status"`
	PostParent    string       `xml:"post_parent"`
	PostType      string       `xml:"post_type"`
	IsSticky      string       `xml:"is_sticky"`
	AttachmentURL string       `xml:"attachment_url"`
	Terms         []wxrTermRef `xml:"category"`
	Meta          []wxrMeta    `xml:"postmeta"`
	Comments      []wxrComment `xml:"comment"`
}

func (it *wxrItem) encoded(excerpt bool) string {
	for _, e := range it.Encoded {
		if strings.Contains(e.XMLName.Space, "excerpt") == excerpt {
			return e.Value
		}
	}
	return ""
}

func (it *wxrItem) meta(key string) string {
	for _, m := range it.Meta {
		if m.Key == key {
			return m.Value
		}
	}
	return ""
}

type wxrAuthor struct {
	Login       string `xml:"author_login"`
	Email       string `xml:"author_email"`
	DisplayName string `xml:"author_display_name"`
	FirstName   string `xml:"author_first_name"`
	LastName    string `xml:"author_last_name"`
}

type wxrCategory struct {
	Nicename    string `xml:"category_nicename"`
	Parent      string `xml:"category_parent"`
	Name        string `xml:"cat_name"`
	Description string `xml:"category_description"`
}

type wxrTag struct {
	Slug        string `xml:"tag_slug"`
	Name        string `xml:"tag_name"`
	Description string `xml:"tag_description"`
}

type wxrTerm struct {
	Taxonomy    string `xml:"term_taxonomy"`
	Slug        string `xml:"term_slug"`
	Name        string `xml:"term_name"`
	Description string `xml:"term_description"`
}

// attachment is what the first pass keeps of a WordPress attachment: enough
// to import it later as a post's featured image.
type attachment struct {
	url, title, caption, credit, alt string
	link, parent                     string // its attachment page, and the post it belongs to
}

type termInfo struct{ name, description, parent string }

// wxrBase is the blog's address, <wp:base_blog_url>: its path is the
// prefix of every old permalink and archive.
type wxrBase struct {
	Value string `xml:",chardata"`
}

// wxrIndex is what the first pass learns about the whole export.
type wxrIndex struct {
	items       int
	posts       int // items that become articles
	authors     map[string]wxrAuthor
	terms       map[string]termInfo // "category:slug", "post_tag:slug"
	attachments map[string]attachment
	byURL       map[string]string // attachment id by mediaKey of its file's address
	zone        *time.Location    // the blog's zone, inferred from post_date - post_date_gmt
	base        string            // path of the blog's address, "" at the root, "/blog" in a subdirectory
}

// WordPressError is a problem with the export file that stops an import.
type WordPressError struct {
	Line int // 1-based line in the file, 0 when unknown
	Item int // 1-based item number, 0 outside items
	Msg  string
}

func (e *WordPressError) Error() string {
	var where []string
	if e.Line > 0 {
		where = append(where, fmt.Sprintf("line %d", e.Line))
	}
	if e.Item > 0 {
		where = append(where, fmt.Sprintf("item %d", e.Item))
	}
	if len(where) == 0 {
		return "wordpress export: " + e.Msg
	}
	return "wordpress export: " + strings.Join(where, ", ") + ": " + e.Msg
}

// walkWXR streams the export: channel-level authors and terms go to
// onChannel, every <item> to onItem with its number and starting line.
// Only one item is in memory at a time.
func walkWXR(r io.Reader, onChannel func(v any), onItem func(n, line int, it *wxrItem) error) error {
	dec := xml.NewDecoder(r)
	// Exports hold HTML entities outside CDATA now and then.
	dec.Entity = xml.HTMLEntity
	n := 0
	sawRSS := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return wxrSyntax(dec, err, n)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		line, _ := dec.InputPos()
		var v any
		switch se.Name.Local {
		case "rss":
			sawRSS = true
			continue
		case "item":
			n++
			var it wxrItem
			if err := dec.DecodeElement(&it, &se); err != nil {
				return wxrSyntax(dec, err, n)
			}
			if err := onItem(n, line, &it); err != nil {
				return err
			}
			continue
		case "author":
			if !strings.Contains(se.Name.Space, "wordpress.org") {
				continue
			}
			v = &wxrAuthor{}
		case "category":
			v = &wxrCategory{}
		case "tag":
			v = &wxrTag{}
		case "base_blog_url":
			v = &wxrBase{}
		case "term":
			v = &wxrTerm{}
		default:
			continue
		}
		if err := dec.DecodeElement(v, &se); err != nil {
			return wxrSyntax(dec, err, n)
		}
		if onChannel != nil {
			onChannel(v)
		}
	}
	if !sawRSS {
		return &WordPressError{Msg: "not a WordPress export: no <rss> element"}
	}
	return nil
}

func wxrSyntax(dec *xml.Decoder, err error, item int) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &WordPressError{Line: se.Line, Msg: se.Msg}
	}
	line, _ := dec.InputPos()
	return &WordPressError{Line: line, Item: item, Msg: err.Error()}
}

// wpTime parses WordPress's "2006-01-02 15:04:05"; ok is false for the
// "0000-00-00 00:00:00" of unset dates.
func wpTime(s string, loc *time.Location) (time.Time, bool, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "0000-00-00") {
		return time.Time{}, false, nil
	}
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, loc)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("date %q is not YYYY-MM-DD HH:MM:SS", s)
	}
	return t, true, nil
}

// articleTypes are the post types that become articles; ignoredTypes are
// WordPress's own bookkeeping, left out silently.
var ignoredTypes = map[string]bool{
	"attachment": true, "revision": true, "nav_menu_item": true, "customize_changeset": true,
	"oembed_cache": true, "custom_css": true, "user_request": true, "wp_block": true,
	"wp_template": true, "wp_template_part": true, "wp_global_styles": true, "wp_navigation": true,
	"wp_font_family": true, "wp_font_face": true,
}

// index is the first pass: it reads the whole export, checks every item
// and collects what the second pass needs to look ahead for (authors,
// term names, attachments, the time zone).
func index(r io.Reader) (*wxrIndex, error) {
	ix := &wxrIndex{authors: map[string]wxrAuthor{}, terms: map[string]termInfo{}, attachments: map[string]attachment{}, byURL: map[string]string{}}
	onChannel := func(v any) {
		switch v := v.(type) {
		case *wxrAuthor:
			ix.authors[v.Login] = *v
		case *wxrCategory:
			ix.terms["category:"+decodeSlug(v.Nicename)] = termInfo{v.Name, v.Description, decodeSlug(v.Parent)}
		case *wxrTag:
			ix.terms["post_tag:"+decodeSlug(v.Slug)] = termInfo{v.Name, v.Description, ""}
		case *wxrTerm:
			if v.Taxonomy == "category" || v.Taxonomy == "post_tag" {
				if _, seen := ix.terms[v.Taxonomy+":"+decodeSlug(v.Slug)]; !seen {
					ix.terms[v.Taxonomy+":"+decodeSlug(v.Slug)] = termInfo{v.Name, v.Description, ""}
				}
			}
		case *wxrBase:
			if u, err := url.Parse(strings.TrimSpace(v.Value)); err == nil {
				ix.base = strings.TrimRight(u.EscapedPath(), "/")
			}
		}
	}
	err := walkWXR(r, onChannel, func(n, line int, it *wxrItem) error {
		ix.items++
		bad := func(format string, args ...any) error {
			return &WordPressError{Line: line, Item: n, Msg: fmt.Sprintf(format, args...)}
		}
		if _, err := strconv.ParseInt(strings.TrimSpace(it.PostID), 10, 64); err != nil {
			return bad("wp:post_id %q is not a number", it.PostID)
		}
		if _, _, err := wpTime(it.PostDate, time.UTC); err != nil {
			return bad("wp:post_date: %v", err)
		}
		gmt, okG, err := wpTime(it.PostDateGMT, time.UTC)
		if err != nil {
			return bad("wp:post_date_gmt: %v", err)
		}
		for _, f := range []string{it.Title, it.encoded(false), it.encoded(true)} {
			if !utf8.ValidString(f) {
				return bad("text is not valid UTF-8")
			}
		}
		if ix.zone == nil && okG {
			if local, okL, _ := wpTime(it.PostDate, time.UTC); okL {
				off := local.Sub(gmt).Round(15 * time.Minute)
				if off > -15*time.Hour && off < 15*time.Hour {
					ix.zone = time.FixedZone(fmt.Sprintf("UTC%+.2g", off.Hours()), int(off.Seconds()))
				}
			}
		}
		switch it.PostType {
		case "attachment":
			ix.attachments[strings.TrimSpace(it.PostID)] = attachment{
				url: strings.TrimSpace(it.AttachmentURL), title: it.Title,
				caption: markdown.PlainText(it.encoded(true)), credit: it.meta("credit"),
				alt:  it.meta("_wp_attachment_image_alt"),
				link: strings.TrimSpace(it.Link), parent: strings.TrimSpace(it.PostParent),
			}
			if u := strings.TrimSpace(it.AttachmentURL); u != "" {
				ix.byURL[mediaKey(u)] = strings.TrimSpace(it.PostID)
			}
		case "post", "page":
			ix.posts++
		}
		return nil
	})
	return ix, err
}

package site_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"folio/internal/content"
)

var jsonLDRE = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

// TestAccess_GatedArticle checks that a members' article's cached page,
// feeds and cards carry the lede and the call to join, never the rest of
// the text, and say so in JSON-LD and feeds as Google documents for
// subscription content; a public article says it is free.
func TestAccess_GatedArticle(t *testing.T) {
	f := newFixture(t)
	lede := strings.Repeat("Dredging resumed at the northern basin this week. ", 8)
	tests := []struct {
		name   string
		a      content.Article
		gated  bool
		prompt string
	}{
		{"Members", content.Article{Slug: "ledger", Access: content.AccessMembers}, true, "for members"},
		{"Paid", content.Article{Slug: "paid-ledger", Access: content.AccessPaid}, true, "paying members"},
		{"MembersFirstDuring", content.Article{Slug: "first-ledger", Access: content.AccessMembersFirst}, true, "opens to everyone on"},
		{"MembersFirstOver", content.Article{Slug: "old-ledger", Access: content.AccessMembersFirst,
			PublishedAt: fixedNow.Add(-10 * 24 * time.Hour)}, false, ""},
		{"Public", content.Article{Slug: "open-ledger"}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.a
			a.Language, a.Title = "en", "Ledger "+tt.name
			a.BodyMarkdown = lede + "\n\nThe SECRET-" + tt.name + " figures follow."
			f.publish(t, &a)
			page := get(f.cached, "/"+a.Slug+"/").Body.String()
			if strings.Contains(page, "SECRET-"+tt.name) == tt.gated {
				t.Fatalf("page holds the text: %v, want %v", !tt.gated, !tt.gated)
			}
			if !strings.Contains(page, "Dredging resumed") {
				t.Fatal("page lost the lede")
			}
			if tt.gated && (!strings.Contains(page, tt.prompt) || !strings.Contains(page, `data-gated="/members/article/`)) {
				t.Fatalf("no call to join (%q) or members' link:\n%s", tt.prompt, page)
			}
			m := jsonLDRE.FindStringSubmatch(page)
			if m == nil {
				t.Fatal("no JSON-LD")
			}
			var ld struct {
				Free    bool `json:"isAccessibleForFree"`
				HasPart *struct {
					Type     string `json:"@type"`
					Free     bool   `json:"isAccessibleForFree"`
					Selector string `json:"cssSelector"`
				} `json:"hasPart"`
			}
			if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
				t.Fatal(err)
			}
			if ld.Free == tt.gated || (ld.HasPart != nil) != tt.gated {
				t.Fatalf("JSON-LD isAccessibleForFree %v hasPart %+v for gated=%v", ld.Free, ld.HasPart, tt.gated)
			}
			if tt.gated {
				if ld.HasPart.Type != "WebPageElement" || ld.HasPart.Free || !strings.Contains(page, `class="`+strings.TrimPrefix(ld.HasPart.Selector, ".")+`"`) {
					t.Fatalf("hasPart %+v does not name an element of the page", ld.HasPart)
				}
			}
			for _, feed := range []string{"/feed.xml", "/atom.xml", "/feed.json"} {
				body := get(f.cached, feed).Body.String()
				if !strings.Contains(body, "Ledger "+tt.name) {
					t.Fatalf("%s: article missing", feed)
				}
				if strings.Contains(body, "SECRET-"+tt.name) == tt.gated {
					t.Fatalf("%s: holds the text: %v", feed, !tt.gated)
				}
			}
		})
	}
	rss := get(f.cached, "/feed.xml").Body.String()
	if !strings.Contains(rss, `<isAccessibleForFree xmlns="https://schema.org/">false</isAccessibleForFree>`) {
		t.Error("RSS does not mark members' items")
	}
	if js := get(f.cached, "/feed.json").Body.String(); !strings.Contains(js, `"is_accessible_for_free": false`) {
		t.Error("JSON Feed does not mark members' items")
	}
}

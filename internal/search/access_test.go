package search_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/search"
)

// TestDocOf_MembersOnlyText: of an article not public in full, the index
// gets the headline, deck and lede, never the rest of the body.
func TestDocOf_MembersOnlyText(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	body := "<p>The lede everyone reads. " + strings.Repeat("It tells what the story is about. ", 10) + "</p><p>The zanzibarite secret for members.</p>"
	for _, tc := range []struct {
		access content.Access
		free   time.Time
		secret bool
	}{
		{"", time.Time{}, true},
		{content.AccessPublic, time.Time{}, true},
		{content.AccessMembers, time.Time{}, false},
		{content.AccessPaid, time.Time{}, false},
		{content.AccessMembersFirst, now.Add(time.Hour), false},
		{content.AccessMembersFirst, now.Add(-time.Hour), true},
	} {
		a := &content.Article{ID: 1, Language: "en", Title: "T", BodyHTML: body, Access: tc.access, FreeAt: tc.free, PublishedAt: now.Add(-48 * time.Hour)}
		d := search.DocOf(a, nil, now)
		if !strings.Contains(d.Body, "lede everyone reads") {
			t.Errorf("%s: lede missing from %q", tc.access, d.Body)
		}
		if got := strings.Contains(d.Body, "zanzibarite"); got != tc.secret {
			t.Errorf("%s (free %v): members' text indexed = %v, want %v", tc.access, tc.free, got, tc.secret)
		}
	}
}

// TestSearch_MembersOnlyArticle: made members-only through the editorial
// service, an article is still found by its headline but no longer by
// words past its lede.
func TestSearch_MembersOnlyArticle(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	canal := fx.article(t, "en", "the-canal-that-rewrites-a-river")
	lede := content.Lede(canal.BodyHTML)
	rest := strings.Fields(strings.ToLower(search.DocOf(canal, nil, time.Now()).Body))
	var word string
	for _, w := range rest {
		w = strings.Trim(w, ".,;:!?\"'()")
		if len(w) > 7 && !strings.Contains(strings.ToLower(lede), w) && !strings.Contains(strings.ToLower(canal.Title+canal.Deck), w) {
			if res := fx.search(t, search.Query{Text: w, Limit: 100}); slices.Contains(fx.slugs(t, res), canal.Slug) {
				word = w
				break
			}
		}
	}
	if word == "" {
		t.Skip("no word past the lede found the article")
	}
	canal.Access = content.AccessMembers
	if err := fx.ed.UpdateArticle(ctx, canal); err != nil {
		t.Fatal(err)
	}
	fx.sync(t)
	if res := fx.search(t, search.Query{Text: word, Limit: 100}); slices.Contains(fx.slugs(t, res), canal.Slug) {
		t.Fatalf("%q, past the lede of a members-only article, still finds it", word)
	}
	if res := fx.search(t, search.Query{Text: "canal rewrites river", Limit: 100}); !slices.Contains(fx.slugs(t, res), canal.Slug) {
		t.Fatal("the members-only article is no longer found by its headline")
	}
}

package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

func testArticleCreate(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		s := newStore(t)
		ana, ben := MustCreateAuthor(t, s, "Ana"), MustCreateAuthor(t, s, "Ben")
		region, tag := MustCreateTerm(t, s, content.KindRegion, "Sahel"), MustCreateTerm(t, s, content.KindTag, "Water")
		a := &content.Article{
			Language: "en", Title: "Harbour reopens", Deck: "After two years", Slug: "harbour-reopens",
			BodyMarkdown: "Text", BodyHTML: "<p>Text</p>", Excerpt: "Short", Status: content.StatusPublished,
			Featured: true, License: content.LicenseCCBY, SourceURL: "https://example.org/a", SourceName: "Example",
			Image:       &content.Image{URL: "/media/a.jpg", Alt: "Boats", Caption: "Boats", Credit: "Ana", CreditType: content.CreditChart, Width: 800, Height: 600},
			Authors:     authorRefs(ben, ana), // byline order is not ID order
			Terms:       termRefs(tag, region),
			PublishedAt: base,
		}
		ok(t, s.CreateArticle(ctx, a, store.ArticleWrite{}))
		if a.ID == 0 || a.TranslationGroup != a.ID {
			t.Fatalf("ID = %d, TranslationGroup = %d; want a new ID used as group", a.ID, a.TranslationGroup)
		}
		if a.CreatedAt.IsZero() || !a.UpdatedAt.Equal(a.CreatedAt) {
			t.Fatalf("CreatedAt = %v, UpdatedAt = %v; want both set and equal", a.CreatedAt, a.UpdatedAt)
		}
		mustEqual(t, "authors", []*content.Author{ben, ana}, a.Authors)
		mustEqual(t, "terms", []*content.Term{tag, region}, a.Terms)

		got, err := s.FindArticleByID(ctx, a.ID)
		ok(t, err)
		mustEqual(t, "by ID", a, got)
		got, err = s.FindArticleBySlug(ctx, "en", "harbour-reopens")
		ok(t, err)
		mustEqual(t, "by slug", a, got)
	})

	t.Run("SlugFromTitle", func(t *testing.T) {
		s := newStore(t)
		a := &content.Article{Language: "en", Title: "Floods in the Delta"}
		ok(t, s.CreateArticle(ctx, a, store.ArticleWrite{}))
		if a.Slug != "floods-in-the-delta" || a.Status != content.StatusDraft {
			t.Fatalf("slug %q status %q, want floods-in-the-delta draft", a.Slug, a.Status)
		}
	})

	t.Run("TranslationGroup", func(t *testing.T) {
		s := newStore(t)
		en := MustCreateArticle(t, s, &content.Article{Slug: "vote"})
		fr := MustCreateArticle(t, s, &content.Article{Language: "fr", Slug: "vote", TranslationGroup: en.ID})
		if fr.TranslationGroup != en.ID {
			t.Fatalf("TranslationGroup = %d, want %d", fr.TranslationGroup, en.ID)
		}
	})

	t.Run("SameSlugOtherLanguage", func(t *testing.T) {
		s := newStore(t)
		MustCreateArticle(t, s, &content.Article{Language: "en", Slug: "same"})
		MustCreateArticle(t, s, &content.Article{Language: "fa", Slug: "same"})
	})

	t.Run("ErrSlugTaken", func(t *testing.T) {
		s := newStore(t)
		MustCreateArticle(t, s, &content.Article{Language: "en", Slug: "same"})
		before := countArticles(t, s)
		err := s.CreateArticle(ctx, &content.Article{Language: "en", Title: "Other", Slug: "same"}, store.ArticleWrite{})
		wantCode(t, err, content.ECONFLICT)
		if msg := content.ErrorMessage(err); msg != `slug "same" is already used in language "en"` {
			t.Fatalf("message = %q", msg)
		}
		if n := countArticles(t, s); n != before {
			t.Fatalf("count = %d after failed create, want %d", n, before)
		}
	})

	t.Run("ErrUnknownReference", func(t *testing.T) {
		s := newStore(t)
		ana := MustCreateAuthor(t, s, "Ana")
		tag := MustCreateTerm(t, s, content.KindTag, "Water")
		for _, tt := range []struct {
			name         string
			authors      []*content.Author
			terms        []*content.Term
			field, wantM string
		}{
			{"Author", []*content.Author{{ID: ana.ID}, {ID: 99999}}, nil, "authors", "author 99999 does not exist"},
			{"Term", nil, []*content.Term{{ID: tag.ID}, {ID: 88888}}, "terms", "term 88888 does not exist"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				before := countArticles(t, s)
				err := s.CreateArticle(ctx, &content.Article{Language: "en", Title: "X", Authors: tt.authors, Terms: tt.terms}, store.ArticleWrite{})
				wantCode(t, err, content.EINVALID)
				if got := content.ErrorFields(err)[tt.field]; got != tt.wantM {
					t.Fatalf("field %s = %q, want %q", tt.field, got, tt.wantM)
				}
				if n := countArticles(t, s); n != before {
					t.Fatalf("count = %d after failed create, want %d", n, before)
				}
			})
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		s := newStore(t)
		err := s.CreateArticle(ctx, &content.Article{Language: "en", Title: "  "}, store.ArticleWrite{})
		wantCode(t, err, content.EINVALID)
	})

	t.Run("RevivesGonePath", func(t *testing.T) {
		s := newStore(t)
		ok(t, s.PutRedirect(ctx, &content.Redirect{From: "/back/", Status: 410}))
		MustCreateArticle(t, s, &content.Article{Slug: "back"})
		_, err := s.FindRedirect(ctx, "/back/")
		wantCode(t, err, content.ENOTFOUND)
	})
}

func testArticleFind(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := newStore(t)
	MustCreateArticle(t, s, &content.Article{Language: "en", Slug: "here"})

	t.Run("ErrNotFoundByID", func(t *testing.T) {
		_, err := s.FindArticleByID(ctx, 424242)
		wantCode(t, err, content.ENOTFOUND)
	})
	t.Run("ErrNotFoundBySlug", func(t *testing.T) {
		_, err := s.FindArticleBySlug(ctx, "fr", "here")
		wantCode(t, err, content.ENOTFOUND)
	})
}

func testArticleUpdate(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		s := newStore(t)
		ana, ben, cy := MustCreateAuthor(t, s, "Ana"), MustCreateAuthor(t, s, "Ben"), MustCreateAuthor(t, s, "Cy")
		r, th, tg := MustCreateTerm(t, s, content.KindRegion, "R"), MustCreateTerm(t, s, content.KindTheme, "T"), MustCreateTerm(t, s, content.KindTag, "G")
		a := MustCreateArticle(t, s, &content.Article{Title: "Before", Authors: authorRefs(ana, ben), Terms: termRefs(r, th)})
		created := a.CreatedAt

		up := *a
		up.Title, up.Deck, up.Featured = "After", "New deck", true
		up.Image = &content.Image{URL: "https://example.org/i.jpg", Alt: "Alt"}
		up.Authors = authorRefs(cy, ana)
		up.Terms = termRefs(tg, r)
		ok(t, s.UpdateArticle(ctx, &up, store.ArticleWrite{}))
		if !up.CreatedAt.Equal(created) || up.UpdatedAt.Before(created) {
			t.Fatalf("CreatedAt = %v UpdatedAt = %v, want CreatedAt kept (%v)", up.CreatedAt, up.UpdatedAt, created)
		}
		mustEqual(t, "authors", []*content.Author{cy, ana}, up.Authors)
		mustEqual(t, "terms", []*content.Term{tg, r}, up.Terms)
		got, err := s.FindArticleByID(ctx, a.ID)
		ok(t, err)
		mustEqual(t, "stored", &up, got)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		s := newStore(t)
		err := s.UpdateArticle(ctx, &content.Article{ID: 777, Language: "en", Title: "X"}, store.ArticleWrite{})
		wantCode(t, err, content.ENOTFOUND)
	})

	t.Run("ErrSlugTaken", func(t *testing.T) {
		s := newStore(t)
		MustCreateArticle(t, s, &content.Article{Slug: "taken"})
		a := MustCreateArticle(t, s, &content.Article{Slug: "free"})
		up := *a
		up.Slug = "taken"
		wantCode(t, s.UpdateArticle(ctx, &up, store.ArticleWrite{}), content.ECONFLICT)
	})

	t.Run("ErrUnknownAuthorChangesNothing", func(t *testing.T) {
		s := newStore(t)
		ana := MustCreateAuthor(t, s, "Ana")
		a := MustCreateArticle(t, s, &content.Article{Title: "Keep", Authors: authorRefs(ana)})
		up := *a
		up.Title = "Lost"
		up.Authors = []*content.Author{{ID: 31337}}
		err := s.UpdateArticle(ctx, &up, store.ArticleWrite{})
		wantCode(t, err, content.EINVALID)
		if got := content.ErrorFields(err)["authors"]; got != "author 31337 does not exist" {
			t.Fatalf("authors field = %q", got)
		}
		got, err := s.FindArticleByID(ctx, a.ID)
		ok(t, err)
		mustEqual(t, "unchanged", a, got)
	})

	t.Run("SlugChangeRedirects", func(t *testing.T) {
		for _, tt := range []struct {
			name, lang     string
			status         content.Status
			from, to       string
			wantRedirected bool
		}{
			{"Published", "en", content.StatusPublished, "/old-en/", "/new-en/", true},
			{"OtherLanguage", "fr", content.StatusPublished, "/fr/old-fr/", "/fr/new-fr/", true},
			{"Draft", "en", content.StatusDraft, "/old-draft/", "", false},
		} {
			t.Run(tt.name, func(t *testing.T) {
				s := newStore(t)
				old := strings.Trim(strings.TrimPrefix(tt.from, "/"+tt.lang+"/"), "/")
				a := &content.Article{Language: tt.lang, Slug: old, Status: tt.status}
				if tt.status == content.StatusPublished {
					a.PublishedAt = base
				}
				MustCreateArticle(t, s, a)
				up := *a
				up.Slug = "new-" + tt.lang
				if !tt.wantRedirected {
					up.Slug = "new-draft"
				}
				ok(t, s.UpdateArticle(ctx, &up, store.ArticleWrite{}))
				r, err := s.FindRedirect(ctx, tt.from)
				if !tt.wantRedirected {
					wantCode(t, err, content.ENOTFOUND)
					return
				}
				ok(t, err)
				if r.To != tt.to || r.Status != 301 || r.CreatedAt.IsZero() {
					t.Fatalf("redirect = %+v, want 301 to %s", r, tt.to)
				}
			})
		}
	})

	t.Run("RedirectChainCollapses", func(t *testing.T) {
		s := newStore(t)
		a := MustCreateArticle(t, s, &content.Article{Slug: "one", Status: content.StatusPublished, PublishedAt: base})
		for _, slug := range []string{"two", "three"} {
			a.Slug = slug
			ok(t, s.UpdateArticle(ctx, a, store.ArticleWrite{}))
		}
		for _, from := range []string{"/one/", "/two/"} {
			r, err := s.FindRedirect(ctx, from)
			ok(t, err)
			if r.To != "/three/" {
				t.Fatalf("%s redirects to %q, want /three/", from, r.To)
			}
		}
		// Going back to an old slug must not leave its redirect in place.
		a.Slug = "one"
		ok(t, s.UpdateArticle(ctx, a, store.ArticleWrite{}))
		_, err := s.FindRedirect(ctx, "/one/")
		wantCode(t, err, content.ENOTFOUND)
		r, err := s.FindRedirect(ctx, "/three/")
		ok(t, err)
		if r.To != "/one/" {
			t.Fatalf("/three/ redirects to %q, want /one/", r.To)
		}
	})
}

func testArticleDelete(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()

	t.Run("PublishedLeaves410", func(t *testing.T) {
		s := newStore(t)
		ana := MustCreateAuthor(t, s, "Ana")
		a := MustCreateArticle(t, s, &content.Article{Slug: "gone", Status: content.StatusPublished, PublishedAt: base, Authors: authorRefs(ana)})
		ok(t, s.PutRedirect(ctx, &content.Redirect{From: "/old-gone/", To: "/gone/", Status: 301}))
		ok(t, s.DeleteArticle(ctx, a.ID))
		_, err := s.FindArticleByID(ctx, a.ID)
		wantCode(t, err, content.ENOTFOUND)
		for _, path := range []string{"/gone/", "/old-gone/"} {
			r, err := s.FindRedirect(ctx, path)
			ok(t, err)
			if r.Status != 410 || r.To != "" {
				t.Fatalf("%s: redirect = %+v, want 410 with no target", path, r)
			}
		}
		// The byline went with the article, so the author is free to go.
		ok(t, s.DeleteAuthor(ctx, ana.ID))
	})

	t.Run("DraftLeavesNothing", func(t *testing.T) {
		s := newStore(t)
		a := MustCreateArticle(t, s, &content.Article{Slug: "never"})
		ok(t, s.DeleteArticle(ctx, a.ID))
		_, err := s.FindRedirect(ctx, "/never/")
		wantCode(t, err, content.ENOTFOUND)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		s := newStore(t)
		wantCode(t, s.DeleteArticle(ctx, 5150), content.ENOTFOUND)
	})
}

// fixture is the article set the filter tests query.
type fixture struct {
	ana, ben               *content.Author
	region, theme, tag     *content.Term
	a1, a2, a3, a4, a5, a6 *content.Article
	a7, a8                 *content.Article
}

func newFixture(t *testing.T, s store.Store) *fixture {
	f := &fixture{
		ana: MustCreateAuthor(t, s, "Ana"), ben: MustCreateAuthor(t, s, "Ben"),
		region: MustCreateTerm(t, s, content.KindRegion, "Sahel"),
		theme:  MustCreateTerm(t, s, content.KindTheme, "Climate"),
		tag:    MustCreateTerm(t, s, content.KindTag, "Water"),
	}
	pub, sched := content.StatusPublished, content.StatusScheduled
	f.a1 = MustCreateArticle(t, s, &content.Article{Title: "Dams and rivers", Status: pub, PublishedAt: base.Add(-5 * time.Hour),
		BodyMarkdown: "Silt piles up behind the Barrage.", Featured: true, Authors: authorRefs(f.ana), Terms: termRefs(f.region)})
	f.a2 = MustCreateArticle(t, s, &content.Article{Title: "Heat records", Status: pub, PublishedAt: base.Add(-4 * time.Hour),
		Authors: authorRefs(f.ben), Terms: termRefs(f.theme)})
	f.a3 = MustCreateArticle(t, s, &content.Article{Language: "fr", Title: "Élection à Paris", Status: pub,
		PublishedAt: base.Add(-3 * time.Hour), TranslationGroup: f.a1.ID,
		Authors: authorRefs(f.ana, f.ben), Terms: termRefs(f.region, f.tag)})
	f.a4 = MustCreateArticle(t, s, &content.Article{Title: "Budget vote", Status: sched, PublishedAt: base.Add(2 * time.Hour),
		Authors: authorRefs(f.ana)})
	f.a5 = MustCreateArticle(t, s, &content.Article{Title: "100% Sure_thing", Status: pub, PublishedAt: base.Add(time.Hour),
		Authors: authorRefs(f.ben)})
	f.a6 = MustCreateArticle(t, s, &content.Article{Title: "Work in progress", Authors: authorRefs(f.ana)})
	f.a7 = MustCreateArticle(t, s, &content.Article{Title: "Old news", Status: content.StatusArchived,
		PublishedAt: base.Add(-6 * time.Hour), Terms: termRefs(f.theme)})
	f.a8 = MustCreateArticle(t, s, &content.Article{Title: "Ice SHEETS", Status: pub, PublishedAt: base.Add(-7 * time.Hour)})
	return f
}

func testFindArticles(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := newStore(t)
	f := newFixture(t, s)
	yes, no := true, false
	all := []*content.Article{f.a6, f.a4, f.a5, f.a3, f.a2, f.a1, f.a7, f.a8}

	for _, tt := range []struct {
		name   string
		filter store.ArticleFilter
		want   []*content.Article
	}{
		{"All", store.ArticleFilter{}, all},
		{"IDs", store.ArticleFilter{IDs: []int64{f.a1.ID, f.a2.ID}}, []*content.Article{f.a2, f.a1}},
		{"Status", store.ArticleFilter{Statuses: []content.Status{content.StatusPublished}}, []*content.Article{f.a5, f.a3, f.a2, f.a1, f.a8}},
		{"Statuses", store.ArticleFilter{Statuses: []content.Status{content.StatusDraft, content.StatusArchived}}, []*content.Article{f.a6, f.a7}},
		{"Public", store.ArticleFilter{Public: true, Now: base}, []*content.Article{f.a3, f.a2, f.a1, f.a8}},
		{"PublicLater", store.ArticleFilter{Public: true, Now: base.Add(3 * time.Hour)}, []*content.Article{f.a5, f.a3, f.a2, f.a1, f.a8}},
		{"Language", store.ArticleFilter{Language: "fr"}, []*content.Article{f.a3}},
		{"Author", store.ArticleFilter{AuthorID: f.ana.ID}, []*content.Article{f.a6, f.a4, f.a3, f.a1}},
		{"Term", store.ArticleFilter{TermID: f.region.ID}, []*content.Article{f.a3, f.a1}},
		{"AnyTerms", store.ArticleFilter{AnyTermIDs: []int64{f.theme.ID, f.tag.ID}}, []*content.Article{f.a3, f.a2, f.a7}},
		{"Exclude", store.ArticleFilter{ExcludeIDs: []int64{f.a6.ID, f.a4.ID, f.a5.ID}}, []*content.Article{f.a3, f.a2, f.a1, f.a7, f.a8}},
		{"Featured", store.ArticleFilter{Featured: &yes}, []*content.Article{f.a1}},
		{"NotFeatured", store.ArticleFilter{Featured: &no}, []*content.Article{f.a6, f.a4, f.a5, f.a3, f.a2, f.a7, f.a8}},
		{"TranslationGroup", store.ArticleFilter{TranslationGroup: f.a1.ID}, []*content.Article{f.a3, f.a1}},
		{"PublishedSince", store.ArticleFilter{PublishedSince: base.Add(-3 * time.Hour)}, []*content.Article{f.a4, f.a5, f.a3}},
		{"Search", store.ArticleFilter{Search: "paris"}, []*content.Article{f.a3}},
		{"SearchCase", store.ArticleFilter{Search: "ice sheets"}, []*content.Article{f.a8}},
		{"SearchUnicodeCase", store.ArticleFilter{Search: "ÉLECTION"}, []*content.Article{f.a3}},
		{"SearchPercent", store.ArticleFilter{Search: "%"}, []*content.Article{f.a5}},
		{"SearchUnderscore", store.ArticleFilter{Search: "e_t"}, []*content.Article{f.a5}},
		{"SearchNone", store.ArticleFilter{Search: "zebra"}, nil},
		{"SearchTitleOnly", store.ArticleFilter{Search: "barrage"}, nil},
		{"SearchBody", store.ArticleFilter{Search: "BARRAGE", SearchBody: true}, []*content.Article{f.a1}},
		{"SearchBodyOrTitle", store.ArticleFilter{Search: "paris", SearchBody: true}, []*content.Article{f.a3}},
		{"Combined", store.ArticleFilter{Public: true, Now: base, Language: "en", AuthorID: f.ana.ID}, []*content.Article{f.a1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := s.FindArticles(ctx, tt.filter)
			ok(t, err)
			mustEqual(t, "IDs", ids(tt.want), ids(got))
			if total != len(tt.want) {
				t.Fatalf("total = %d, want %d", total, len(tt.want))
			}
		})
	}

	t.Run("LoadsRelations", func(t *testing.T) {
		got, _, err := s.FindArticles(ctx, store.ArticleFilter{IDs: []int64{f.a3.ID, f.a1.ID, f.a2.ID}})
		ok(t, err)
		mustEqual(t, "articles", []*content.Article{f.a3, f.a2, f.a1}, got)
	})
	t.Run("NoBody", func(t *testing.T) {
		got, _, err := s.FindArticles(ctx, store.ArticleFilter{IDs: []int64{f.a3.ID, f.a1.ID, f.a2.ID}, NoBody: true})
		ok(t, err)
		if f.a1.BodyMarkdown == "" {
			t.Fatal("fixture a1 has no body to leave out")
		}
		want := make([]*content.Article, 0, 3)
		for _, a := range []*content.Article{f.a3, f.a2, f.a1} {
			cp := *a
			cp.BodyMarkdown, cp.BodyHTML = "", ""
			want = append(want, &cp)
		}
		mustEqual(t, "articles without bodies", want, got)
	})
}

func testPagination(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := newStore(t)
	// Three share a time, so only the ID orders them.
	times := []time.Duration{0, -time.Hour, -time.Hour, -time.Hour, -2 * time.Hour, -3 * time.Hour, -3 * time.Hour}
	for _, d := range times {
		MustCreateArticle(t, s, &content.Article{Status: content.StatusPublished, PublishedAt: base.Add(d)})
	}
	all, total, err := s.FindArticles(ctx, store.ArticleFilter{})
	ok(t, err)
	if total != len(times) || len(all) != len(times) {
		t.Fatalf("got %d articles, total %d; want %d", len(all), total, len(times))
	}
	for i := 1; i < len(all); i++ {
		p, c := store.CursorOf(all[i-1]), store.CursorOf(all[i])
		if c.Time.After(p.Time) || (c.Time.Equal(p.Time) && c.ID > p.ID) {
			t.Fatalf("articles %d and %d are out of order", p.ID, c.ID)
		}
	}

	t.Run("Offset", func(t *testing.T) {
		page, total, err := s.FindArticles(ctx, store.ArticleFilter{Limit: 3, Offset: 2})
		ok(t, err)
		mustEqual(t, "page", ids(all[2:5]), ids(page))
		if total != len(all) {
			t.Fatalf("total = %d, want %d", total, len(all))
		}
	})

	t.Run("OffsetPastEnd", func(t *testing.T) {
		page, total, err := s.FindArticles(ctx, store.ArticleFilter{Limit: 3, Offset: 100})
		ok(t, err)
		if len(page) != 0 || total != len(all) {
			t.Fatalf("got %d articles, total %d", len(page), total)
		}
	})

	t.Run("Cursor", func(t *testing.T) {
		for _, limit := range []int{1, 2, 3} {
			var walked []int64
			var after *store.Cursor
			for range len(all) + 1 {
				page, total, err := s.FindArticles(ctx, store.ArticleFilter{Limit: limit, After: after})
				ok(t, err)
				if total != len(all) {
					t.Fatalf("total = %d with a cursor, want %d", total, len(all))
				}
				if len(page) == 0 {
					break
				}
				walked = append(walked, ids(page)...)
				// Round-trip through the URL form, as handlers will.
				c, err := store.ParseCursor(store.CursorOf(page[len(page)-1]).String())
				ok(t, err)
				after = c
			}
			mustEqual(t, "walk", ids(all), walked)
		}
	})
}

func testPublishDue(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := newStore(t)
	due1 := MustCreateArticle(t, s, &content.Article{Status: content.StatusScheduled, PublishedAt: base.Add(-time.Hour)})
	due2 := MustCreateArticle(t, s, &content.Article{Status: content.StatusScheduled, PublishedAt: base})
	later := MustCreateArticle(t, s, &content.Article{Status: content.StatusScheduled, PublishedAt: base.Add(time.Minute)})
	draft := MustCreateArticle(t, s, &content.Article{Status: content.StatusDraft, PublishedAt: base.Add(-time.Hour)})

	got, err := s.PublishDue(ctx, base)
	ok(t, err)
	mustEqual(t, "published IDs", []int64{due1.ID, due2.ID}, got)
	for _, tt := range []struct {
		a    *content.Article
		want content.Status
	}{{due1, content.StatusPublished}, {due2, content.StatusPublished}, {later, content.StatusScheduled}, {draft, content.StatusDraft}} {
		a, err := s.FindArticleByID(ctx, tt.a.ID)
		ok(t, err)
		if a.Status != tt.want || !a.PublishedAt.Equal(tt.a.PublishedAt) {
			t.Fatalf("article %d: status %s at %v, want %s at %v", a.ID, a.Status, a.PublishedAt, tt.want, tt.a.PublishedAt)
		}
	}
	got, err = s.PublishDue(ctx, base)
	ok(t, err)
	if len(got) != 0 {
		t.Fatalf("second run published %v, want nothing", got)
	}
}

func testSlugTaken(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := newStore(t)
	a := MustCreateArticle(t, s, &content.Article{Language: "en", Slug: "taken"})
	for _, tt := range []struct {
		name, lang, slug string
		except           int64
		want             bool
	}{
		{"Taken", "en", "taken", 0, true},
		{"OwnSlug", "en", "taken", a.ID, false},
		{"OtherLanguage", "de", "taken", 0, false},
		{"Free", "en", "free", 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.SlugTaken(ctx, tt.lang, tt.slug, tt.except)
			ok(t, err)
			if got != tt.want {
				t.Fatalf("SlugTaken = %v, want %v", got, tt.want)
			}
		})
	}
}

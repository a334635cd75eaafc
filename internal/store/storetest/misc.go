package storetest

import (
	"context"
	"testing"

	"folio/internal/content"
	"folio/internal/store"
)

func testSettings(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := newStore(t)

	t.Run("Default", func(t *testing.T) {
		got, err := s.Settings(ctx)
		ok(t, err)
		want := content.DefaultSettings()
		mustEqual(t, "settings", &want, got)
	})

	t.Run("RoundTrip", func(t *testing.T) {
		want := content.DefaultSettings()
		want.Title, want.BaseURL, want.DefaultLanguage = "The Courier", "https://courier.example/", "fr"
		want.Languages = []string{"fr", "en"}
		want.Notices.Disclaimer = "Views are the authors' own."
		want.Translations = map[string]map[string]string{"en": {"title": "The Courier"}}
		ok(t, s.UpdateSettings(ctx, &want))
		got, err := s.Settings(ctx)
		ok(t, err)
		mustEqual(t, "settings", &want, got)
		if got.BaseURL != "https://courier.example" {
			t.Fatalf("BaseURL = %q, want trailing slash dropped", got.BaseURL)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		bad := content.DefaultSettings()
		bad.BaseURL = "not a url"
		wantCode(t, s.UpdateSettings(ctx, &bad), content.EINVALID)
	})

	t.Run("DefaultLanguagePaths", func(t *testing.T) {
		// Settings above made French the default: its articles live at
		// /{slug}/ and English ones move under /en/.
		fr := MustCreateArticle(t, s, &content.Article{Language: "fr", Slug: "vote", Status: content.StatusPublished, PublishedAt: base})
		en := MustCreateArticle(t, s, &content.Article{Language: "en", Slug: "vote", Status: content.StatusPublished, PublishedAt: base})
		ok(t, s.DeleteArticle(ctx, fr.ID))
		ok(t, s.DeleteArticle(ctx, en.ID))
		for _, path := range []string{"/vote/", "/en/vote/"} {
			r, err := s.FindRedirect(ctx, path)
			ok(t, err)
			if r.Status != 410 {
				t.Fatalf("%s: status %d, want 410", path, r.Status)
			}
		}
	})
}

func testRedirects(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := newStore(t)

	t.Run("PutFindReplaceDelete", func(t *testing.T) {
		r := &content.Redirect{From: "/a/", To: "/b/", Status: 301}
		ok(t, s.PutRedirect(ctx, r))
		got, err := s.FindRedirect(ctx, "/a/")
		ok(t, err)
		if got.From != "/a/" || got.To != "/b/" || got.Status != 301 || got.CreatedAt.IsZero() {
			t.Fatalf("got %+v", got)
		}
		ok(t, s.PutRedirect(ctx, &content.Redirect{From: "/a/", Status: 410}))
		got, err = s.FindRedirect(ctx, "/a/")
		ok(t, err)
		if got.Status != 410 || got.To != "" {
			t.Fatalf("after replace: %+v", got)
		}
		ok(t, s.DeleteRedirect(ctx, "/a/"))
		_, err = s.FindRedirect(ctx, "/a/")
		wantCode(t, err, content.ENOTFOUND)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		wantCode(t, s.DeleteRedirect(ctx, "/nowhere/"), content.ENOTFOUND)
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		for _, r := range []*content.Redirect{
			{From: "a/", To: "/b/", Status: 301},
			{From: "/a/", Status: 301},
			{From: "/a/", To: "/b/", Status: 200},
		} {
			wantCode(t, s.PutRedirect(ctx, r), content.EINVALID)
		}
	})
}

func testMedia(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := newStore(t)

	m1 := &content.Media{Path: "2026/11/harbour.jpg", Filename: "Harbour.JPG", ContentType: "image/jpeg",
		Size: 1234, Width: 800, Height: 600, Alt: "Boats", Credit: "Ana", CreditURL: "https://example.org", CreditType: content.CreditPhoto}
	m2 := &content.Media{Path: "2026/11/map.png", Filename: "map.png", ContentType: "image/png", Size: 99}

	t.Run("Create", func(t *testing.T) {
		ok(t, s.CreateMedia(ctx, m1))
		ok(t, s.CreateMedia(ctx, m2))
		if m1.ID == 0 || m1.CreatedAt.IsZero() {
			t.Fatalf("created %+v", m1)
		}
		got, err := s.FindMediaByID(ctx, m1.ID)
		ok(t, err)
		mustEqual(t, "media", m1, got)
	})

	t.Run("ErrPathTaken", func(t *testing.T) {
		wantCode(t, s.CreateMedia(ctx, &content.Media{Path: m1.Path}), content.ECONFLICT)
	})

	t.Run("FindNewestFirst", func(t *testing.T) {
		got, total, err := s.FindMedia(ctx, 0, 0)
		ok(t, err)
		mustEqual(t, "media", []*content.Media{m2, m1}, got)
		if total != 2 {
			t.Fatalf("total = %d", total)
		}
		got, total, err = s.FindMedia(ctx, 1, 1)
		ok(t, err)
		mustEqual(t, "page", []*content.Media{m1}, got)
		if total != 2 {
			t.Fatalf("total = %d", total)
		}
	})

	t.Run("Update", func(t *testing.T) {
		up := *m1
		up.Alt, up.Caption, up.CreditType = "Fishing boats at dawn", "Dawn", content.CreditIllustration
		ok(t, s.UpdateMedia(ctx, &up))
		got, err := s.FindMediaByID(ctx, m1.ID)
		ok(t, err)
		mustEqual(t, "updated", &up, got)
		wantCode(t, s.UpdateMedia(ctx, &content.Media{ID: 404, Path: "x"}), content.ENOTFOUND)
	})

	t.Run("Delete", func(t *testing.T) {
		ok(t, s.DeleteMedia(ctx, m2.ID))
		_, err := s.FindMediaByID(ctx, m2.ID)
		wantCode(t, err, content.ENOTFOUND)
		wantCode(t, s.DeleteMedia(ctx, m2.ID), content.ENOTFOUND)
	})
}

func testTokens(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := newStore(t)
	tok := &content.Token{Name: "importer", Hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}

	t.Run("Create", func(t *testing.T) {
		ok(t, s.CreateToken(ctx, tok))
		if tok.ID == 0 || tok.CreatedAt.IsZero() || !tok.LastUsedAt.IsZero() {
			t.Fatalf("created %+v", tok)
		}
		wantCode(t, s.CreateToken(ctx, &content.Token{Name: "again", Hash: tok.Hash}), content.ECONFLICT)
	})

	t.Run("FindByHashRecordsUse", func(t *testing.T) {
		got, err := s.FindTokenByHash(ctx, tok.Hash)
		ok(t, err)
		if got.ID != tok.ID || got.Name != "importer" || got.LastUsedAt.IsZero() || got.LastUsedAt.Before(tok.CreatedAt) {
			t.Fatalf("got %+v", got)
		}
		all, err := s.FindTokens(ctx)
		ok(t, err)
		if len(all) != 1 || !all[0].LastUsedAt.Equal(got.LastUsedAt) {
			t.Fatalf("FindTokens = %+v, want the use recorded", all)
		}
		_, err = s.FindTokenByHash(ctx, "0000")
		wantCode(t, err, content.ENOTFOUND)
	})

	t.Run("Delete", func(t *testing.T) {
		ok(t, s.DeleteToken(ctx, tok.ID))
		_, err := s.FindTokenByHash(ctx, tok.Hash)
		wantCode(t, err, content.ENOTFOUND)
		wantCode(t, s.DeleteToken(ctx, tok.ID), content.ENOTFOUND)
	})
}

package importer

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"folio/internal/content"
	"folio/internal/store"
)

// fill gives a site some of everything: three imports, settings, a hand-made redirect.
func fill(t *testing.T, s *site) {
	t.Helper()
	ctx := context.Background()
	for _, f := range []string{"wp5-classic.xml", "wp6-block.xml"} {
		if _, err := ImportWordPress(ctx, open(t, f), s.opts()); err != nil {
			t.Fatal(err)
		}
	}
	opt := s.opts()
	opt.Uploads = filepath.Join("testdata", "ghost-images")
	if _, err := ImportGhost(ctx, open(t, "ghost-5.json"), opt); err != nil {
		t.Fatal(err)
	}
	st, _ := s.db.Settings(ctx)
	st.Title, st.Languages = "The Tidewater Ledger", []string{"en", "fa"}
	st.Notices.Disclaimer = "Views are the *authors'* own."
	if err := s.svc.System("test").UpdateSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	if err := s.db.PutRedirect(ctx, &content.Redirect{From: "/old-home/", To: "/", Status: 301}); err != nil {
		t.Fatal(err)
	}
	// A gap in the IDs, which a restore must keep.
	a := s.article(t, "en", "board-minutes-april")
	if err := s.svc.System("test").DeleteArticle(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
}

// everything reads the whole site for comparison.
type everything struct {
	Articles  []*content.Article
	Authors   []*content.Author
	Terms     []*content.Term
	Media     []*content.Media
	Redirects []*content.Redirect
	Comments  []*store.Comment
	Settings  *content.Settings
	Files     map[string][]byte
}

func (s *site) everything(t *testing.T) everything {
	t.Helper()
	ctx := context.Background()
	var e everything
	var err error
	check := func(x error) {
		if x != nil {
			t.Fatal(x)
		}
	}
	e.Articles, _, err = s.db.FindArticles(ctx, store.ArticleFilter{Type: store.AnyType})
	check(err)
	e.Authors, _, err = s.db.FindAuthors(ctx, store.AuthorFilter{})
	check(err)
	e.Terms, _, err = s.db.FindTerms(ctx, store.TermFilter{})
	check(err)
	e.Media, _, err = s.db.FindMedia(ctx, 0, 0)
	check(err)
	e.Redirects, _, err = s.db.FindRedirects(ctx, 0, 0)
	check(err)
	e.Comments, _, err = s.db.FindComments(ctx, 0, 0, 0)
	check(err)
	e.Settings, err = s.db.Settings(ctx)
	check(err)
	e.Files = map[string][]byte{}
	for _, m := range e.Media {
		b, err := os.ReadFile(filepath.Join(s.lib.Root, filepath.FromSlash(m.Path)))
		check(err)
		e.Files[m.Path] = b
	}
	return e
}

func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := newSite(t)
	fill(t, src)
	want := src.everything(t)
	if len(want.Articles) < 8 || len(want.Media) < 3 || len(want.Comments) < 3 {
		t.Fatalf("fixture too thin: %d articles, %d media, %d comments", len(want.Articles), len(want.Media), len(want.Comments))
	}

	var buf bytes.Buffer
	m, err := Export(ctx, src.db, src.lib.Root, &buf, "test")
	if err != nil {
		t.Fatal(err)
	}
	if m.Counts["articles.jsonl"] != len(want.Articles) {
		t.Errorf("manifest counts %v", m.Counts)
	}

	dst := newSite(t)
	if _, err := ImportFolio(ctx, dst.svc.System("test"), dst.lib.Root, bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	got := dst.everything(t)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip differs (-want +got):\n%s", diff)
	}

	// The import records came across: importing the same exports into the
	// restored site finds every item and changes nothing.
	t.Run("ReimportAfterRestore", func(t *testing.T) {
		recs, n, err := dst.db.FindImportRecords(ctx, 0, 0)
		if want, _, _ := src.db.FindImportRecords(ctx, 0, 0); err != nil || n == 0 || !cmp.Equal(recs, want) {
			t.Fatalf("import records after restore: %d, %v (want %d)", n, err, len(want))
		}
		before := dst.everything(t)
		for _, f := range []string{"wp5-classic.xml", "wp6-block.xml"} {
			rep, err := ImportWordPress(ctx, open(t, f), dst.opts())
			if err != nil {
				t.Fatal(err)
			}
			for kind, c := range rep.Counts {
				if c.Created != 0 || c.Updated != 0 {
					t.Errorf("%s: %s %+v after restore, want nothing created or updated", f, kind, *c)
				}
			}
		}
		opt := dst.opts()
		opt.Uploads = filepath.Join("testdata", "ghost-images")
		rep, err := ImportGhost(ctx, open(t, "ghost-5.json"), opt)
		if err != nil {
			t.Fatal(err)
		}
		for kind, c := range rep.Counts {
			if c.Created != 0 || c.Updated != 0 {
				t.Errorf("ghost: %s %+v after restore", kind, *c)
			}
		}
		if diff := cmp.Diff(before, dst.everything(t)); diff != "" {
			t.Errorf("re-import after restore changed the site (-before +after):\n%s", diff)
		}
	})
	t.Run("ErrNotEmpty", func(t *testing.T) {
		before := dst.counts(t)
		_, err := ImportFolio(ctx, dst.svc.System("test"), dst.lib.Root, bytes.NewReader(buf.Bytes()))
		if content.ErrorCode(err) != content.ECONFLICT {
			t.Fatalf("err = %v, want conflict", err)
		}
		if dst.counts(t) != before {
			t.Error("counts changed")
		}
	})
	t.Run("ErrDamaged", func(t *testing.T) {
		fresh := newSite(t)
		cut := buf.Bytes()[:buf.Len()*2/3]
		if _, err := ImportFolio(ctx, fresh.svc.System("test"), fresh.lib.Root, bytes.NewReader(cut)); err == nil {
			t.Fatal("a truncated archive was accepted")
		}
		if (fresh.counts(t) != counts{}) {
			t.Errorf("truncated archive left %+v", fresh.counts(t))
		}
		if entries, _ := os.ReadDir(fresh.lib.Root); len(entries) > 0 {
			files := 0
			filepath.WalkDir(fresh.lib.Root, func(p string, d os.DirEntry, err error) error {
				if d != nil && !d.IsDir() {
					files++
				}
				return nil
			})
			if files > 0 {
				t.Errorf("%d media files left", files)
			}
		}
	})
}

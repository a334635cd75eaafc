package importer

import (
	"context"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

func TestImportWordPress_Classic(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	rep, err := ImportWordPress(ctx, open(t, "wp5-classic.xml"), s.opts())
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	rep.WriteTo(&out)
	t.Log(out.String())

	if c := rep.Counts[kindArticle]; c.Created != 4 || c.Skipped != 1 {
		t.Errorf("article counts = %+v, want 4 created (quota, draft, private, scheduled), 1 skipped (trash)", *c)
	}
	if c := rep.Counts[kindPage]; c.Created != 1 {
		t.Errorf("page counts = %+v", *c)
	}

	a := s.article(t, "en", "the-quota-that-emptied-the-north-quay")
	t.Run("post", func(t *testing.T) {
		if a.Status != content.StatusPublished || !a.Featured {
			t.Errorf("status %q featured %v, want published and featured (sticky)", a.Status, a.Featured)
		}
		if want := time.Date(2019, 5, 5, 7, 30, 0, 0, time.UTC); !a.PublishedAt.Equal(want) {
			t.Errorf("published %v, want %v (post_date_gmt)", a.PublishedAt, want)
		}
		if len(a.Authors) != 1 || a.Authors[0].Name != "Mara Keel" {
			t.Errorf("authors %+v", a.Authors)
		}
		var terms []string
		for _, tm := range a.Terms {
			terms = append(terms, string(tm.Kind)+":"+tm.Name)
		}
		if got, want := strings.Join(terms, ","), "theme:The Coast,theme:Fisheries & Boats,tag:Quota"; got != want {
			t.Errorf("terms %s, want %s", got, want)
		}
		if a.Excerpt != "A month after the quota, the auction hall went quiet." {
			t.Errorf("excerpt %q", a.Excerpt)
		}
		for _, want := range []string{
			"<p>When the new quota came in, the auction hall went quiet within a month.</p>",
			"<p>Skippers who had fished the bank for *thirty* years sold their licences.<br/>\nSome kept the boats.</p>",
			// The inline image is the featured one: imported once, shown from the media library.
			"<figure><img src=\"" + a.Image.URL + "\" alt=\"Trawlers at the quay\"",
			"<figcaption>The north quay, May 2019.</figcaption></figure>",
			"<h2>What the numbers say</h2>",
			"<p>Landings fell by a third.</p>",
			"<li>Cod: down 40%</li>",
			"<p># Not a heading",
		} {
			if !strings.Contains(a.BodyHTML, want) {
				t.Errorf("body lacks %q:\n%s", want, a.BodyHTML)
			}
		}
		for _, bad := range []string{"<script", "alert", "[caption", "<h1", "<!--"} {
			if strings.Contains(a.BodyHTML, bad) {
				t.Errorf("body holds %q:\n%s", bad, a.BodyHTML)
			}
		}
		im := a.Image
		if im == nil || im.MediaID == 0 || im.Credit != "Ines Varga" ||
			im.Caption != "Trawlers tied up at the north quay before the morning auction." ||
			im.Alt != "Three trawlers moored at a stone quay under a pale sky" || im.Width != 24 {
			t.Fatalf("image %+v", im)
		}
		m, err := s.db.FindMediaByID(ctx, im.MediaID)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(s.lib.Root + "/" + m.Path)
		want, _ := os.ReadFile("testdata/uploads/2019/05/harbour-at-dawn.png")
		if string(got) != string(want) {
			t.Error("stored image differs from the upload")
		}
	})
	t.Run("redirects", func(t *testing.T) {
		for _, from := range []string{"/2019/05/the-quota-that-emptied-the-north-quay/", "/?p=10"} {
			rd, err := s.db.FindRedirect(ctx, from)
			if err != nil {
				t.Fatalf("%s: %v", from, err)
			}
			if rd.To != "/the-quota-that-emptied-the-north-quay/" || rd.Status != 301 {
				t.Errorf("%s → %+v", from, rd)
			}
		}
		if rd, err := s.db.FindRedirect(ctx, "/?page_id=20"); err != nil || rd.To != "/about/" {
			t.Errorf("page redirect %+v %v", rd, err)
		}
	})
	t.Run("comments", func(t *testing.T) {
		cs, n, err := s.db.FindComments(ctx, a.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Fatalf("%d comments, want 2 (spam left out)", n)
		}
		if cs[0].AuthorName != "Ruth Calder" || cs[0].AuthorURL != "https://ruth.example.net/" ||
			!strings.Contains(cs[0].BodyHTML, "<p>My father sold his licence that spring.</p>") ||
			strings.Contains(cs[0].BodyHTML, "onerror") || cs[0].Status != store.CommentApproved {
			t.Errorf("comment 1 %+v", cs[0])
		}
		if cs[1].ParentID != cs[0].ID || cs[1].AuthorURL != "" {
			t.Errorf("reply %+v: want parent %d and no javascript: URL", cs[1], cs[0].ID)
		}
	})
	t.Run("others", func(t *testing.T) {
		page := s.article(t, "en", "about")
		if !page.IsPage() || len(page.Terms) != 0 {
			t.Errorf("WordPress page: type %q terms %+v, want a page", page.Type, page.Terms)
		}
		if !strings.Contains(page.BodyHTML, "<p>The Ledger has covered the harbour since 2009.</p>\n<p>Write to us") {
			t.Errorf("page body %q", page.BodyHTML)
		}
		draft := s.article(t, "en", "notes-toward-a-history-of-the-ropewalk")
		if draft.Status != content.StatusDraft || len(draft.Authors) != 0 || len(draft.Terms) != 0 {
			t.Errorf("draft %+v", draft)
		}
		if s := s.article(t, "en", "board-minutes-april"); s.Status != content.StatusDraft {
			t.Errorf("private post status %q", s.Status)
		}
		sch := s.article(t, "en", "before-the-winter-storms")
		if sch.Status != content.StatusScheduled || sch.Image != nil {
			t.Errorf("future post %q image %+v", sch.Status, sch.Image)
		}
		if _, err := s.db.FindArticleBySlug(ctx, "en", "deleted-rumour__trashed"); content.ErrorCode(err) != content.ENOTFOUND {
			t.Errorf("trashed post imported: %v", err)
		}
		for _, w := range []struct {
			item int
			sub  string
		}{
			{3, `author "ghostwriter" is not in the export`},
			{5, `post type "tribe_events" is not imported`},
			{7, "private post imported as a draft"},
			{9, "storm-shutters.jpg is missing"},
		} {
			if !hasWarning(rep, w.item, w.sub) {
				t.Errorf("no warning %q on item %d", w.sub, w.item)
			}
		}
	})
}

func TestImportWordPress_BlockEditorRTL(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	opt := s.opts()
	m, err := ParseMapping(open(t, "mapping.txt"))
	if err != nil {
		t.Fatal(err)
	}
	opt.Mapping = m
	rep, err := ImportWordPress(ctx, open(t, "wp6-block.xml"), opt)
	if err != nil {
		t.Fatal(err)
	}
	a := s.article(t, "en", "سیاست-آب-در-هرات")
	if a.Title != "سیاست آب در هرات" || a.Status != content.StatusPublished {
		t.Errorf("title %q status %q", a.Title, a.Status)
	}
	if want := time.Date(2023, 3, 2, 9, 0, 0, 0, time.UTC); !a.PublishedAt.Equal(want) {
		t.Errorf("published %v, want %v", a.PublishedAt, want)
	}
	for _, want := range []string{
		"<p>در سال‌های خشک، کشاورزان هرات به <strong>قنات‌ها</strong> بازگشتند.</p>",
		"<h2>حق‌آبه چیست؟</h2>",
		"<figcaption>قنات، اسفند ۱۴۰۱</figcaption></figure>",
		"<li>سهم هر خانوار</li>",
		"<p>* این یک ستاره است، نه فهرست.</p>",
	} {
		if !strings.Contains(a.BodyHTML, want) {
			t.Errorf("body lacks %q:\n%s", want, a.BodyHTML)
		}
	}
	if strings.Contains(a.BodyMarkdown, "wp:") {
		t.Errorf("block comments left in the source:\n%s", a.BodyMarkdown)
	}
	var kinds []string
	for _, tm := range a.Terms {
		kinds = append(kinds, string(tm.Kind)+":"+tm.Slug+":"+tm.Name)
	}
	if got, want := strings.Join(kinds, ","), "region:هرات:هرات,dossier:water-rights:حق‌آبه,tag:کم-آبی:کم‌آبی"; got != want {
		t.Errorf("terms %s\nwant  %s", got, want)
	}
	if a.Image == nil || a.Image.Alt != "دهانهٔ سنگی قنات" || a.Image.Caption != "دهانهٔ یک قنات در حاشیهٔ هرات" {
		t.Errorf("image %+v", a.Image)
	}
	if rd, err := s.db.FindRedirect(ctx, "/%D8%B3%DB%8C%D8%A7%D8%B3%D8%AA-%D8%A2%D8%A8-%D8%AF%D8%B1-%D9%87%D8%B1%D8%A7%D8%AA/"); err != nil {
		if rd2, err2 := s.db.FindRedirect(ctx, "/?p=210"); err2 != nil || rd2.To != "/"+urlEscape("سیاست-آب-در-هرات")+"/" {
			t.Errorf("?p redirect %+v %v", rd2, err2)
		}
	} else {
		t.Logf("permalink redirect %+v", rd)
	}
	ar := s.article(t, "en", "مياه-الري")
	if ar.Status != content.StatusReview || !strings.Contains(ar.BodyHTML, "<cite>مزارع من دير علا</cite></blockquote>") {
		t.Errorf("arabic post %q:\n%s", ar.Status, ar.BodyHTML)
	}
	cs, _, _ := s.db.FindComments(ctx, a.ID, 0, 0)
	if len(cs) != 1 || cs[0].Status != store.CommentPending || cs[0].AuthorName != "احمد" {
		t.Errorf("comments %+v", cs)
	}
	_ = rep
}

func TestImportWordPress_Malformed(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	if _, err := ImportWordPress(ctx, open(t, "wp5-classic.xml"), s.opts()); err != nil {
		t.Fatal(err)
	}
	before := s.counts(t)
	_, err := ImportWordPress(ctx, open(t, "malformed.xml"), s.opts())
	var we *WordPressError
	if !errors.As(err, &we) || we.Line != 22 {
		t.Fatalf("err = %v, want a WordPressError on line 22", err)
	}
	if !strings.Contains(err.Error(), "line 22") {
		t.Errorf("message %q does not name the line", err)
	}
	if after := s.counts(t); after != before {
		t.Errorf("counts %+v after a failed import, want %+v", after, before)
	}
}

func TestImportWordPress_RollbackOnFailure(t *testing.T) {
	s := newSite(t)
	before := s.counts(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opt := s.opts()
	// Cancel once most items are in: everything written so far must go.
	opt.Progress = &cancelAfter{n: 8, cancel: cancel}
	_, err := ImportWordPress(ctx, open(t, "wp5-classic.xml"), opt)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if after := s.counts(t); after != before {
		t.Errorf("counts %+v after a failed import, want %+v", after, before)
	}
	entries, _ := os.ReadDir(s.lib.Root + "/2019")
	for _, e := range entries {
		files, _ := os.ReadDir(s.lib.Root + "/2019/" + e.Name())
		if len(files) > 0 {
			t.Errorf("media files left behind: %v", files)
		}
	}
}

type cancelAfter struct {
	n, seen int
	cancel  func()
}

func (c *cancelAfter) Start(int, string) {}
func (c *cancelAfter) Done()             {}
func (c *cancelAfter) Add(n int) {
	if c.seen += n; c.seen >= c.n {
		c.cancel()
	}
}

func TestImportWordPress_DryRun(t *testing.T) {
	s := newSite(t)
	opt := s.opts()
	opt.DryRun = true
	rep, err := ImportWordPress(context.Background(), open(t, "wp5-classic.xml"), opt)
	if err != nil {
		t.Fatal(err)
	}
	if (s.counts(t) != counts{}) {
		t.Errorf("dry run wrote: %+v", s.counts(t))
	}
	if rep.Counts[kindArticle].Created != 4 || rep.Counts[kindMedia].Created != 1 || !rep.DryRun {
		t.Errorf("dry-run report %+v %+v", *rep.Counts[kindArticle], rep.Counts[kindMedia])
	}
}

func TestImportWordPress_Rerun(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	if _, err := ImportWordPress(ctx, open(t, "wp5-classic.xml"), s.opts()); err != nil {
		t.Fatal(err)
	}
	first := s.counts(t)

	t.Run("unchanged", func(t *testing.T) {
		rep, err := ImportWordPress(ctx, open(t, "wp5-classic.xml"), s.opts())
		if err != nil {
			t.Fatal(err)
		}
		if got := s.counts(t); got != first {
			t.Errorf("counts %+v after a re-run, want %+v", got, first)
		}
		if c := rep.Counts[kindArticle]; c.Unchanged != 4 || c.Created != 0 {
			t.Errorf("re-run counts %+v", *c)
		}
	})

	changed := func(t *testing.T) *os.File {
		b, err := os.ReadFile("testdata/wp5-classic.xml")
		if err != nil {
			t.Fatal(err)
		}
		b = []byte(strings.Replace(string(b), "Landings fell by a third.", "Landings fell by a half.", 1))
		p := t.TempDir() + "/changed.xml"
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	const slug = "the-quota-that-emptied-the-north-quay"

	t.Run("updated", func(t *testing.T) {
		rep, err := ImportWordPress(ctx, changed(t), s.opts())
		if err != nil {
			t.Fatal(err)
		}
		if c := rep.Counts[kindArticle]; c.Updated != 1 || c.Unchanged != 3 {
			t.Errorf("counts %+v", *c)
		}
		if a := s.article(t, "en", slug); !strings.Contains(a.BodyHTML, "by a half") {
			t.Errorf("not updated: %s", a.BodyHTML)
		}
		if got := s.counts(t); got != first {
			t.Errorf("counts %+v, want %+v", got, first)
		}
	})

	t.Run("edited in Folio", func(t *testing.T) {
		a := s.article(t, "en", slug)
		a.Title = "The quota that emptied the quay (corrected)"
		if err := s.svc.System("test").UpdateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile("testdata/wp5-classic.xml")
		p := t.TempDir() + "/again.xml"
		os.WriteFile(p, []byte(strings.Replace(string(b), "Landings fell by a third.", "Landings fell by two fifths.", 1)), 0o644)
		f, _ := os.Open(p)
		defer f.Close()
		rep, err := ImportWordPress(ctx, f, s.opts())
		if err != nil {
			t.Fatal(err)
		}
		got := s.article(t, "en", slug)
		if got.Title != a.Title || strings.Contains(got.BodyHTML, "two fifths") {
			t.Errorf("edited article overwritten: %q", got.Title)
		}
		if !hasWarning(rep, 2, "edited in Folio") {
			t.Errorf("no warning: %+v", rep.Warnings)
		}
		f.Seek(0, 0)
		opt := s.opts()
		opt.Force = true
		if _, err := ImportWordPress(ctx, f, opt); err != nil {
			t.Fatal(err)
		}
		got = s.article(t, "en", slug)
		if got.Title != "The quota that emptied the north quay" || !strings.Contains(got.BodyHTML, "two fifths") {
			t.Errorf("--force did not overwrite: %q", got.Title)
		}
		if c := s.counts(t); c != first {
			t.Errorf("counts %+v, want %+v", c, first)
		}
	})
}

func urlEscape(s string) string { return (&url.URL{Path: s}).EscapedPath() }

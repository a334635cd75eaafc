package editorial_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store/sqlite/sqlitetest"
	"folio/internal/store/storetest"
)

type recorder struct {
	mu   sync.Mutex
	deps []string
}

func (r *recorder) record(ev key.Event) {
	deps := ev.Keys
	r.mu.Lock()
	defer r.mu.Unlock()
	r.deps = append(r.deps, deps...)
}

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	d := r.deps
	r.deps = nil
	return d
}

func setup(t *testing.T, now time.Time) (*editorial.Service, *recorder) {
	t.Helper()
	st := sqlitetest.New(t)
	rec := &recorder{}
	clock := func() time.Time { return now }
	return editorial.New(st, editorial.WithClock(clock), editorial.OnChange(rec.record)), rec
}

var now = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func TestService_CreateArticle(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		svc, rec := setup(t, now)
		a := &content.Article{Language: "en", Title: "Dams and Diplomacy", BodyMarkdown: "The *Rogun* dam.<script>alert(1)</script>", Status: content.StatusPublished}
		if err := svc.System("test").CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		if a.Slug != "dams-and-diplomacy" || !a.PublishedAt.Equal(now) {
			t.Fatalf("slug %q, published %v", a.Slug, a.PublishedAt)
		}
		if strings.Contains(a.BodyHTML, "<script") || !strings.Contains(a.BodyHTML, "<em>Rogun</em>") {
			t.Fatalf("body_html %q", a.BodyHTML)
		}
		if a.Excerpt != "The Rogun dam." {
			t.Fatalf("excerpt %q", a.Excerpt)
		}
		if deps := rec.take(); !slices.Contains(deps, key.Article(a.ID)) || !slices.Contains(deps, key.LangList("en")) {
			t.Fatalf("deps %v", deps)
		}
	})
	t.Run("GeneratedSlugGetsSuffix", func(t *testing.T) {
		svc, _ := setup(t, now)
		for i, want := range []string{"same-title", "same-title-2", "same-title-3"} {
			a := &content.Article{Language: "en", Title: "Same Title"}
			if err := svc.System("test").CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
			if a.Slug != want {
				t.Fatalf("%d: slug %q, want %q", i, a.Slug, want)
			}
		}
	})
	t.Run("ErrSlugTaken", func(t *testing.T) {
		svc, _ := setup(t, now)
		if err := svc.System("test").CreateArticle(ctx, &content.Article{Language: "en", Title: "A", Slug: "taken"}); err != nil {
			t.Fatal(err)
		}
		err := svc.System("test").CreateArticle(ctx, &content.Article{Language: "en", Title: "B", Slug: "taken"})
		if content.ErrorCode(err) != content.ECONFLICT {
			t.Fatalf("got %v, want conflict", err)
		}
	})
	t.Run("FuturePublishedIsScheduled", func(t *testing.T) {
		svc, _ := setup(t, now)
		a := &content.Article{Language: "en", Title: "Later", Status: content.StatusPublished, PublishedAt: now.Add(time.Hour)}
		if err := svc.System("test").CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		if a.Status != content.StatusScheduled {
			t.Fatalf("status %q", a.Status)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		svc, rec := setup(t, now)
		err := svc.System("test").CreateArticle(ctx, &content.Article{Language: "en"})
		if content.ErrorCode(err) != content.EINVALID || content.ErrorFields(err)["title"] == "" {
			t.Fatalf("got %v", err)
		}
		if d := rec.take(); len(d) != 0 {
			t.Fatalf("failed write notified %v", d)
		}
	})
}

func TestService_PublishSchedule(t *testing.T) {
	ctx := context.Background()
	clock := now
	st := sqlitetest.New(t)
	rec := &recorder{}
	svc := editorial.New(st, editorial.WithClock(func() time.Time { return clock }), editorial.OnChange(rec.record))
	region := storetest.MustCreateTerm(t, st, content.KindRegion, "Central Asia")
	a := &content.Article{Language: "en", Title: "Scheduled piece", Terms: []*content.Term{region}}
	if err := svc.System("test").CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	got, err := svc.System("test").Publish(ctx, a.ID, now.Add(2*time.Second))
	if err != nil || got.Status != content.StatusScheduled {
		t.Fatalf("publish at future: %v %v", got, err)
	}
	ids, err := svc.System("test").PublishDue(ctx)
	if err != nil || len(ids) != 0 {
		t.Fatalf("nothing due yet: %v %v", ids, err)
	}
	rec.take()
	clock = now.Add(3 * time.Second)
	ids, err = svc.System("test").PublishDue(ctx)
	if err != nil || len(ids) != 1 || ids[0] != a.ID {
		t.Fatalf("due: %v %v", ids, err)
	}
	if deps := rec.take(); !slices.Contains(deps, key.TermList(region.ID)) {
		t.Fatalf("publishing due article did not drop its term listing: %v", deps)
	}
	back, _ := st.FindArticleByID(ctx, a.ID)
	if !back.IsPublic(clock) {
		t.Fatalf("not public after PublishDue: %+v", back)
	}
	if _, err := svc.System("test").Unpublish(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	back, _ = st.FindArticleByID(ctx, a.ID)
	if back.IsPublic(clock) {
		t.Fatal("public after unpublish")
	}
}

func TestService_UpdateNotifiesOldAndNewTerms(t *testing.T) {
	ctx := context.Background()
	st := sqlitetest.New(t)
	rec := &recorder{}
	svc := editorial.New(st, editorial.WithClock(func() time.Time { return now }), editorial.OnChange(rec.record))
	oldT := storetest.MustCreateTerm(t, st, content.KindTheme, "Water")
	newT := storetest.MustCreateTerm(t, st, content.KindTheme, "Energy")
	au := storetest.MustCreateAuthor(t, st, "Leyla Hosseini")
	a := &content.Article{Language: "en", Title: "Moving piece", Status: content.StatusPublished, Terms: []*content.Term{oldT}, Authors: []*content.Author{au}}
	if err := svc.System("test").CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	rec.take()
	a.Terms = []*content.Term{newT}
	if err := svc.System("test").UpdateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	deps := rec.take()
	for _, want := range []string{key.TermList(oldT.ID), key.TermList(newT.ID), key.AuthorList(au.ID), key.Article(a.ID)} {
		if !slices.Contains(deps, want) {
			t.Errorf("deps %v lack %s", deps, want)
		}
	}
	if err := svc.System("test").DeleteArticle(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if deps := rec.take(); !slices.Contains(deps, key.TermList(newT.ID)) {
		t.Errorf("delete deps %v", deps)
	}
}

func TestService_Settings(t *testing.T) {
	svc, rec := setup(t, now)
	s := content.DefaultSettings()
	s.BaseURL = "not a url"
	if err := svc.System("test").UpdateSettings(context.Background(), &s); content.ErrorCode(err) != content.EINVALID {
		t.Fatalf("got %v", err)
	}
	s.BaseURL = "https://meridian.example/"
	if err := svc.System("test").UpdateSettings(context.Background(), &s); err != nil {
		t.Fatal(err)
	}
	if d := rec.take(); !slices.Equal(d, []string{key.Settings}) {
		t.Fatalf("deps %v", d)
	}
}

func TestService_DraftEditsDropNothingPublic(t *testing.T) {
	ctx := context.Background()
	svc, rec := setup(t, now)
	a := &content.Article{Language: "en", Title: "Draft"}
	if err := svc.System("test").CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	a.Title = "Draft, revised"
	if err := svc.System("test").UpdateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	for _, d := range rec.take() {
		if d != key.Article(a.ID) {
			t.Fatalf("draft edit emitted %q", d)
		}
	}
	if _, err := svc.System("test").Publish(ctx, a.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	rec.take()
	if _, err := svc.System("test").Unpublish(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if d := rec.take(); !slices.Contains(d, key.LangList("en")) {
		t.Fatalf("unpublish did not drop listings: %v", d)
	}
}

package editorial_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store/sqlite/sqlitetest"
)

// countingRecorder counts notifications as well as keys.
type countingRecorder struct {
	mu    sync.Mutex
	calls int
	deps  []string
}

func (r *countingRecorder) record(ev key.Event) {
	deps := ev.Keys
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	r.deps = append(r.deps, deps...)
}

func TestService_Batch(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		st := sqlitetest.New(t)
		rec := &countingRecorder{}
		svc := editorial.New(st, editorial.OnChange(rec.record))
		var updated []int64
		svc.OnArticleUpdated(func(_ context.Context, old, a *content.Article) { updated = append(updated, a.ID) })
		body := "The *Rogun* dam.<script>alert(1)</script>"
		pre := editorial.RenderBody(body)
		stale := editorial.RenderBody("Something else")
		var ids []int64
		err := svc.System("test").Batch(ctx, func(b *editorial.Editor) error {
			for i, p := range []*editorial.RenderedBody{pre, stale, nil} {
				a := &content.Article{Language: "en", Title: "Dam " + string(rune('A'+i)), BodyMarkdown: body, Status: content.StatusPublished}
				if err := b.CreateArticle(ctx, a, editorial.Prerendered(p)); err != nil {
					return err
				}
				ids = append(ids, a.ID)
			}
			a, err := b.Reads().FindArticleByID(ctx, ids[0])
			if err != nil {
				return err
			}
			a.Title = "Dam A, revised"
			return b.UpdateArticle(ctx, a, editorial.Prerendered(pre))
		})
		if err != nil {
			t.Fatal(err)
		}
		if rec.calls != 1 {
			t.Errorf("%d notifications, want one for the batch", rec.calls)
		}
		for _, id := range ids {
			if !slices.Contains(rec.deps, key.Article(id)) {
				t.Errorf("deps %v lack article %d", rec.deps, id)
			}
			a, err := st.FindArticleByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			// A body rendered from other source is not used.
			if !strings.Contains(a.BodyHTML, "<em>Rogun</em>") || strings.Contains(a.BodyHTML, "script") {
				t.Errorf("article %d body %q: want the sanitized render of its own source", id, a.BodyHTML)
			}
			if a.Excerpt == "" {
				t.Errorf("article %d has no excerpt", id)
			}
		}
		if n := strings.Count(strings.Join(rec.deps, " "), key.All); n != 1 {
			t.Errorf("%q notified %d times, want once", key.All, n)
		}
		if !slices.Equal(updated, ids[:1]) {
			t.Errorf("OnArticleUpdated saw %v, want %v", updated, ids[:1])
		}
	})
	t.Run("ErrRollsBackSilently", func(t *testing.T) {
		st := sqlitetest.New(t)
		rec := &countingRecorder{}
		svc := editorial.New(st, editorial.OnChange(rec.record))
		boom := errors.New("boom")
		err := svc.System("test").Batch(ctx, func(b *editorial.Editor) error {
			if err := b.CreateArticle(ctx, &content.Article{Language: "en", Title: "Gone", BodyMarkdown: "x", Status: content.StatusPublished}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want boom", err)
		}
		if rec.calls != 0 {
			t.Errorf("%d notifications for a rolled-back batch, want none", rec.calls)
		}
		if taken, _ := st.SlugTaken(ctx, "en", "gone", 0); taken {
			t.Error("article of a rolled-back batch was kept")
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		st := sqlitetest.New(t)
		svc := editorial.New(st)
		err := svc.System("test").Batch(ctx, func(b *editorial.Editor) error {
			return b.CreateArticle(ctx, &content.Article{Language: "en", Title: "", Status: content.StatusDraft})
		})
		if content.ErrorCode(err) != content.EINVALID {
			t.Fatalf("err = %v, want invalid", err)
		}
	})
}

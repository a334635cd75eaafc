package importer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"folio/internal/content"
	"folio/internal/store"
)

// articleState is what an import may change of the site's articles.
func (s *site) articleState(t *testing.T) map[int64]string {
	t.Helper()
	as, _, err := s.db.FindArticles(context.Background(), store.ArticleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]string{}
	for _, a := range as {
		out[a.ID] = a.Title + "\x00" + a.Slug + "\x00" + a.BodyMarkdown + "\x00" + a.BodyHTML + "\x00" + a.Excerpt
	}
	return out
}

// A failure undoes the batches that already committed, whether the run
// created articles or updated them, with the journal spilled to disk.
func TestImportWordPress_UndoAcrossBatches(t *testing.T) {
	tests := []struct {
		name   string
		rerun  bool // a first import, then a changed export that fails
		cancel int  // items in before the cancel
	}{
		{"create", false, 2},
		{"update", true, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t)
			src := filepath.Join("testdata", "wp5-classic.xml")
			if tt.rerun {
				if _, err := ImportWordPress(context.Background(), open(t, "wp5-classic.xml"), s.opts()); err != nil {
					t.Fatal(err)
				}
				b, err := os.ReadFile(src)
				if err != nil {
					t.Fatal(err)
				}
				// Every post's body changes, so the second run updates them.
				changed := strings.ReplaceAll(string(b), "</p>", " (revised)</p>")
				changed = strings.ReplaceAll(changed, "<content:encoded><![CDATA[", "<content:encoded><![CDATA[Revised. ")
				src = filepath.Join(t.TempDir(), "changed.xml")
				if err := os.WriteFile(src, []byte(changed), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			before, beforeArticles := s.counts(t), s.articleState(t)
			f, err := os.Open(src)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			opt := s.opts()
			opt.Force = true
			opt.batch = 1
			opt.Progress = &cancelAfter{n: tt.cancel, cancel: cancel}
			r, err := newRun(ctx, "wordpress", opt)
			if err != nil {
				t.Fatal(err)
			}
			r.journal.chunk = 2
			_, err = importWordPress(ctx, f, r)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			if after := s.counts(t); after != before {
				t.Errorf("counts %+v after a failed import, want %+v", after, before)
			}
			after := s.articleState(t)
			if len(after) != len(beforeArticles) {
				t.Fatalf("%d articles after the failed import, want %d", len(after), len(beforeArticles))
			}
			for id, st := range beforeArticles {
				if after[id] != st {
					t.Errorf("article %d not put back:\n got %q\nwant %q", id, after[id], st)
				}
			}
		})
	}
}

// The journal keeps steps in order across its in-memory and spilled parts.
func TestJournal_ReplayNewestFirst(t *testing.T) {
	j := journal{chunk: 3}
	defer j.close()
	for i := int64(1); i <= 10; i++ {
		st := undoStep{Op: undoCommentNew, ID: i}
		if i == 5 {
			st = undoStep{Op: undoArticleOld, Article: &content.Article{ID: 5, Title: "Old «title»"}}
		}
		if err := j.add(st); err != nil {
			t.Fatal(err)
		}
	}
	if len(j.segs) != 3 || len(j.mem) != 1 {
		t.Fatalf("segments %d, in memory %d; want 3 and 1", len(j.segs), len(j.mem))
	}
	var got []int64
	errs := j.replay(func(st undoStep) error {
		if st.Article != nil {
			if st.Article.Title != "Old «title»" {
				t.Errorf("article step came back as %+v", st.Article)
			}
			got = append(got, st.Article.ID)
			return nil
		}
		got = append(got, st.ID)
		return nil
	})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := []int64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}
	if len(got) != len(want) {
		t.Fatalf("replayed %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("replayed %v, want %v", got, want)
		}
	}
}

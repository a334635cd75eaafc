package backup

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store"
	"folio/internal/store/sqlite"
	"folio/internal/store/sqlite/sqlitetest"
)

func TestBackupDuringWrites(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.New(t)
	svc := editorial.New(db)
	mediaRoot := filepath.Join(t.TempDir(), "media")
	if err := os.MkdirAll(filepath.Join(mediaRoot, "2026", "01"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mediaRoot, "2026", "01", "map.png"), []byte("\x89PNG fake bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	au := &content.Author{Name: "Ana Ruiz"}
	tm := &content.Term{Kind: content.KindRegion, Name: "Andes"}
	if err := svc.System("test").CreateAuthor(ctx, au); err != nil {
		t.Fatal(err)
	}
	if err := svc.System("test").CreateTerm(ctx, tm); err != nil {
		t.Fatal(err)
	}

	// A writer creates articles, each with its author and term, until the
	// backup is done; the backup must hold a prefix of them, each whole.
	var written atomic.Int64
	stop := make(chan struct{})
	started := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			a := &content.Article{Language: "en", Title: fmt.Sprintf("Dispatch %d", i), BodyMarkdown: "Text.",
				Status: content.StatusPublished, Authors: []*content.Author{au}, Terms: []*content.Term{tm}}
			if err := svc.System("test").CreateArticle(ctx, a); err != nil {
				t.Error(err)
				return
			}
			if written.Add(1) == 3 {
				close(started)
			}
		}
	}()
	<-started
	before := written.Load()
	var buf bytes.Buffer
	m, err := Write(ctx, db, mediaRoot, &buf, "test")
	after := written.Load()
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if m.MediaFiles != 1 {
		t.Errorf("media files %d, want 1", m.MediaFiles)
	}

	dir := filepath.Join(t.TempDir(), "restored")
	if _, err := Restore(ctx, bytes.NewReader(buf.Bytes()), dir); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "media", "2026", "01", "map.png"))
	if err != nil || string(got) != "\x89PNG fake bytes" {
		t.Errorf("media file %q %v", got, err)
	}
	rdb, err := sqlite.Open(ctx, filepath.Join(dir, DBName))
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	// PRAGMA integrity_check must answer "ok" and no foreign key dangle.
	if err := IntegrityCheck(ctx, filepath.Join(dir, DBName)); err != nil {
		t.Fatal(err)
	}
	arts, n, err := rdb.FindArticles(ctx, store.ArticleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if int64(n) < before || int64(n) > after+1 {
		t.Errorf("backup holds %d articles, want between %d and %d", n, before, after+1)
	}
	seen := map[string]bool{}
	for _, a := range arts {
		if len(a.Authors) != 1 || a.Authors[0].ID != au.ID || len(a.Terms) != 1 || a.Terms[0].ID != tm.ID {
			t.Errorf("article %d restored without its author or term: %+v %+v", a.ID, a.Authors, a.Terms)
		}
		seen[a.Title] = true
	}
	// A point in time: the articles are exactly the first n written.
	for i := 0; i < n; i++ {
		if !seen[fmt.Sprintf("Dispatch %d", i)] {
			t.Errorf("Dispatch %d missing from a backup of %d articles", i, n)
		}
	}
	t.Logf("backup taken with %d..%d articles written holds %d", before, after, n)

	t.Run("ErrNotEmpty", func(t *testing.T) {
		if _, err := Restore(ctx, bytes.NewReader(buf.Bytes()), dir); err == nil {
			t.Fatal("restore into a non-empty directory succeeded")
		}
	})
	t.Run("ErrDamaged", func(t *testing.T) {
		d := filepath.Join(t.TempDir(), "x")
		if _, err := Restore(ctx, bytes.NewReader(buf.Bytes()[:buf.Len()/2]), d); err == nil {
			t.Fatal("a truncated backup was restored")
		}
		if entries, _ := os.ReadDir(d); len(entries) != 0 {
			t.Errorf("failed restore left %v", entries)
		}
	})
}

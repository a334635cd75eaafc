package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

// TestOpen_Pragmas checks that every pooled connection, not just the first,
// carries the DSN pragmas.
func TestOpen_Pragmas(t *testing.T) {
	ctx := context.Background()
	// The name needs URI escaping in the DSN; the file must still be created
	// under exactly this name.
	path := filepath.Join(t.TempDir(), "odd?name#1%.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database file: %v", err)
	}
	for i := range maxOpenConns {
		c, err := db.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		for _, tt := range []struct{ pragma, want string }{
			{"busy_timeout", "5000"}, {"journal_mode", "wal"}, {"foreign_keys", "1"}, {"synchronous", "1"},
		} {
			var got string
			if err := c.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if !strings.EqualFold(got, tt.want) {
				t.Errorf("conn %d: %s = %q, want %q", i, tt.pragma, got, tt.want)
			}
		}
	}
}

func TestTimeScanner(t *testing.T) {
	var got time.Time
	for _, tt := range []struct {
		in      any
		want    time.Time
		wantErr bool
	}{
		{nil, time.Time{}, false},
		{"2026-01-02T03:04:05.000000001Z", time.Date(2026, 1, 2, 3, 4, 5, 1, time.UTC), false},
		{"2026-01-02T05:04:05+02:00", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), false},
		{[]byte("2026-01-02T03:04:05Z"), time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), false},
		{"yesterday", time.Time{}, true},
		{int64(5), time.Time{}, true},
	} {
		err := timeDst(&got).Scan(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("Scan(%v) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && (!got.Equal(tt.want) || got.Location() != time.UTC) {
			t.Errorf("Scan(%v) = %v, want %v UTC", tt.in, got, tt.want)
		}
	}
}

func TestFormatTime_SortsAsTime(t *testing.T) {
	a := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	b := a.Add(500 * time.Millisecond)
	if !(formatTime(a) < formatTime(b)) {
		t.Fatalf("%s does not sort before %s", formatTime(a), formatTime(b))
	}
}

// TestListingUsesIndex guards the listing query plans: newest-first public
// listings and their counts must walk a covering index, never sort the
// table or read rows (whose filter columns sit behind the article bodies).
func TestListingUsesIndex(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const public = `a.status = 'published' AND a.published_at IS NOT NULL AND a.published_at <= 'x'`
	tests := []struct {
		name, query, want string
	}{
		{"all newest first", `SELECT a.id FROM articles a WHERE ` + public + ` ORDER BY a.sort_time DESC, a.id DESC LIMIT 10`,
			"COVERING INDEX articles_listing_all"},
		{"count all", `SELECT COUNT(*) FROM articles a WHERE ` + public, "COVERING INDEX articles_listing_"},
		{"count one language", `SELECT COUNT(*) FROM articles a WHERE ` + public + ` AND a.language = 'en'`,
			"COVERING INDEX articles_listing_lang"},
		{"count one term", `SELECT COUNT(*) FROM articles a WHERE ` + public + ` AND a.language = 'en'
			AND a.id IN (SELECT x.article_id FROM article_terms x WHERE x.term_id = 3)`,
			"COVERING INDEX articles_listing_lang"},
		{"one author page", `SELECT a.id FROM articles a WHERE ` + public + ` AND a.language = 'en'
			AND a.id IN (SELECT x.article_id FROM article_authors x WHERE x.author_id = 3)
			ORDER BY a.sort_time DESC, a.id DESC LIMIT 12`, "articles_listing_lang"},
		{"one language page", `SELECT a.id FROM articles a WHERE ` + public + ` AND a.language = 'en'
			ORDER BY a.sort_time DESC, a.id DESC LIMIT 12 OFFSET 24`, "COVERING INDEX articles_listing_lang"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := db.db.QueryContext(ctx, `EXPLAIN QUERY PLAN `+tt.query)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, notused int
				var detail string
				if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			p := strings.Join(plan, "\n")
			if !strings.Contains(p, tt.want) || strings.Contains(p, "TEMP B-TREE") {
				t.Fatalf("plan does not use %s without sorting:\n%s", tt.want, p)
			}
		})
	}
}

func TestFindArticles_NoTotal(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "nototal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, title := range []string{"One", "Two", "Three"} {
		if err := db.CreateArticle(ctx, &content.Article{Language: "en", Title: title, Status: content.StatusPublished,
			PublishedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}, store.ArticleWrite{}); err != nil {
			t.Fatal(err)
		}
	}
	arts, total, err := db.FindArticles(ctx, store.ArticleFilter{Public: true, Limit: 2})
	if err != nil || len(arts) != 2 || total != 3 {
		t.Fatalf("with total: %d articles, total %d, %v", len(arts), total, err)
	}
	arts, total, err = db.FindArticles(ctx, store.ArticleFilter{Public: true, Limit: 2, NoTotal: true})
	if err != nil || len(arts) != 2 || total != -1 {
		t.Fatalf("NoTotal: %d articles, total %d, %v", len(arts), total, err)
	}
}

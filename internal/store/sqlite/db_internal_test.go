package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

// TestListingUsesIndex guards the listing query plan: the newest-first
// public listing must walk an index, not sort the whole table.
func TestListingUsesIndex(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.db.QueryContext(ctx, `EXPLAIN QUERY PLAN SELECT a.id FROM articles a
		WHERE a.status = 'published' AND a.published_at <= ? ORDER BY a.sort_time DESC, a.id DESC LIMIT 10`, "x")
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
	if !strings.Contains(p, "articles_status_sort") || strings.Contains(p, "TEMP B-TREE") {
		t.Fatalf("plan does not use articles_status_sort without sorting:\n%s", p)
	}
}

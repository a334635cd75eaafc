package postgres_test

import (
	"context"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/store"
	"folio/internal/store/postgres/postgrestest"
	"folio/internal/store/sqlite/sqlitetest"
	"folio/internal/store/storetest"
)

// TestCopyFrom copies an SQLite store into PostgreSQL: the checksums of
// both sides agree, a changed value shows in its table's checksum only,
// and new rows after the copy get fresh IDs.
func TestCopyFrom(t *testing.T) {
	ctx := context.Background()
	lite := sqlitetest.New(t)
	au := storetest.MustCreateAuthor(t, lite, "Ana")
	tag := storetest.MustCreateTerm(t, lite, content.KindTag, "Water")
	a := storetest.MustCreateArticle(t, lite, &content.Article{Title: "Ω and ω", Status: content.StatusPublished,
		PublishedAt: time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC), Featured: true,
		Authors: []*content.Author{{ID: au.ID}}, Terms: []*content.Term{{ID: tag.ID}},
		Image: &content.Image{URL: "/media/a.webp", Alt: "A canal"}})
	if err := lite.PutRedirect(ctx, &content.Redirect{From: "/old/", To: "/new/", Status: 301}); err != nil {
		t.Fatal(err)
	}

	pg := postgrestest.New(t)
	if err := pg.CopyFrom(ctx, lite.SQL()); err != nil {
		t.Fatal(err)
	}
	want, err := pg.Checksums(ctx, lite.SQL())
	if err != nil {
		t.Fatal(err)
	}
	got, err := pg.Checksums(ctx, pg.SQL())
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if want[i] != got[i] {
			t.Errorf("%s: sqlite %d rows %s, postgres %d rows %s", want[i].Table, want[i].Rows, want[i].Sum, got[i].Rows, got[i].Sum)
		}
	}
	copied, err := pg.FindArticleByID(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if copied.Title != a.Title || !copied.Featured || copied.Image == nil || copied.Image.Alt != "A canal" ||
		len(copied.Authors) != 1 || len(copied.Terms) != 1 || !copied.PublishedAt.Equal(a.PublishedAt.Round(time.Microsecond)) {
		t.Fatalf("copied article differs: %+v", copied)
	}

	if _, err := pg.SQL().ExecContext(ctx, `UPDATE articles SET title = 'Changed' WHERE id = $1`, a.ID); err != nil {
		t.Fatal(err)
	}
	after, err := pg.Checksums(ctx, pg.SQL())
	if err != nil {
		t.Fatal(err)
	}
	for i := range after {
		if changed := after[i] != got[i]; changed != (after[i].Table == "articles") {
			t.Errorf("%s: checksum changed = %v after editing one article title", after[i].Table, changed)
		}
	}

	b := &content.Article{Language: "en", Title: "After the move", Slug: "after-the-move", Authors: []*content.Author{{ID: au.ID}}}
	if err := pg.CreateArticle(ctx, b, store.ArticleWrite{}); err != nil || b.ID <= a.ID {
		t.Fatalf("new article after copy: id %d (copied %d), %v", b.ID, a.ID, err)
	}
	if err := pg.CopyFrom(ctx, lite.SQL()); content.ErrorCode(err) != content.ECONFLICT {
		t.Fatalf("copy into a database with a site: %v, want conflict", err)
	}
}

package storetest

import (
	"context"
	"testing"

	"folio/internal/content"
	"folio/internal/store"
)

// testCorrections checks that notes are stored, come back with their
// article (oldest first) and in the log (newest first), and go with it.
func testCorrections(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()
	s := newStore(t)
	a := MustCreateArticle(t, s, &content.Article{Status: content.StatusPublished, PublishedAt: base})
	b := MustCreateArticle(t, s, &content.Article{Status: content.StatusPublished, PublishedAt: base})
	c1 := &content.Correction{ArticleID: a.ID, Text: "First.", At: base.Add(1)}
	c2 := &content.Correction{ArticleID: a.ID, Kind: content.UpdateKind, Position: content.PositionTop, Text: "Second.", At: base.Add(2e9)}
	c3 := &content.Correction{ArticleID: b.ID, Text: "Third.", At: base.Add(3e9)}
	for _, c := range []*content.Correction{c1, c2, c3} {
		ok(t, s.AddCorrection(ctx, c))
	}
	if c1.ID == 0 || c1.Kind != content.CorrectionKind || c1.Position != content.PositionBottom {
		t.Fatalf("c1 = %+v, want an ID and the default kind and position", c1)
	}
	got, err := s.FindArticleByID(ctx, a.ID)
	ok(t, err)
	if len(got.Corrections) != 2 || got.Corrections[0].Text != "First." || got.Corrections[1].Kind != content.UpdateKind ||
		got.Corrections[1].Position != content.PositionTop || !got.LastNote().Equal(c2.At) {
		t.Fatalf("article notes = %+v", got.Corrections)
	}
	list, _, err := s.FindArticles(ctx, store.ArticleFilter{IDs: []int64{b.ID}})
	ok(t, err)
	if len(list) != 1 || len(list[0].Corrections) != 1 {
		t.Fatalf("listing did not load the notes: %+v", list)
	}
	log, total, err := s.FindCorrections(ctx, store.CorrectionFilter{Limit: 2})
	ok(t, err)
	if total != 3 || len(log) != 2 || log[0].ID != c3.ID || log[1].ID != c2.ID {
		t.Fatalf("log = %+v (total %d), want c3, c2 of 3", log, total)
	}
	byArticle, total, err := s.FindCorrections(ctx, store.CorrectionFilter{ArticleID: b.ID})
	ok(t, err)
	if total != 1 || len(byArticle) != 1 || byArticle[0].Text != "Third." {
		t.Fatalf("notes of b = %+v", byArticle)
	}

	t.Run("ErrInvalid", func(t *testing.T) {
		for _, c := range []*content.Correction{
			{ArticleID: a.ID, Text: ""},
			{ArticleID: a.ID, Text: "x", Kind: "erratum"},
			{ArticleID: a.ID, Text: "x", Position: "middle"},
			{ArticleID: 999999, Text: "x"},
		} {
			wantCode(t, s.AddCorrection(ctx, c), content.EINVALID)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		ok(t, s.DeleteCorrection(ctx, c1.ID))
		wantCode(t, s.DeleteCorrection(ctx, c1.ID), content.ENOTFOUND)
		ok(t, s.DeleteArticle(ctx, b.ID))
		_, total, err := s.FindCorrections(ctx, store.CorrectionFilter{})
		ok(t, err)
		if total != 1 {
			t.Fatalf("after deleting c1 and article b: %d notes, want 1", total)
		}
	})
}

package storetest

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"folio/internal/content"
	"folio/internal/store"
)

// TranslationsStore is a store that also keeps translation data.
type TranslationsStore interface {
	store.Store
	store.TranslationStore
}

// RunTranslations runs the contract of store.TranslationStore and of the
// TranslationInfo that travels with articles.
func RunTranslations(t *testing.T, newStore func(t *testing.T) TranslationsStore) {
	t.Run("ArticleTranslationInfo", func(t *testing.T) { testArticleTranslationInfo(t, newStore(t)) })
	t.Run("Memory", func(t *testing.T) { testMemory(t, newStore(t)) })
	t.Run("Jobs", func(t *testing.T) { testTranslationJobs(t, newStore(t)) })
	t.Run("Notices", func(t *testing.T) { testTranslationNotices(t, newStore(t)) })
}

func testArticleTranslationInfo(t *testing.T, s TranslationsStore) {
	ctx := context.Background()
	src := MustCreateArticle(t, s, &content.Article{Title: "Source"})
	if src.Translation != nil {
		t.Fatalf("original has Translation %+v, want nil", src.Translation)
	}
	info := &content.TranslationInfo{SourceID: src.ID, SourceLang: "en", Machine: true,
		Provider: "apertium", SourceVersion: "abc"}
	tr := MustCreateArticle(t, s, &content.Article{Title: "Fuente", Language: "es",
		TranslationGroup: src.TranslationGroup, Translation: info})

	t.Run("OK", func(t *testing.T) {
		got, err := s.FindArticleByID(ctx, tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(info, got.Translation); diff != "" {
			t.Fatalf("stored translation (-want +got):\n%s", diff)
		}
		if got.TranslationGroup != src.TranslationGroup {
			t.Fatalf("group = %d, want %d", got.TranslationGroup, src.TranslationGroup)
		}
	})
	t.Run("FindArticles", func(t *testing.T) {
		as, _, err := s.FindArticles(ctx, store.ArticleFilter{TranslationGroup: src.TranslationGroup})
		if err != nil {
			t.Fatal(err)
		}
		byLang := map[string]*content.Article{}
		for _, a := range as {
			byLang[a.Language] = a
		}
		if byLang["en"] == nil || byLang["en"].Translation != nil {
			t.Fatalf("original in listing: %+v", byLang["en"])
		}
		if byLang["es"] == nil || byLang["es"].Translation == nil || !byLang["es"].Translation.Machine {
			t.Fatalf("translation in listing lost its info: %+v", byLang["es"])
		}
	})
	t.Run("FilterReviewed", func(t *testing.T) {
		// Reviewed drops unreviewed machine translations and keeps
		// originals, human and reviewed machine translations.
		human := MustCreateArticle(t, s, &content.Article{Title: "Quelle", Language: "de",
			TranslationGroup: src.TranslationGroup,
			Translation:      &content.TranslationInfo{SourceID: src.ID, SourceLang: "en", TranslatedBy: 3}})
		checked := MustCreateArticle(t, s, &content.Article{Title: "Fonte", Language: "pt",
			TranslationGroup: src.TranslationGroup,
			Translation:      &content.TranslationInfo{SourceID: src.ID, SourceLang: "en", Machine: true, Reviewed: true}})
		as, _, err := s.FindArticles(ctx, store.ArticleFilter{TranslationGroup: src.TranslationGroup, Reviewed: true})
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]bool{}
		for _, a := range as {
			got[a.ID] = true
		}
		if !got[src.ID] || !got[human.ID] || !got[checked.ID] || got[tr.ID] || len(got) != 3 {
			t.Fatalf("Reviewed listed %v; want %d, %d, %d and not the unreviewed %d", got, src.ID, human.ID, checked.ID, tr.ID)
		}
		for _, a := range []*content.Article{human, checked} {
			if err := s.DeleteArticle(ctx, a.ID); err != nil {
				t.Fatal(err)
			}
		}
	})
	t.Run("Update", func(t *testing.T) {
		a, err := s.FindArticleByID(ctx, tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		a.Translation.Reviewed, a.Translation.Outdated, a.Translation.TranslatedBy = true, true, 7
		if err := s.UpdateArticle(ctx, a, store.ArticleWrite{}); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindArticleByID(ctx, tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := *info
		want.Reviewed, want.Outdated, want.TranslatedBy = true, true, 7
		if diff := cmp.Diff(&want, got.Translation); diff != "" {
			t.Fatalf("updated translation (-want +got):\n%s", diff)
		}
		// Nil removes the record: the article becomes an original.
		got.Translation = nil
		if err := s.UpdateArticle(ctx, got, store.ArticleWrite{}); err != nil {
			t.Fatal(err)
		}
		got, err = s.FindArticleByID(ctx, tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Translation != nil {
			t.Fatalf("Translation = %+v after clearing, want nil", got.Translation)
		}
	})
	t.Run("DeleteCascades", func(t *testing.T) {
		a := MustCreateArticle(t, s, &content.Article{Title: "Traducció", Language: "ca",
			Translation: &content.TranslationInfo{SourceID: src.ID, SourceLang: "en"}})
		if err := s.DeleteArticle(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		// A new article reusing nothing of the old one must not inherit it.
		b := MustCreateArticle(t, s, &content.Article{Title: "Other", Language: "ca"})
		if b.Translation != nil {
			t.Fatalf("new article has Translation %+v", b.Translation)
		}
	})
}

func testMemory(t *testing.T, s TranslationsStore) {
	ctx := context.Background()
	entries := []*store.MemoryEntry{
		{SourceLang: "en", TargetLang: "es", Provider: "p", SourceHash: "h1", SourceText: "One", TargetText: "Uno"},
		{SourceLang: "en", TargetLang: "es", Provider: "p", SourceHash: "h2", SourceText: "Two", TargetText: "Dos"},
		{SourceLang: "en", TargetLang: "ca", Provider: "p", SourceHash: "h1", SourceText: "One", TargetText: "U"},
	}
	if err := s.PutMemory(ctx, entries); err != nil {
		t.Fatal(err)
	}
	t.Run("Lookup", func(t *testing.T) {
		got, err := s.LookupMemory(ctx, "en", "es", "p", []string{"h1", "h2", "h3"})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]string{"h1": "Uno", "h2": "Dos"}, got); diff != "" {
			t.Fatalf("lookup (-want +got):\n%s", diff)
		}
		// Another provider's translation is not reused.
		got, err = s.LookupMemory(ctx, "en", "es", "other", []string{"h1"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 0 {
			t.Fatalf("lookup for another provider = %v, want none", got)
		}
	})
	t.Run("Hits", func(t *testing.T) {
		if _, err := s.LookupMemory(ctx, "en", "es", "p", []string{"h1"}); err != nil {
			t.Fatal(err)
		}
		e, err := s.FindMemory(ctx, "en", "es", "p", "h1")
		if err != nil {
			t.Fatal(err)
		}
		if e.Hits != 2 || e.TargetText != "Uno" || e.CreatedAt.IsZero() {
			t.Fatalf("entry = %+v, want 2 hits", e)
		}
		e2, err := s.FindMemory(ctx, "en", "ca", "p", "h1")
		if err != nil {
			t.Fatal(err)
		}
		if e2.Hits != 0 {
			t.Fatalf("untouched entry has %d hits", e2.Hits)
		}
	})
	t.Run("Replace", func(t *testing.T) {
		if err := s.PutMemory(ctx, []*store.MemoryEntry{{SourceLang: "en", TargetLang: "es", Provider: "p",
			SourceHash: "h2", SourceText: "Two", TargetText: "Dos!"}}); err != nil {
			t.Fatal(err)
		}
		e, err := s.FindMemory(ctx, "en", "es", "p", "h2")
		if err != nil {
			t.Fatal(err)
		}
		if e.TargetText != "Dos!" || e.Hits != 1 {
			t.Fatalf("replaced entry = %+v, want new text and kept hits", e)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.FindMemory(ctx, "en", "fr", "p", "h1")
		if content.ErrorCode(err) != content.ENOTFOUND {
			t.Fatalf("err = %v, want not_found", err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		err := s.PutMemory(ctx, []*store.MemoryEntry{{SourceLang: "en", TargetLang: "es"}})
		if content.ErrorCode(err) != content.EINVALID {
			t.Fatalf("err = %v, want invalid", err)
		}
	})
}

func testTranslationJobs(t *testing.T, s TranslationsStore) {
	ctx := context.Background()
	j := &store.TranslationJob{ArticleID: 5, TargetLang: "es", Provider: "apertium", RequestedBy: 3}
	if err := s.CreateTranslationJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	if j.ID == 0 || j.State != store.JobQueued || j.CreatedAt.IsZero() {
		t.Fatalf("created job = %+v", j)
	}
	j.State, j.SegmentsDone, j.SegmentsTotal = store.JobRunning, 3, 10
	if err := s.UpdateTranslationJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindTranslationJob(ctx, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(j, got, cmpopts.EquateApproxTime(0)); diff != "" {
		t.Fatalf("job (-want +got):\n%s", diff)
	}
	j2 := &store.TranslationJob{ArticleID: 5, TargetLang: "ca"}
	if err := s.CreateTranslationJob(ctx, j2); err != nil {
		t.Fatal(err)
	}
	js, err := s.FindTranslationJobs(ctx, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(js) != 2 || js[0].ID != j2.ID || js[1].ID != j.ID {
		t.Fatalf("jobs = %+v, want newest first", js)
	}
	if _, err := s.FindTranslationJob(ctx, 999); content.ErrorCode(err) != content.ENOTFOUND {
		t.Fatalf("missing job: err = %v, want not_found", err)
	}
	if err := s.UpdateTranslationJob(ctx, &store.TranslationJob{ID: 999}); content.ErrorCode(err) != content.ENOTFOUND {
		t.Fatalf("update missing job: err = %v, want not_found", err)
	}
	if err := s.CreateTranslationJob(ctx, &store.TranslationJob{}); content.ErrorCode(err) != content.EINVALID {
		t.Fatalf("empty job: err = %v, want invalid", err)
	}
}

func testTranslationNotices(t *testing.T, s TranslationsStore) {
	ctx := context.Background()
	n1 := &store.TranslationNotice{UserID: 1, ArticleID: 10, SourceID: 9, Message: "m1"}
	n2 := &store.TranslationNotice{UserID: 2, ArticleID: 11, SourceID: 9, Message: "m2"}
	for _, n := range []*store.TranslationNotice{n1, n2} {
		if err := s.CreateTranslationNotice(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.MarkTranslationNoticeDelivered(ctx, n1.ID); err != nil {
		t.Fatal(err)
	}
	mine, err := s.FindTranslationNotices(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) != 1 || mine[0].Message != "m1" || mine[0].DeliveredAt.IsZero() {
		t.Fatalf("user 1 notices = %+v", mine)
	}
	all, err := s.FindTranslationNotices(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].ID != n2.ID || !all[0].DeliveredAt.IsZero() {
		t.Fatalf("all notices = %+v", all)
	}
	if err := s.MarkTranslationNoticeDelivered(ctx, 999); content.ErrorCode(err) != content.ENOTFOUND {
		t.Fatalf("err = %v, want not_found", err)
	}
}

package search_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/search"
)

// hits returns how many documents match text.
func hits(t *testing.T, fx *fixture, text string) int {
	t.Helper()
	return fx.search(t, search.Query{Text: text}).Total
}

func TestFollower_Editorial(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	canal := fx.article(t, "en", "the-canal-that-rewrites-a-river")

	a := &content.Article{Language: "en", Title: "Quillwort survey", BodyMarkdown: "The quillwort meadows of the upper valley.",
		Authors: canal.Authors, Terms: canal.TermsOf(content.KindRegion)}
	if err := fx.ed.CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	fx.sync(t)
	if n := hits(t, fx, "quillwort"); n != 0 {
		t.Fatalf("draft found %d times", n)
	}

	if _, err := fx.ed.Publish(ctx, a.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	fx.sync(t)
	if n := hits(t, fx, "quillwort"); n != 1 {
		t.Fatalf("published article found %d times", n)
	}

	if _, err := fx.ed.Unpublish(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	fx.sync(t)
	if n := hits(t, fx, "quillwort"); n != 0 {
		t.Fatalf("unpublished article found %d times", n)
	}

	if _, err := fx.ed.Publish(ctx, a.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	fx.sync(t)
	a, _ = fx.db.FindArticleByID(ctx, a.ID)
	a.Title = "Sedge survey"
	a.BodyMarkdown = "The sedge meadows of the upper valley."
	if err := fx.ed.UpdateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	fx.sync(t)
	if hits(t, fx, "quillwort") != 0 || hits(t, fx, "sedge") != 1 {
		t.Fatalf("edit not followed: quillwort %d, sedge %d", hits(t, fx, "quillwort"), hits(t, fx, "sedge"))
	}

	if err := fx.ed.DeleteArticle(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	fx.sync(t)
	if n := hits(t, fx, "sedge"); n != 0 {
		t.Fatalf("deleted article found %d times", n)
	}
}

func TestFollower_MachineTranslation(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	canal := fx.article(t, "en", "the-canal-that-rewrites-a-river")
	mt := &content.Article{Language: "de", Title: "Der Kanal, der einen Fluss umschreibt", TranslationGroup: canal.TranslationGroup,
		BodyMarkdown: "Maschinell übersetzter Text über Wasserkraftwerke.", Status: content.StatusPublished, Authors: canal.Authors,
		Translation: &content.TranslationInfo{SourceID: canal.ID, SourceLang: "en", Machine: true, Provider: "apertium"}}
	if err := fx.ed.CreateArticle(ctx, mt); err != nil {
		t.Fatal(err)
	}
	fx.sync(t)
	stored, _ := fx.db.FindArticleByID(ctx, mt.ID)
	if stored.Translation == nil || !stored.Translation.Machine {
		t.Fatalf("store lost the translation info: %+v", stored.Translation)
	}
	if n := hits(t, fx, "wasserkraftwerke"); n != 0 {
		t.Fatalf("unreviewed machine translation found %d times", n)
	}
	stored.Translation.Reviewed = true
	if err := fx.ed.UpdateArticle(ctx, stored); err != nil {
		t.Fatal(err)
	}
	fx.sync(t)
	if n := hits(t, fx, "wasserkraftwerke"); n != 1 {
		t.Fatalf("reviewed translation found %d times", n)
	}
}

func TestFollower_TermAndAuthor(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	canal := fx.article(t, "en", "the-canal-that-rewrites-a-river")
	tag := canal.TermsOf(content.KindTag)[0]
	id := termID(canal, content.KindTag, tag.Slug)
	docs, err := fx.idx.DocsWith(ctx, "tag", id)
	if err != nil || len(docs) == 0 {
		t.Fatalf("tag %s carried by %v (%v)", tag.Slug, docs, err)
	}
	if err := fx.ed.DeleteTerm(ctx, tag.ID); err != nil {
		t.Fatal(err)
	}
	fx.sync(t)
	if docs, _ := fx.idx.DocsWith(ctx, "tag", id); len(docs) != 0 {
		t.Errorf("deleted tag still on %v", docs)
	}

	region := canal.TermsOf(content.KindRegion)[0]
	rid := termID(canal, content.KindRegion, region.Slug)
	before := fx.search(t, search.Query{Filters: map[string]string{search.FacetRegion: rid}, Limit: 100}).Total
	if err := fx.ed.DeleteTerm(ctx, region.ID); err != nil {
		t.Fatal(err)
	}
	fx.sync(t)
	if after := fx.search(t, search.Query{Filters: map[string]string{search.FacetRegion: rid}}).Total; before == 0 || after != 0 {
		t.Errorf("region facet before %d, after deletion %d", before, after)
	}
}

func TestFollower_Repair(t *testing.T) {
	ctx := context.Background()

	t.Run("CatchUpAfterRestart", func(t *testing.T) {
		// Changes made while the index was closed (a CLI import with the
		// server down) are in the change log and are applied on start.
		fx := newFixture(t)
		canal := fx.article(t, "en", "the-canal-that-rewrites-a-river")
		if err := fx.idx.Close(); err != nil {
			t.Fatal(err)
		}
		a := &content.Article{Language: "en", Title: "Saxifrage notes", BodyMarkdown: "Saxifrage on the moraine.",
			Status: content.StatusPublished, Authors: canal.Authors}
		if err := fx.ed.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		fx.open(t)
		rebuilt, err := fx.f.Repair(ctx)
		if err != nil || rebuilt {
			t.Fatalf("repair: rebuilt %v, err %v; want a catch-up", rebuilt, err)
		}
		if n := hits(t, fx, "saxifrage"); n != 1 {
			t.Fatalf("article written while closed found %d times", n)
		}
	})

	t.Run("LostBatches", func(t *testing.T) {
		// A crash loses the batches not yet persisted, and their position
		// with them: the index holds an older state and an older position,
		// and replays the log from there.
		fx := newFixture(t)
		canal := fx.article(t, "en", "the-canal-that-rewrites-a-river")
		st, _, _ := fx.idx.State()
		a := &content.Article{Language: "en", Title: "Gentian notes", BodyMarkdown: "Gentian by the lake.",
			Status: content.StatusPublished, Authors: canal.Authors}
		if err := fx.ed.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		fx.sync(t)
		// Roll the index back as the crash would have.
		if err := fx.idx.Apply(ctx, search.Update{Delete: []int64{a.ID}, State: &st}); err != nil {
			t.Fatal(err)
		}
		if err := fx.idx.Close(); err != nil {
			t.Fatal(err)
		}
		fx.open(t)
		if _, err := fx.f.Repair(ctx); err != nil {
			t.Fatal(err)
		}
		if n := hits(t, fx, "gentian"); n != 1 {
			t.Fatalf("lost article found %d times after repair", n)
		}
	})

	t.Run("InterruptedRebuild", func(t *testing.T) {
		fx := newFixture(t)
		// A crash mid-rebuild leaves the marker and half the documents.
		if err := fx.idx.Apply(ctx, search.Update{Delete: allIDs(t, fx)[:10], State: &search.State{Event: 1, Rebuilding: true}}); err != nil {
			t.Fatal(err)
		}
		if err := fx.idx.Close(); err != nil {
			t.Fatal(err)
		}
		fx.open(t)
		rebuilt, err := fx.f.Repair(ctx)
		if err != nil || !rebuilt {
			t.Fatalf("repair: rebuilt %v, err %v; want a rebuild", rebuilt, err)
		}
		if n, _ := fx.idx.Count(); int(n) != fx.publicCount(t) {
			t.Errorf("index holds %d, store has %d public", n, fx.publicCount(t))
		}
		if st, _, _ := fx.idx.State(); st.Rebuilding {
			t.Error("rebuild marker left behind")
		}
	})

	t.Run("PrunedLog", func(t *testing.T) {
		fx := newFixture(t)
		if err := fx.idx.Close(); err != nil {
			t.Fatal(err)
		}
		canal := fx.article(t, "en", "the-canal-that-rewrites-a-river")
		for _, title := range []string{"Edelweiss one", "Edelweiss two"} {
			a := &content.Article{Language: "en", Title: title, BodyMarkdown: "Edelweiss.", Status: content.StatusPublished, Authors: canal.Authors}
			if err := fx.ed.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		// Every event is pruned: the index cannot know what it missed.
		if err := fx.db.PruneEvents(ctx, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		fx.open(t)
		rebuilt, err := fx.f.Repair(ctx)
		if err != nil || !rebuilt {
			t.Fatalf("repair: rebuilt %v, err %v; want a rebuild", rebuilt, err)
		}
		if n := hits(t, fx, "edelweiss"); n != 2 {
			t.Errorf("found %d of 2", n)
		}
	})

	t.Run("UnreadableIndex", func(t *testing.T) {
		fx := newFixture(t)
		if err := fx.idx.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(fx.dir, "index_meta.json"), []byte("{not json"), 0o644); err != nil {
			t.Fatal(err)
		}
		fx.open(t)
		rebuilt, err := fx.f.Repair(ctx)
		if err != nil || !rebuilt {
			t.Fatalf("repair: rebuilt %v, err %v; want a rebuild", rebuilt, err)
		}
		if n, _ := fx.idx.Count(); int(n) != fx.publicCount(t) {
			t.Errorf("index holds %d, store has %d public", n, fx.publicCount(t))
		}
		aside, _ := filepath.Glob(fx.dir + ".broken-*")
		if len(aside) != 1 {
			t.Errorf("broken index kept as %v", aside)
		}
	})
}

func TestRebuild(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	want := fx.publicCount(t)
	// A stray document (an article the index should not hold) goes.
	if err := fx.idx.Upsert(ctx, &search.Doc{ID: 999999, Language: "en", Title: "stray", Body: "stray"}); err != nil {
		t.Fatal(err)
	}
	var calls, last int
	if err := fx.f.Rebuild(ctx, func(done, total int) { calls++; last = done; _ = total }); err != nil {
		t.Fatal(err)
	}
	if n, _ := fx.idx.Count(); int(n) != want {
		t.Errorf("index holds %d, want %d", n, want)
	}
	if hits(t, fx, "stray") != 0 {
		t.Error("stray document kept")
	}
	if calls == 0 || last != want {
		t.Errorf("progress: %d calls, last %d, want %d", calls, last, want)
	}
}

func allIDs(t *testing.T, fx *fixture) []int64 {
	t.Helper()
	ids, err := fx.idx.IDs()
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

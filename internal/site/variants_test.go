package site_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"testing"
	"time"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/jobs"
	"folio/internal/media"
	"folio/internal/store/sqlite"
	"folio/internal/urls"
)

// TestImageVariants_EndToEnd uploads an image through the media library,
// publishes an article showing it, caches its page, runs the job queue and
// checks the cached page was dropped and now offers srcset.
func TestImageVariants_EndToEnd(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	db := f.st.(*sqlite.DB)

	q, err := jobs.Open(ctx, db.SQL(), nil, jobs.Options{PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	lib := &media.Library{Root: t.TempDir(), Queue: q}
	done := make(chan []string, 1)
	// As cmd/folio wires it: the worker records through the service, whose
	// event drops the cached pages.
	svc := editorial.New(db, editorial.OnChange(func(ev key.Event) {
		f.cache.Invalidate(ev.Keys...)
		done <- ev.Keys
	}))
	jobs.Register(q, &media.VariantWorker{Library: lib, Store: db, Record: svc.System("media variants").SetMediaVariants})

	src := image.NewRGBA(image.Rect(0, 0, 1000, 120))
	for y := range 120 {
		for x := range 1000 {
			src.Set(x, y, color.RGBA{uint8(x), uint8(y * 2), 80, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, src, nil); err != nil {
		t.Fatal(err)
	}
	m, err := f.svc.System("test").SaveMedia(ctx, lib, "harbour.jpg", &buf, media.Meta{Alt: "The harbour"})
	if err != nil {
		t.Fatal(err)
	}
	a := &content.Article{Language: "en", Title: "Harbour at dawn", BodyMarkdown: "Text.",
		Status: content.StatusPublished, PublishedAt: fixedNow.Add(-time.Hour), Authors: f.authors[:1],
		Image: &content.Image{MediaID: m.ID, URL: urls.Builder{}.Media(m.Path), Alt: "The harbour", Width: m.Width, Height: m.Height}}
	if err := f.svc.System("test").CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}

	pages := []string{"/harbour-at-dawn/", "/"}
	for _, p := range pages {
		w := get(f.cached, p)
		if w.Code != 200 {
			t.Fatalf("GET %s: %d", p, w.Code)
		}
		if body := w.Body.String(); strings.Contains(body, "<picture>") || !strings.Contains(body, m.Path) {
			t.Fatalf("GET %s before variants: want the original and no <picture>", p)
		}
	}

	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		q.Stop(sctx)
	})
	select {
	case deps := <-done:
		if len(deps) != 1 || deps[0] != key.Media(m.ID) {
			t.Fatalf("variants job emitted %v", deps)
		}
	case <-time.After(2 * time.Minute):
		// Generous: the job decodes and encodes ten images, which under
		// the race detector on a loaded machine takes tens of seconds.
		t.Fatal("variants job did not finish within 2 minutes")
	}

	base := "/media/" + strings.TrimSuffix(m.Path, ".jpg")
	for _, p := range pages {
		body := get(f.cached, p).Body.String()
		for _, want := range []string{
			`<picture><source type="image/webp" srcset="` + base + `.w320.webp 320w, ` + base + `.w640.webp 640w, ` + base + `.w960.webp 960w"`,
			`srcset="` + base + `.w320.jpg 320w, ` + base + `.w640.jpg 640w, ` + base + `.w960.jpg 960w"`,
			`src="` + base + `.w960.jpg"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s after variants lacks %s", p, want)
			}
		}
		// The cached page is what a fresh render gives.
		if fresh := get(f.fresh, p).Body.String(); fresh != body {
			t.Errorf("GET %s: cached page differs from a fresh render (stale cache)", p)
		}
	}
}

// TestBodyFigureVariants_Invalidate: a library figure in an article's body
// makes the cached page depend on the media item, so the page shows the
// original until the variants are recorded and the srcset right after.
func TestBodyFigureVariants_Invalidate(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	lib := &media.Library{Root: t.TempDir()}
	src := image.NewRGBA(image.Rect(0, 0, 800, 500))
	for y := range 500 {
		for x := range 800 {
			src.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, src, nil); err != nil {
		t.Fatal(err)
	}
	m, err := f.svc.System("test").SaveMedia(ctx, lib, "river.jpg", &buf, media.Meta{Alt: "The river"})
	if err != nil {
		t.Fatal(err)
	}
	a := &content.Article{Language: "en", Title: "River at noon", Status: content.StatusPublished, PublishedAt: fixedNow.Add(-time.Hour),
		Authors: f.authors[:1], BodyMarkdown: fmt.Sprintf("Text.\n\n::: figure %d\n![The river](/media/%s)\nNoon.\n:::\n", m.ID, m.Path)}
	if err := f.svc.System("test").CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	const page = "/river-at-noon/"
	if body := get(f.cached, page).Body.String(); strings.Contains(body, "<picture>") ||
		!strings.Contains(body, fmt.Sprintf(`<figure class="figure" data-media-id="%d"><img src="/media/%s"`, m.ID, m.Path)) {
		t.Fatalf("before variants: want the original figure\n%s", body)
	}
	vs, err := lib.MakeVariants(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.System("media variants").SetMediaVariants(ctx, m.ID, vs); err != nil {
		t.Fatal(err)
	}
	base := "/media/" + strings.TrimSuffix(m.Path, ".jpg")
	body := get(f.cached, page).Body.String()
	for _, want := range []string{
		fmt.Sprintf(`<figure class="figure" data-media-id="%d"><picture><source type="image/webp" srcset="%s.w320.webp 320w, %s.w640.webp 640w, %s.w800.webp 800w"`, m.ID, base, base, base),
		fmt.Sprintf(`srcset="%s.w320.jpg 320w, %s.w640.jpg 640w, %s.w800.jpg 800w"`, base, base, base),
		`alt="The river" width="800" height="500"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("after variants the cached page lacks %s", want)
		}
	}
	if fresh := get(f.fresh, page).Body.String(); fresh != body {
		t.Error("cached page differs from a fresh render (stale cache)")
	}
}

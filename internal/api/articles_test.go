package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestAPI_ArticleLifecycle(t *testing.T) {
	e := newEnv(t)
	au := e.createAuthor("Leyla Hosseini")
	region := e.createTerm("region", "Central Asia")
	tag := e.createTerm("tag", "Water")

	// Create.
	var created article
	res := e.call("POST", "/api/v1/articles", map[string]any{
		"language": "en", "title": "Water Politics in the Amu Darya Basin", "deck": "Who gets the river",
		"body_markdown": "The **river** runs dry.", "author_ids": []int64{au.ID}, "term_ids": []int64{region.ID, tag.ID},
	}, http.StatusCreated, &created)
	if loc := res.Header.Get("Location"); loc != fmt.Sprintf("/api/v1/articles/%d", created.ID) {
		t.Fatalf("Location %q", loc)
	}
	if created.Slug != "water-politics-in-the-amu-darya-basin" || created.Status != "draft" ||
		!strings.Contains(created.BodyHTML, "<strong>river</strong>") || created.TranslationGroup != created.ID {
		t.Fatalf("created %+v", created)
	}
	if len(created.Authors) != 1 || created.Authors[0].Name != "Leyla Hosseini" || len(created.Terms) != 2 || created.Terms[0].Name != "Central Asia" {
		t.Fatalf("authors %+v terms %+v", created.Authors, created.Terms)
	}
	if created.URL != "http://localhost:8080/water-politics-in-the-amu-darya-basin/" {
		t.Fatalf("url %q", created.URL)
	}
	path := fmt.Sprintf("/api/v1/articles/%d", created.ID)

	// Get.
	var got article
	e.call("GET", path, nil, http.StatusOK, &got)
	if got.Title != created.Title || got.Deck != "Who gets the river" {
		t.Fatalf("got %+v", got)
	}

	// Patch changes only what is sent.
	var patched article
	e.call("PATCH", path, map[string]any{"title": "The Amu Darya", "featured": true, "term_ids": []int64{tag.ID}}, http.StatusOK, &patched)
	if patched.Title != "The Amu Darya" || !patched.Featured || patched.Deck != "Who gets the river" ||
		patched.BodyMarkdown != "The **river** runs dry." || len(patched.Authors) != 1 || len(patched.Terms) != 1 ||
		patched.Slug != created.Slug || patched.Language != "en" {
		t.Fatalf("patched %+v", patched)
	}
	e.wantError(e.request("PATCH", path, `{"title":""}`), 422, "invalid")
	e.wantError(e.request("PATCH", path, `{"titel":"x"}`), 400, "bad_request")

	// Publish now.
	var published article
	e.call("POST", path+"/publish", nil, http.StatusOK, &published)
	if published.Status != "published" || published.PublishedAt.IsZero() || time.Since(published.PublishedAt) > time.Minute {
		t.Fatalf("published %+v", published)
	}

	// List with filters.
	e.createArticle(map[string]any{"language": "fr", "title": "Autre chose"})
	listTitles := func(query string) []string {
		t.Helper()
		var page articlePage
		e.call("GET", "/api/v1/articles?"+query, nil, http.StatusOK, &page)
		var titles []string
		for _, it := range page.Items {
			titles = append(titles, it.Title)
		}
		if page.Total != len(titles) {
			t.Fatalf("%s: total %d, %d items", query, page.Total, len(titles))
		}
		return titles
	}
	for query, want := range map[string]string{
		"":                                  "The Amu Darya,Autre chose",
		"status=published":                  "The Amu Darya",
		"status=draft,review":               "Autre chose",
		fmt.Sprintf("author=%d", au.ID):     "The Amu Darya",
		fmt.Sprintf("term=%d", tag.ID):      "The Amu Darya",
		fmt.Sprintf("term=%d", region.ID):   "",
		"language=fr":                       "Autre chose",
		"q=" + url.QueryEscape("amu darya"): "The Amu Darya",
	} {
		got := strings.Join(listTitles(query), ",")
		if query == "" {
			// Order is newest first; both are present.
			if !strings.Contains(got, "The Amu Darya") || !strings.Contains(got, "Autre chose") {
				t.Fatalf("list: %q", got)
			}
			continue
		}
		if got != want {
			t.Fatalf("?%s: got %q, want %q", query, got, want)
		}
	}

	// Unpublish.
	var unpublished article
	e.call("POST", path+"/unpublish", nil, http.StatusOK, &unpublished)
	if unpublished.Status != "draft" {
		t.Fatalf("unpublished %+v", unpublished)
	}

	// Delete.
	e.call("DELETE", path, nil, http.StatusNoContent, nil)
	e.wantError(e.request("GET", path, nil), 404, "not_found")
	e.wantError(e.request("DELETE", path, nil), 404, "not_found")
}

func TestAPI_ArticleSchedule(t *testing.T) {
	e := newEnv(t)
	a := e.createArticle(map[string]any{"language": "en", "title": "Later"})
	at := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Second)
	var got article
	e.call("POST", fmt.Sprintf("/api/v1/articles/%d/publish", a.ID), map[string]any{"at": at}, http.StatusOK, &got)
	if got.Status != "scheduled" || !got.PublishedAt.Equal(at) {
		t.Fatalf("got status %q at %v, want scheduled at %v", got.Status, got.PublishedAt, at)
	}
	e.wantError(e.request("POST", fmt.Sprintf("/api/v1/articles/%d/publish", a.ID), `{"at":"soon"}`), 400, "bad_request")
	e.wantError(e.request("POST", fmt.Sprintf("/api/v1/articles/%d/publish", a.ID), `{"when":"soon"}`), 400, "bad_request")
	e.wantError(e.request("POST", "/api/v1/articles/424242/publish", nil), 404, "not_found")

	// Status scheduled through create needs a time.
	got2 := e.wantError(e.request("POST", "/api/v1/articles", `{"language":"en","title":"x","status":"scheduled"}`), 422, "invalid")
	if got2.Error.Fields["published_at"] == "" {
		t.Fatalf("fields %v", got2.Error.Fields)
	}
}

// TestAPI_ArticleCursorWalk pages through 25 articles, some published at
// the same second, and sees each exactly once.
func TestAPI_ArticleCursorWalk(t *testing.T) {
	e := newEnv(t)
	want := map[int64]bool{}
	same := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i := range 25 {
		body := map[string]any{"language": "en", "title": fmt.Sprintf("Article %d", i)}
		if i%3 == 0 {
			body["status"] = "published"
			body["published_at"] = same
		}
		want[e.createArticle(body).ID] = true
	}
	seen := map[int64]int{}
	cursor := ""
	pages := 0
	for {
		var page articlePage
		e.call("GET", "/api/v1/articles?limit=7&cursor="+url.QueryEscape(cursor), nil, http.StatusOK, &page)
		pages++
		if page.Total != 25 {
			t.Fatalf("page %d: total %d", pages, page.Total)
		}
		for _, it := range page.Items {
			seen[it.ID]++
		}
		if page.NextCursor == nil {
			if len(page.Items) != 25-7*(pages-1) {
				t.Fatalf("last page has %d items", len(page.Items))
			}
			break
		}
		if len(page.Items) != 7 || pages > 10 {
			t.Fatalf("page %d: %d items", pages, len(page.Items))
		}
		cursor = *page.NextCursor
	}
	if pages != 4 || len(seen) != 25 {
		t.Fatalf("%d pages, %d distinct articles", pages, len(seen))
	}
	for id, n := range seen {
		if n != 1 || !want[id] {
			t.Fatalf("article %d seen %d times (ours: %v)", id, n, want[id])
		}
	}
	var capped articlePage
	e.call("GET", "/api/v1/articles?limit=1000", nil, http.StatusOK, &capped)
	if len(capped.Items) != 25 || capped.NextCursor != nil {
		t.Fatalf("limit=1000: %d items", len(capped.Items))
	}
	var def articlePage
	e.call("GET", "/api/v1/articles", nil, http.StatusOK, &def)
	if len(def.Items) != 20 || def.NextCursor == nil {
		t.Fatalf("default page: %d items", len(def.Items))
	}
}

// TestAPI_ArticleAtomic: a create that fails on a missing term leaves no
// article behind.
func TestAPI_ArticleAtomic(t *testing.T) {
	e := newEnv(t)
	good := e.createTerm("theme", "Climate")
	au := e.createAuthor("A. Writer")
	res := e.request("POST", "/api/v1/articles", map[string]any{
		"language": "en", "title": "Half written", "author_ids": []int64{au.ID}, "term_ids": []int64{good.ID, 999999},
	})
	got := e.wantError(res, 422, "invalid")
	if !strings.Contains(res.String(), "999999") {
		t.Fatalf("error does not name the term: %+v", got)
	}
	var page articlePage
	e.call("GET", "/api/v1/articles", nil, http.StatusOK, &page)
	if page.Total != 0 || len(page.Items) != 0 {
		t.Fatalf("a failed create left %d articles", page.Total)
	}
	// And a failed patch leaves the article as it was.
	a := e.createArticle(map[string]any{"language": "en", "title": "Whole", "term_ids": []int64{good.ID}})
	e.wantError(e.request("PATCH", fmt.Sprintf("/api/v1/articles/%d", a.ID), map[string]any{"title": "Changed", "term_ids": []int64{999999}}), 422, "invalid")
	var after article
	e.call("GET", fmt.Sprintf("/api/v1/articles/%d", a.ID), nil, http.StatusOK, &after)
	if after.Title != "Whole" || len(after.Terms) != 1 {
		t.Fatalf("after failed patch: %+v", after)
	}
}

func TestAPI_ArticleXSS(t *testing.T) {
	e := newEnv(t)
	a := e.createArticle(map[string]any{"language": "en", "title": "XSS",
		"body_markdown": "Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3))"})
	low := strings.ToLower(a.BodyHTML)
	for _, bad := range []string{"<script", "onerror", "javascript:"} {
		if strings.Contains(low, bad) {
			t.Fatalf("body_html keeps %q: %s", bad, a.BodyHTML)
		}
	}
	if !strings.Contains(a.BodyHTML, "Hello") {
		t.Fatalf("body_html lost the text: %s", a.BodyHTML)
	}
}

func TestAPI_ArticleTranslation(t *testing.T) {
	e := newEnv(t)
	en := e.createArticle(map[string]any{"language": "en", "title": "Water"})
	fa := e.createArticle(map[string]any{"language": "fa", "title": "آب", "translation_of": en.ID})
	if fa.TranslationGroup != en.TranslationGroup || fa.Slug != "آب" {
		t.Fatalf("fa %+v, en group %d", fa, en.TranslationGroup)
	}
	if fa.URL != "http://localhost:8080/fa/"+url.PathEscape("آب")+"/" {
		t.Fatalf("url %q", fa.URL)
	}
	got := e.wantError(e.request("POST", "/api/v1/articles", map[string]any{"language": "en", "title": "Water again", "translation_of": fa.ID}), 422, "invalid")
	if got.Error.Fields["translation_of"] == "" {
		t.Fatalf("fields %v", got.Error.Fields)
	}
	got = e.wantError(e.request("POST", "/api/v1/articles", map[string]any{"language": "de", "title": "Wasser", "translation_of": 987654}), 422, "invalid")
	if got.Error.Fields["translation_of"] == "" {
		t.Fatalf("fields %v", got.Error.Fields)
	}
}

func TestAPI_ArticleImageFromMedia(t *testing.T) {
	e := newEnv(t)
	res := e.upload("harbour.png", pngBytes(t, 40, 30), map[string]string{"alt": "Boats at dawn", "credit": "R. Amini"})
	if res.Status != http.StatusCreated {
		t.Fatalf("upload: %d %s", res.Status, res.Body)
	}
	var m mediaJSON
	mustJSON(t, res.Body, &m)
	a := e.createArticle(map[string]any{"language": "en", "title": "Harbour",
		"image": map[string]any{"media_id": m.ID, "caption": "The old port"}})
	im := a.Image
	if im == nil || im.MediaID != m.ID || im.URL != "/media/"+m.Path || im.Width != 40 || im.Height != 30 ||
		im.Alt != "Boats at dawn" || im.Credit != "R. Amini" || im.Caption != "The old port" {
		t.Fatalf("image %+v", im)
	}
	// Patching the title keeps the image; null removes it.
	var p article
	e.call("PATCH", fmt.Sprintf("/api/v1/articles/%d", a.ID), map[string]any{"title": "Harbour 2"}, http.StatusOK, &p)
	if p.Image == nil || p.Image.MediaID != m.ID {
		t.Fatalf("image lost: %+v", p.Image)
	}
	e.call("PATCH", fmt.Sprintf("/api/v1/articles/%d", a.ID), `{"image":null}`, http.StatusOK, &p)
	if p.Image != nil {
		t.Fatalf("image kept: %+v", p.Image)
	}
	got := e.wantError(e.request("PATCH", fmt.Sprintf("/api/v1/articles/%d", a.ID), `{"image":{"media_id":987654}}`), 422, "invalid")
	if got.Error.Fields["image.media_id"] == "" {
		t.Fatalf("fields %v", got.Error.Fields)
	}
	got = e.wantError(e.request("POST", "/api/v1/articles", `{"language":"en","title":"x","image":{"url":"https://example.org/a.jpg"}}`), 422, "invalid")
	if got.Error.Fields["image.alt"] == "" {
		t.Fatalf("fields %v", got.Error.Fields)
	}
}

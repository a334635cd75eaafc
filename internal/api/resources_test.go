package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"folio/internal/content"
)

type authorPage struct {
	Items []struct {
		content.Author
		URL string `json:"url"`
	} `json:"items"`
	Total      int     `json:"total"`
	NextCursor *string `json:"next_cursor"`
}

func TestAPI_Authors(t *testing.T) {
	e := newEnv(t)
	var a struct {
		content.Author
		URL string `json:"url"`
	}
	e.call("POST", "/api/v1/authors", map[string]any{"name": "Leyla Hosseini", "bio": "Reporter",
		"links": []map[string]string{{"label": "Site", "url": "https://example.org"}}}, http.StatusCreated, &a)
	if a.ID == 0 || a.Slug != "leyla-hosseini" || a.URL != "http://localhost:8080/author/leyla-hosseini/" || len(a.Links) != 1 {
		t.Fatalf("created %+v", a)
	}
	path := fmt.Sprintf("/api/v1/authors/%d", a.ID)
	e.call("PATCH", path, map[string]any{"bio": "Editor"}, http.StatusOK, &a)
	if a.Bio != "Editor" || a.Name != "Leyla Hosseini" || len(a.Links) != 1 {
		t.Fatalf("patched %+v", a)
	}
	e.wantError(e.request("PATCH", path, `{"links":[{"label":"x","url":"https://x.org","rel":"me"}]}`), 400, "bad_request")
	e.wantError(e.request("PATCH", path, `{"photo_url":"javascript:alert(1)"}`), 422, "invalid")
	e.wantError(e.request("POST", "/api/v1/authors", map[string]any{"name": "Other", "slug": "leyla-hosseini"}), 409, "conflict")

	for i := range 3 {
		e.createAuthor(fmt.Sprintf("Writer %d", i))
	}
	var page authorPage
	e.call("GET", "/api/v1/authors?limit=3", nil, http.StatusOK, &page)
	if page.Total != 4 || len(page.Items) != 3 || page.NextCursor == nil {
		t.Fatalf("page 1: %d of %d", len(page.Items), page.Total)
	}
	var page2 authorPage
	e.call("GET", "/api/v1/authors?limit=3&cursor="+*page.NextCursor, nil, http.StatusOK, &page2)
	if len(page2.Items) != 1 || page2.NextCursor != nil {
		t.Fatalf("page 2: %d items", len(page2.Items))
	}

	// The sole author of an article cannot be deleted.
	art := e.createArticle(map[string]any{"language": "en", "title": "Byline", "author_ids": []int64{a.ID}})
	e.wantError(e.request("DELETE", path, nil), 409, "conflict")
	e.call("DELETE", fmt.Sprintf("/api/v1/articles/%d", art.ID), nil, http.StatusNoContent, nil)
	e.call("DELETE", path, nil, http.StatusNoContent, nil)
	e.wantError(e.request("GET", path, nil), 404, "not_found")
}

func TestAPI_Terms(t *testing.T) {
	e := newEnv(t)
	var term content.Term
	e.call("POST", "/api/v1/terms", map[string]any{"kind": "dossier", "name": "Water Wars", "active": true,
		"names": map[string]string{"fa": "جنگ آب"}}, http.StatusCreated, &term)
	if term.Slug != "water-wars" || !term.Active || term.Names["fa"] != "جنگ آب" {
		t.Fatalf("created %+v", term)
	}
	e.createTerm("region", "Caucasus")
	e.createTerm("tag", "Dams")
	e.wantError(e.request("POST", "/api/v1/terms", map[string]any{"kind": "dossier", "name": "Water Wars"}), 409, "conflict")
	got := e.wantError(e.request("POST", "/api/v1/terms", map[string]any{"kind": "colour", "name": "Red"}), 422, "invalid")
	if got.Error.Fields["kind"] == "" {
		t.Fatalf("fields %v", got.Error.Fields)
	}

	var page struct {
		Items []content.Term `json:"items"`
		Total int            `json:"total"`
	}
	e.call("GET", "/api/v1/terms?kind=region", nil, http.StatusOK, &page)
	if page.Total != 1 || page.Items[0].Name != "Caucasus" {
		t.Fatalf("region list %+v", page)
	}
	e.call("GET", "/api/v1/terms", nil, http.StatusOK, &page)
	if page.Total != 3 {
		t.Fatalf("all terms: %d", page.Total)
	}

	path := fmt.Sprintf("/api/v1/terms/%d", term.ID)
	term = content.Term{} // decoding into a used map would merge
	e.call("PATCH", path, map[string]any{"active": false, "names": map[string]string{"ru": "Водные войны"}}, http.StatusOK, &term)
	if term.Active || term.Name != "Water Wars" || term.Names["ru"] == "" || term.Names["fa"] != "" {
		t.Fatalf("patched %+v", term)
	}
	e.call("GET", path, nil, http.StatusOK, &term)
	if term.Active {
		t.Fatal("patch not stored")
	}
	e.call("DELETE", path, nil, http.StatusNoContent, nil)
	e.wantError(e.request("GET", path, nil), 404, "not_found")
}

func TestAPI_Settings(t *testing.T) {
	e := newEnv(t)
	var s content.Settings
	e.call("GET", "/api/v1/settings", nil, http.StatusOK, &s)
	if s.Title != content.DefaultSettings().Title {
		t.Fatalf("defaults %+v", s)
	}

	e.call("PATCH", "/api/v1/settings", map[string]any{"title": "The Meridian Review", "base_url": "https://meridian.example/",
		"notices": map[string]any{"disclaimer": "Views are the authors' own."}}, http.StatusOK, &s)
	if s.Title != "The Meridian Review" || s.BaseURL != "https://meridian.example" || s.TimeZone != "UTC" || s.Notices.Disclaimer == "" {
		t.Fatalf("patched %+v", s)
	}
	e.call("PATCH", "/api/v1/settings", map[string]any{"notices": map[string]any{"fair_use": "Quoted under fair use."}}, http.StatusOK, &s)
	if s.Notices.Disclaimer == "" || s.Notices.FairUse == "" {
		t.Fatalf("notices did not merge: %+v", s.Notices)
	}
	// Articles now carry the new base URL.
	a := e.createArticle(map[string]any{"language": "en", "title": "Base"})
	if !strings.HasPrefix(a.URL, "https://meridian.example/") {
		t.Fatalf("url %q", a.URL)
	}

	got := e.wantError(e.request("PATCH", "/api/v1/settings", `{"time_zone":"Mars/Olympus","per_page":500}`), 422, "invalid")
	if got.Error.Fields["time_zone"] == "" || got.Error.Fields["per_page"] == "" {
		t.Fatalf("fields %v", got.Error.Fields)
	}
	e.wantError(e.request("PATCH", "/api/v1/settings", `{"theme":"dark"}`), 400, "bad_request")

	// PUT replaces everything: a missing title is an error, a full body is not.
	got = e.wantError(e.request("PUT", "/api/v1/settings", `{"base_url":"https://x.example"}`), 422, "invalid")
	if got.Error.Fields["title"] == "" {
		t.Fatalf("fields %v", got.Error.Fields)
	}
	full := content.DefaultSettings()
	full.Title = "Replaced"
	e.call("PUT", "/api/v1/settings", full, http.StatusOK, &s)
	if s.Title != "Replaced" || s.Notices.Disclaimer != "" || s.BaseURL != full.BaseURL {
		t.Fatalf("put %+v", s)
	}
	e.call("GET", "/api/v1/settings", nil, http.StatusOK, &s)
	if s.Title != "Replaced" {
		t.Fatalf("put not stored: %+v", s)
	}
}

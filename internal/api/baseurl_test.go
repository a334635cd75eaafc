package api_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"folio/internal/api"
)

// TestAPI_BaseURLOverride: with --base-url set, every url the API returns,
// the settings it shows and the OpenAPI servers name that address, not
// the stored one (http://localhost:8080 on a new site), and a settings
// change leaves the stored value alone.
func TestAPI_BaseURLOverride(t *testing.T) {
	const base = "https://news.example"
	e := newEnvWith(t, func(c *api.Config) { c.BaseURL = base + "/" })
	au := e.createAuthor("Leyla Hosseini")
	var created article
	e.call("POST", "/api/v1/articles", map[string]any{"language": "en", "title": "Water Politics", "body_markdown": "Text.",
		"author_ids": []int64{au.ID}}, http.StatusCreated, &created)
	if created.URL != base+"/water-politics/" {
		t.Errorf("article url %q", created.URL)
	}
	var author struct {
		URL string `json:"url"`
	}
	e.call("GET", "/api/v1/authors/"+strconv.FormatInt(au.ID, 10), nil, http.StatusOK, &author)
	if !strings.HasPrefix(author.URL, base+"/author/") {
		t.Errorf("author url %q", author.URL)
	}
	var st struct {
		BaseURL string `json:"base_url"`
		Title   string `json:"title"`
	}
	e.call("GET", "/api/v1/settings", nil, http.StatusOK, &st)
	if st.BaseURL != base {
		t.Errorf("GET settings base_url %q, want %q", st.BaseURL, base)
	}
	e.call("PATCH", "/api/v1/settings", map[string]any{"title": "Renamed"}, http.StatusOK, &st)
	if st.BaseURL != base || st.Title != "Renamed" {
		t.Errorf("PATCH settings answered %+v", st)
	}
	stored, err := e.db.Settings(t.Context())
	if err != nil || stored.BaseURL != "http://localhost:8080" {
		t.Errorf("stored base URL %q (%v): the override must not be written by an unrelated change", stored.BaseURL, err)
	}
	res := e.request("GET", "/api/v1/openapi.json", nil)
	var doc struct {
		Servers []struct {
			URL string `json:"url"`
		} `json:"servers"`
	}
	if err := json.Unmarshal(res.Body, &doc); err != nil || len(doc.Servers) != 1 || doc.Servers[0].URL != base {
		t.Errorf("OpenAPI servers %+v (%v)", doc.Servers, err)
	}
}

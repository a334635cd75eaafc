package api_test

import (
	"fmt"
	"net/http"
	"testing"
)

func TestAPI_Pages(t *testing.T) {
	e := newEnv(t)
	type page struct {
		ID       int64  `json:"id"`
		Type     string `json:"type"`
		ParentID int64  `json:"parent_id"`
		Template string `json:"template"`
		URL      string `json:"url"`
	}
	var about, team page
	e.call("POST", "/api/v1/articles", map[string]any{"type": "page", "language": "en", "title": "About us",
		"template": "about", "status": "published"}, http.StatusCreated, &about)
	e.call("POST", "/api/v1/articles", map[string]any{"type": "page", "language": "en", "title": "Team",
		"parent_id": about.ID, "template": "masthead"}, http.StatusCreated, &team)
	if about.Type != "page" || about.Template != "about" || team.ParentID != about.ID || about.URL != "http://localhost:8080/about-us/" {
		t.Fatalf("about %+v team %+v", about, team)
	}
	e.call("POST", "/api/v1/articles", map[string]any{"language": "en", "title": "Harbour reopens"}, http.StatusCreated, nil)

	tests := []struct {
		query string
		want  int
	}{
		{"", 1}, {"?type=article", 1}, {"?type=page", 2}, {"?type=any", 3},
	}
	for _, tt := range tests {
		var l struct {
			Items []page `json:"items"`
			Total int    `json:"total"`
		}
		e.call("GET", "/api/v1/articles"+tt.query, nil, http.StatusOK, &l)
		if len(l.Items) != tt.want || l.Total != tt.want {
			t.Fatalf("%q: %d items, total %d; want %d", tt.query, len(l.Items), l.Total, tt.want)
		}
	}
	e.wantError(e.request("GET", "/api/v1/articles?type=post", ""), 400, "bad_request")
	// A parent that does not exist is refused.
	e.wantError(e.request("PATCH", fmt.Sprintf("/api/v1/articles/%d", team.ID), `{"parent_id":999}`), 422, "invalid")
	var patched page
	e.call("PATCH", fmt.Sprintf("/api/v1/articles/%d", team.ID), map[string]any{"title": "Our team"}, http.StatusOK, &patched)
	if patched.Type != "page" || patched.ParentID != about.ID {
		t.Fatalf("a PATCH of the title changed the page fields: %+v", patched)
	}
}

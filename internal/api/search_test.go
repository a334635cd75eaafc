package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"folio/internal/api"
	"folio/internal/changes"
	"folio/internal/demo"
	"folio/internal/editorial"
	"folio/internal/search"
	"folio/internal/seed"
	"folio/internal/store/sqlite/sqlitetest"
)

type searchBody struct {
	Total      int    `json:"total"`
	Pages      int    `json:"pages"`
	Suggestion string `json:"suggestion"`
	Hits       []struct {
		ID          int64    `json:"id"`
		Language    string   `json:"language"`
		Title       string   `json:"title"`
		SnippetHTML string   `json:"snippet_html"`
		URL         string   `json:"url"`
		Authors     []string `json:"authors"`
	} `json:"hits"`
	Facets map[string][]struct {
		Value string `json:"value"`
		Name  string `json:"name"`
		Count int    `json:"count"`
	} `json:"facets"`
	Error struct {
		Code   string            `json:"code"`
		Fields map[string]string `json:"fields"`
	} `json:"error"`
}

func TestSearchAPI(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.New(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := editorial.New(db, editorial.OnChange(changes.New(db, log).Publish))
	ds, err := demo.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Demo(ctx, svc, t.TempDir(), ds); err != nil {
		t.Fatal(err)
	}
	idx, err := search.Open(filepath.Join(t.TempDir(), search.DirName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = idx.Close() })
	if _, err := (&search.Follower{Index: idx, Store: db, Events: db, Log: log}).Repair(ctx); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	api.New(api.Config{Store: db, Editorial: svc, Logger: log, Search: idx}).Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	get := func(t *testing.T, query string) (int, searchBody) {
		t.Helper()
		resp, err := http.Get(srv.URL + "/api/v1/search?" + query)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b searchBody
		if err := json.NewDecoder(resp.Body).Decode(&b); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, b
	}

	t.Run("Persian", func(t *testing.T) {
		code, b := get(t, "q="+url.QueryEscape("آب")+"&limit=5")
		if code != 200 || b.Total == 0 || b.Hits[0].Language != "fa" {
			t.Fatalf("status %d, %+v", code, b)
		}
		if !strings.Contains(b.Hits[0].SnippetHTML, "<mark>آب</mark>") || !strings.Contains(b.Hits[0].URL, "/fa/") || len(b.Hits[0].Authors) == 0 {
			t.Errorf("hit %+v", b.Hits[0])
		}
		if len(b.Facets["region"]) == 0 || b.Facets["region"][0].Value == "" || b.Facets["language"][0].Name != "فارسی" {
			t.Errorf("facets %+v", b.Facets)
		}
	})
	t.Run("FilterBySlug", func(t *testing.T) {
		_, all := get(t, "q=water&limit=50")
		_, one := get(t, "q=water&limit=50&dossier=water-wars-of-the-amu-darya")
		if one.Total == 0 || one.Total >= all.Total {
			t.Errorf("dossier filter: %d of %d", one.Total, all.Total)
		}
		_, none := get(t, "q=water&region=no-such-region")
		if none.Total != 0 {
			t.Errorf("unknown region matched %d", none.Total)
		}
	})
	t.Run("Typo", func(t *testing.T) {
		_, b := get(t, "q=glaciars")
		if b.Suggestion != "glaciers" {
			t.Errorf("suggestion %q", b.Suggestion)
		}
	})
	t.Run("BadParams", func(t *testing.T) {
		code, b := get(t, "q=water&sort=popular&limit=500")
		if code != 400 || b.Error.Fields["sort"] == "" {
			t.Errorf("status %d, error %+v", code, b.Error)
		}
		code, b = get(t, "q=water&limit=500")
		if code != 400 || b.Error.Fields["limit"] == "" {
			t.Errorf("status %d, error %+v", code, b.Error)
		}
	})
	t.Run("NoIndex", func(t *testing.T) {
		e := newEnv(t)
		resp, err := http.Get(e.srv.URL + "/api/v1/search?q=water")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("without an index: %d", resp.StatusCode)
		}
	})
}

package api_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestAPI_Auth(t *testing.T) {
	e := newEnv(t)
	for name, auth := range map[string]string{
		"ErrMissing":   "",
		"ErrBadToken":  "Bearer folio_not-a-real-token",
		"ErrNoSecret":  "Bearer ",
		"ErrWrongKind": "Basic " + e.token,
	} {
		t.Run(name, func(t *testing.T) {
			res := e.request("GET", "/api/v1/articles", nil, "Authorization", auth)
			e.wantError(res, http.StatusUnauthorized, "unauthorized")
			if !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Fatalf("WWW-Authenticate %q", res.Header.Get("WWW-Authenticate"))
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		res := e.request("GET", "/api/v1/articles", nil)
		if res.Status != http.StatusOK {
			t.Fatalf("status %d: %s", res.Status, res.Body)
		}
		if got := res.Header.Get("Cache-Control"); got != "no-store" {
			t.Fatalf("Cache-Control %q", got)
		}
		if got := res.Header.Get("Content-Type"); got != "application/json; charset=utf-8" {
			t.Fatalf("Content-Type %q", got)
		}
	})
	t.Run("OpenAPIIsPublic", func(t *testing.T) {
		res := e.request("GET", "/api/v1/openapi.json", nil, "Authorization", "")
		if res.Status != http.StatusOK || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("status %d, headers %v", res.Status, res.Header)
		}
	})
}

func TestAPI_Errors(t *testing.T) {
	e := newEnv(t)
	valid := `{"language":"en","title":"Water"}`

	t.Run("ErrMalformed", func(t *testing.T) {
		got := e.wantError(e.request("POST", "/api/v1/articles", `{"language":"en","title" "x"}`), 400, "bad_request")
		if !strings.Contains(got.Error.Message, "byte offset 26") {
			t.Fatalf("message %q lacks the offset", got.Error.Message)
		}
		got = e.wantError(e.request("POST", "/api/v1/articles", `{"title":`), 400, "bad_request")
		if !strings.Contains(got.Error.Message, "byte offset") {
			t.Fatalf("message %q", got.Error.Message)
		}
		e.wantError(e.request("POST", "/api/v1/articles", valid+` {}`), 400, "bad_request")
		e.wantError(e.request("POST", "/api/v1/articles", `[1,2]`), 400, "bad_request")
		e.wantError(e.request("POST", "/api/v1/articles", ``), 400, "bad_request")
	})
	t.Run("ErrInvalidUTF8", func(t *testing.T) {
		got := e.wantError(e.request("POST", "/api/v1/articles", "{\"language\":\"en\",\"title\":\"Wat\xffer\"}"), 400, "bad_request")
		if got.Error.Fields["title"] != "is not valid UTF-8" {
			t.Fatalf("got %+v", got.Error)
		}
		got = e.wantError(e.request("POST", "/api/v1/articles", `{"language":"en","title":"half \ud800 pair"}`), 400, "bad_request")
		if got.Error.Fields["title"] == "" {
			t.Fatalf("a lone surrogate: %+v", got.Error)
		}
	})
	t.Run("ErrTooDeep", func(t *testing.T) {
		body := `{"language":"en","title":"x","author_ids":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}`
		got := e.wantError(e.request("POST", "/api/v1/articles", body), 400, "bad_request")
		if len(got.Error.Fields) != 1 || !strings.Contains(got.Error.Message, "author_ids") {
			t.Fatalf("got %+v", got.Error)
		}
	})
	t.Run("ErrWrongType", func(t *testing.T) {
		got := e.wantError(e.request("POST", "/api/v1/articles", `{"language":"en","title":5}`), 400, "bad_request")
		if !strings.Contains(got.Error.Message, `"title"`) || got.Error.Fields["title"] != "must be a string" {
			t.Fatalf("got %+v", got.Error)
		}
		got = e.wantError(e.request("POST", "/api/v1/articles", `{"language":"en","title":"x","author_ids":["a"]}`), 400, "bad_request")
		if _, ok := got.Error.Fields["author_ids[0]"]; !ok {
			t.Fatalf("fields %v", got.Error.Fields)
		}
		got = e.wantError(e.request("POST", "/api/v1/articles", `{"language":"en","title":"x","published_at":"tomorrow"}`), 400, "bad_request")
		if !strings.Contains(got.Error.Message, "published_at") {
			t.Fatalf("message %q", got.Error.Message)
		}
	})
	t.Run("ErrUnknownField", func(t *testing.T) {
		got := e.wantError(e.request("POST", "/api/v1/articles", `{"language":"en","title":"x","colour":"red","id":4}`), 400, "bad_request")
		if got.Error.Message != `unknown fields "colour", "id"` {
			t.Fatalf("message %q", got.Error.Message)
		}
		got = e.wantError(e.request("POST", "/api/v1/articles", `{"language":"en","title":"x","image":{"url":"/a.png","alt":"a","size":3}}`), 400, "bad_request")
		if !strings.Contains(got.Error.Message, `"image.size"`) {
			t.Fatalf("message %q", got.Error.Message)
		}
	})
	t.Run("ErrUnsupportedMediaType", func(t *testing.T) {
		e.wantError(e.request("POST", "/api/v1/articles", valid, "Content-Type", "text/plain"), 415, "unsupported_media_type")
		e.wantError(e.request("POST", "/api/v1/articles", valid, "Content-Type", ""), 415, "unsupported_media_type")
		e.wantError(e.request("POST", "/api/v1/media", valid), 415, "unsupported_media_type")
	})
	t.Run("ErrTooLarge", func(t *testing.T) {
		body := `{"language":"en","title":"x","body_markdown":"` + strings.Repeat("a", testMaxBody) + `"}`
		e.wantError(e.request("POST", "/api/v1/articles", body), 413, "too_large")
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		got := e.wantError(e.request("POST", "/api/v1/articles", `{"language":"not a tag!","status":"live"}`), 422, "invalid")
		for _, f := range []string{"title", "language", "status"} {
			if got.Error.Fields[f] == "" {
				t.Fatalf("fields %v lack %q", got.Error.Fields, f)
			}
		}
		if got.Error.Fields["title"] != "is required" {
			t.Fatalf("title: %q", got.Error.Fields["title"])
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		e.wantError(e.request("GET", "/api/v1/articles/999999", nil), 404, "not_found")
		e.wantError(e.request("GET", "/api/v1/articles/abc", nil), 404, "not_found")
		e.wantError(e.request("PATCH", "/api/v1/articles/999999", `{"title":"x"}`), 404, "not_found")
		e.wantError(e.request("GET", "/api/v1/no-such-thing", nil), 404, "not_found")
	})
	t.Run("ErrConflict", func(t *testing.T) {
		e.call("POST", "/api/v1/articles", map[string]any{"language": "en", "title": "A", "slug": "same"}, 201, nil)
		got := e.wantError(e.request("POST", "/api/v1/articles", map[string]any{"language": "en", "title": "B", "slug": "same"}), 409, "conflict")
		if got.Error.Message == "" {
			t.Fatal("empty message")
		}
		// The same slug in another language is fine.
		e.call("POST", "/api/v1/articles", map[string]any{"language": "fr", "title": "C", "slug": "same"}, 201, nil)
	})
	t.Run("ErrMethodNotAllowed", func(t *testing.T) {
		res := e.request("PUT", "/api/v1/articles", valid)
		e.wantError(res, 405, "method_not_allowed")
		if allow := res.Header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
			t.Fatalf("Allow %q", allow)
		}
	})
	t.Run("ErrBadQuery", func(t *testing.T) {
		e.wantError(e.request("GET", "/api/v1/articles?limit=x", nil), 400, "bad_request")
		e.wantError(e.request("GET", "/api/v1/articles?status=live", nil), 400, "bad_request")
		e.wantError(e.request("GET", "/api/v1/articles?cursor=!!", nil), 400, "bad_request")
		e.wantError(e.request("GET", "/api/v1/terms?kind=colour", nil), 400, "bad_request")
	})
}

// TestAPI_Internal checks that a storage failure is a generic 500 whose
// detail is logged once with the request.
func TestAPI_Internal(t *testing.T) {
	e := newEnv(t)
	if err := e.db.Close(); err != nil {
		t.Fatal(err)
	}
	got := e.wantError(e.request("GET", "/api/v1/articles", nil), 500, "internal")
	if got.Error.Message != "Internal error." {
		t.Fatalf("message %q leaks detail", got.Error.Message)
	}
	logs := e.logs.String()
	if strings.Count(logs, "api: internal error") != 1 || !strings.Contains(logs, "method=GET") ||
		!strings.Contains(logs, "path=/api/v1/articles") || !strings.Contains(logs, "closed") {
		t.Fatalf("logs:\n%s", logs)
	}
}

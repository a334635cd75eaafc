package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"folio/internal/editorial"
	"folio/internal/store/sqlite/sqlitetest"
)

// TestOpenAPI checks the served document against the route table Register
// iterates: the same paths and methods, and every $ref resolves.
func TestOpenAPI(t *testing.T) {
	db := sqlitetest.New(t)
	a := New(Config{Store: db, Editorial: editorial.New(db)})
	mux := http.NewServeMux()
	a.Register(mux)

	// Every route in the table is what the mux answers with.
	registered := map[string][]string{}
	for _, rt := range a.routes {
		req := httptest.NewRequest(rt.Method, strings.ReplaceAll(rt.Path, "{id}", "7"), nil)
		if _, pattern := mux.Handler(req); pattern != rt.Method+" "+rt.Path {
			t.Errorf("%s %s: mux pattern %q", rt.Method, rt.Path, pattern)
		}
		registered[rt.Path] = append(registered[rt.Path], strings.ToLower(rt.Method))
	}

	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var doc map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi %v", doc["openapi"])
	}
	servers, _ := doc["servers"].([]any)
	if len(servers) != 1 || servers[0].(map[string]any)["url"] != "http://localhost:8080" {
		t.Fatalf("servers %v", servers)
	}
	if _, ok := doc["components"].(map[string]any)["securitySchemes"].(map[string]any)["bearerAuth"]; !ok {
		t.Fatal("no bearerAuth scheme")
	}

	paths := doc["paths"].(map[string]any)
	documented := map[string][]string{}
	for p, item := range paths {
		for m, op := range item.(map[string]any) {
			documented[p] = append(documented[p], m)
			o := op.(map[string]any)
			if _, ok := o["responses"].(map[string]any); !ok {
				t.Errorf("%s %s: no responses", m, p)
			}
			if strings.Contains(p, "{id}") {
				params, _ := o["parameters"].([]any)
				if len(params) == 0 || params[0].(map[string]any)["in"] != "path" {
					t.Errorf("%s %s: no path parameter", m, p)
				}
			}
		}
	}
	for p := range registered {
		slices.Sort(registered[p])
	}
	for p := range documented {
		slices.Sort(documented[p])
	}
	for p, ms := range registered {
		if !slices.Equal(ms, documented[p]) {
			t.Errorf("%s: registered %v, documented %v", p, ms, documented[p])
		}
	}
	for p, ms := range documented {
		if _, ok := registered[p]; !ok {
			t.Errorf("%s %v documented but not registered", p, ms)
		}
	}

	// Every $ref resolves within the document.
	refs := 0
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				refs++
				if _, err := resolve(doc, ref); err != "" {
					t.Errorf("$ref %q: %s", ref, err)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	if refs < 20 {
		t.Fatalf("only %d $refs: document too thin?", refs)
	}

	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for _, name := range []string{"Article", "ArticleInput", "Author", "Term", "Settings", "Media", "Error",
		"ArticleList", "AuthorList", "TermList", "MediaList"} {
		if _, ok := schemas[name]; !ok {
			t.Errorf("schema %s missing", name)
		}
	}
	// Article output shows url and nested authors as objects.
	props := schemas["Article"].(map[string]any)["properties"].(map[string]any)
	for _, f := range []string{"url", "id", "title", "authors", "terms", "body_html"} {
		if _, ok := props[f]; !ok {
			t.Errorf("Article lacks %q", f)
		}
	}
	in := schemas["ArticleInput"].(map[string]any)
	if in["additionalProperties"] != false {
		t.Error("ArticleInput accepts unknown fields")
	}
	if _, ok := in["properties"].(map[string]any)["author_ids"]; !ok {
		t.Error("ArticleInput lacks author_ids")
	}
	// The credit type is one of four (or empty), on media and images alike.
	media := schemas["Media"].(map[string]any)["properties"].(map[string]any)
	ct, _ := media["credit_type"].(map[string]any)
	if ref, ok := ct["$ref"].(string); ok {
		r, _ := resolve(doc, ref)
		ct, _ = r.(map[string]any)
	}
	if enum := fmt.Sprint(ct["enum"]); enum != "[ photo illustration chart video]" {
		t.Errorf("Media credit_type enum = %s (schema %v)", enum, ct)
	}
}

// resolve follows a local JSON pointer such as "#/components/schemas/Article".
func resolve(doc map[string]any, ref string) (any, string) {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, "not a local reference"
	}
	var cur any = doc
	for _, part := range strings.Split(rest, "/") {
		part = strings.NewReplacer("~1", "/", "~0", "~").Replace(part)
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, "walks into a non-object at " + part
		}
		if cur, ok = m[part]; !ok || cur == nil {
			return nil, "no " + part
		}
	}
	return cur, ""
}

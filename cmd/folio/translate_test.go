package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store"
	"folio/internal/store/sqlite"
)

// seedArticle stores one published English article in dir's database.
func seedArticle(t *testing.T, dir string) int64 {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "folio.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	au := &content.Author{Name: "Ana", Slug: "ana"}
	if err := db.CreateAuthor(ctx, au); err != nil {
		t.Fatal(err)
	}
	a := &content.Article{Language: "en", Title: "The black dog", Status: content.StatusPublished,
		BodyMarkdown: "The house is **big**. See [the port](https://example.org/port).\n",
		Authors:      []*content.Author{{ID: au.ID}}}
	if err := editorial.New(db).System("test").CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	return a.ID
}

func groupSize(t *testing.T, dir string, id int64) int {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "folio.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, n, err := db.FindArticles(ctx, store.ArticleFilter{TranslationGroup: id})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTranslateCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	id := seedArticle(t, dir)
	idArg := strconv.FormatInt(id, 10)
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte(`{"error": "model not loaded"}`))
	}))
	defer failing.Close()

	errTests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"usage", []string{"translate", "--to", "es"}, nil, "usage: folio translate"},
		{"missing pair", []string{"translate", "--article", idArg, "--to", "fa"}, nil,
			"translate: machine translation with apertium does not support en to fa (nothing was changed)"},
		{"provider not configured", []string{"translate", "--article", idArg, "--to", "es", "--provider", "deepl"}, nil,
			"provider deepl needs FOLIO_DEEPL_KEY"},
		{"provider fails", []string{"translate", "--article", idArg, "--to", "es", "--provider", "libretranslate"},
			map[string]string{"FOLIO_LIBRETRANSLATE_URL": failing.URL},
			"translate: machine translation with libretranslate from en to es failed: the service answered 500: model not loaded (nothing was changed)"},
		{"missing article", []string{"translate", "--article", "999", "--to", "es"}, nil, "article 999 not found"},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			e := map[string]string{"FOLIO_DATA": dir}
			for k, v := range tt.env {
				e[k] = v
			}
			var out, errb bytes.Buffer
			err := run(ctx, tt.args, env(e), &out, &errb)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if n := groupSize(t, dir, id); n != 1 {
				t.Fatalf("%d articles in the group after a failure, want 1", n)
			}
		})
	}

	t.Run("OK", func(t *testing.T) {
		if _, err := exec.LookPath("apertium"); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("apertium is not installed (Debian: apertium apertium-eng-spa)")
			}
			t.Skip("apertium is not installed")
		}
		var out, errb bytes.Buffer
		if err := run(ctx, []string{"translate", "--article", idArg, "--to", "es", "--data", dir}, env(nil), &out, &errb); err != nil {
			t.Fatalf("translate: %v\n%s", err, errb.String())
		}
		if !strings.Contains(errb.String(), "segments") || !strings.Contains(out.String(), "translated to es as article") ||
			!strings.Contains(out.String(), "review, machine translation via apertium") { // held for review
			t.Fatalf("stdout %q stderr %q", out.String(), errb.String())
		}
		if n := groupSize(t, dir, id); n != 2 {
			t.Fatalf("%d articles in the group, want 2", n)
		}
	})
}

// TestTranslateOnDemand serves a site that translates on demand: the first
// reader of /es/{slug}/ gets a machine translation, labelled and kept out
// of search indexes, and the translation is stored for everyone after.
func TestTranslateOnDemand(t *testing.T) {
	if _, err := exec.LookPath("apertium"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("apertium is not installed (Debian: apertium apertium-eng-spa)")
		}
		t.Skip("apertium is not installed")
	}
	ctx := context.Background()
	dir := t.TempDir()
	id := seedArticle(t, dir)
	func() {
		db, err := sqlite.Open(ctx, filepath.Join(dir, "folio.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		st, err := db.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		st.TranslateOnDemand = true
		if err := db.UpdateSettings(ctx, st); err != nil {
			t.Fatal(err)
		}
	}()
	ts := startServer(t, dir)
	// The reader first gets the original, with the button.
	resp, body := ts.get(t, "/es/the-black-dog/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /es/the-black-dog/ = %d\n%s", resp.StatusCode, ts.stderr.String())
	}
	action := fmt.Sprintf(`action="/translate/%d/es/"`, id)
	if !strings.Contains(string(body), action) || !strings.Contains(string(body), "Tradúcemelo") {
		t.Fatalf("original page lacks the translate button %s", action)
	}
	if n := groupSize(t, dir, id); n != 1 {
		t.Fatalf("%d articles in the group before anyone asked, want 1", n)
	}
	post := func(origin string) *http.Response {
		req, err := http.NewRequest(http.MethodPost, ts.base+fmt.Sprintf("/translate/%d/es/", id), nil)
		if err != nil {
			t.Fatal(err)
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := post("https://elsewhere.example"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST = %d, want 403", resp.StatusCode)
	}
	resp = post(ts.base)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/es/the-black-dog/" {
		t.Fatalf("POST = %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), ts.stderr.String())
	}
	resp, body = ts.get(t, "/es/the-black-dog/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /es/the-black-dog/ = %d\n%s", resp.StatusCode, ts.stderr.String())
	}
	page := string(body)
	for _, want := range []string{"perro negro", `href="https://example.org/port"`, "<strong>"} {
		if !strings.Contains(page, want) {
			t.Errorf("translated page lacks %q", want)
		}
	}
	if !strings.Contains(page, "noindex") {
		t.Errorf("unreviewed machine translation is not noindex")
	}
	if n := groupSize(t, dir, id); n != 2 {
		t.Fatalf("%d articles in the group, want the original and the stored translation", n)
	}
	// Served again from the store (and cache), not translated twice.
	if resp, _ := ts.get(t, "/es/the-black-dog/"); resp.StatusCode != http.StatusOK {
		t.Fatalf("second GET = %d", resp.StatusCode)
	}
	if n := groupSize(t, dir, id); n != 2 {
		t.Fatalf("%d articles after a second read", n)
	}
}

package translate

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"folio/internal/content"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// recorded serves body with status for one endpoint, checking the request
// with check first.
func recorded(t *testing.T, path string, status int, body []byte, check func(t *testing.T, r *http.Request, req map[string]any)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/v2/languages" {
			// DeepL lists its source and target languages; Supports asks first.
			if got := r.Header.Get("Authorization"); !strings.HasPrefix(got, "DeepL-Auth-Key ") {
				t.Errorf("languages: Authorization = %q", got)
			}
			typ := r.URL.Query().Get("type")
			if typ != "source" && typ != "target" {
				t.Errorf("languages: type = %q", typ)
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write(fixture(t, "deepl_languages_"+typ+".json"))
			return
		}
		if r.Method == http.MethodGet && r.URL.Path == "/languages" {
			// LibreTranslate lists its pairs; Supports asks first.
			w.Header().Set("Content-Type", "application/json")
			w.Write(fixture(t, "libretranslate_languages.json"))
			return
		}
		if r.Method != http.MethodPost || r.URL.Path != path {
			t.Errorf("request %s %s, want POST %s", r.Method, r.URL.Path, path)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q", ct)
		}
		var req map[string]any
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Errorf("request body: %v", err)
		}
		if check != nil {
			check(t, r, req)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// recordedSegments are the segments the fixtures answer.
func recordedSegments() (*Doc, []Segment) {
	d := SplitMarkdown("The house is **very** big.\n\nSee [the red door](https://example.org/door) and run `go test` now.\n")
	return d, d.Segments
}

func TestLibreTranslate(t *testing.T) {
	ctx := context.Background()
	doc, segs := recordedSegments()
	t.Run("OK", func(t *testing.T) {
		srv := recorded(t, "/translate", 200, fixture(t, "libretranslate_translate.json"), func(t *testing.T, r *http.Request, req map[string]any) {
			want := map[string]any{"q": []any{segs[0].Text, segs[1].Text}, "source": "en", "target": "es",
				"format": "html", "api_key": "k1"}
			if diff := cmp.Diff(want, req); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
		})
		l := &LibreTranslate{URL: srv.URL + "/", APIKey: "k1"}
		out, err := l.Translate(ctx, "en", "es", segs)
		if err != nil {
			t.Fatal(err)
		}
		got := doc.Join(out)
		want := "La casa es **muy** grande.\n\nVer [la puerta roja](https://example.org/door) y correr `go test` ahora.\n"
		if got != want {
			t.Fatalf("got %q\nwant %q", got, want)
		}
	})
	t.Run("ErrService", func(t *testing.T) {
		srv := recorded(t, "/translate", 400, fixture(t, "libretranslate_error.json"), nil)
		l := &LibreTranslate{URL: srv.URL}
		_, err := l.Translate(ctx, "en", "es", segs)
		want := "machine translation with libretranslate from en to es failed: the service answered 400: es (Spanish) is not supported as a target language"
		if got := content.ErrorMessage(err); got != want {
			t.Fatalf("message = %q\nwant %q", got, want)
		}
	})
	t.Run("ErrTimeout", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(500 * time.Millisecond):
			}
		}))
		defer srv.Close()
		l := &LibreTranslate{URL: srv.URL, Client: &http.Client{Timeout: 50 * time.Millisecond}}
		_, err := l.Translate(ctx, "en", "es", segs)
		if got := content.ErrorMessage(err); !strings.HasSuffix(got, "failed: timed out") {
			t.Fatalf("message = %q", got)
		}
	})
	t.Run("ErrUnreachable", func(t *testing.T) {
		l := &LibreTranslate{URL: "http://127.0.0.1:1"}
		_, err := l.Translate(ctx, "en", "es", segs)
		if got := content.ErrorMessage(err); !strings.HasSuffix(got, "the service is unreachable") {
			t.Fatalf("message = %q", got)
		}
	})
	t.Run("ErrShortAnswer", func(t *testing.T) {
		srv := recorded(t, "/translate", 200, []byte(`{"translatedText": ["uno"]}`), nil)
		l := &LibreTranslate{URL: srv.URL}
		_, err := l.Translate(ctx, "en", "es", segs)
		if got := content.ErrorMessage(err); !strings.HasSuffix(got, "asked for 2 segments, got 1") {
			t.Fatalf("message = %q", got)
		}
	})
	t.Run("ErrPair", func(t *testing.T) {
		l := &LibreTranslate{URL: "http://unused", Languages: []string{"en", "fr"}}
		_, err := l.Translate(ctx, "en", "es", segs)
		if content.ErrorCode(err) != content.EINVALID || !strings.Contains(err.Error(), "libretranslate does not support en to es") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestDeepL(t *testing.T) {
	ctx := context.Background()
	doc, segs := recordedSegments()
	t.Run("OK", func(t *testing.T) {
		srv := recorded(t, "/v2/translate", 200, fixture(t, "deepl_translate.json"), func(t *testing.T, r *http.Request, req map[string]any) {
			if got := r.Header.Get("Authorization"); got != "DeepL-Auth-Key secret:fx" {
				t.Errorf("Authorization = %q", got)
			}
			want := map[string]any{"text": []any{segs[0].Text, segs[1].Text}, "source_lang": "EN",
				"target_lang": "ES", "tag_handling": "html"}
			if diff := cmp.Diff(want, req); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
		})
		d := &DeepL{Key: "secret:fx", URL: srv.URL}
		out, err := d.Translate(ctx, "en", "es", segs)
		if err != nil {
			t.Fatal(err)
		}
		want := "La casa es **muy** grande.\n\nVea [la puerta roja](https://example.org/door) y ejecute `go test` ahora.\n"
		if got := doc.Join(out); got != want {
			t.Fatalf("got %q\nwant %q", got, want)
		}
	})
	t.Run("ErrQuota", func(t *testing.T) {
		srv := recorded(t, "/v2/translate", 456, fixture(t, "deepl_error_456.json"), nil)
		d := &DeepL{Key: "k", URL: srv.URL}
		_, err := d.Translate(ctx, "en", "es", segs)
		want := "machine translation with deepl from en to es failed: the account's character quota is used up (456)"
		if got := content.ErrorMessage(err); got != want {
			t.Fatalf("message = %q\nwant %q", got, want)
		}
		if strings.Contains(err.Error(), "DeepL-Auth-Key") {
			t.Fatal("error carries the key")
		}
	})
	t.Run("Endpoint", func(t *testing.T) {
		if got := (&DeepL{Key: "a:fx"}).endpoint(); got != "https://api-free.deepl.com/v2/translate" {
			t.Errorf("free endpoint = %s", got)
		}
		if got := (&DeepL{Key: "a"}).endpoint(); got != "https://api.deepl.com/v2/translate" {
			t.Errorf("pro endpoint = %s", got)
		}
	})
	t.Run("Languages", func(t *testing.T) {
		srv := recorded(t, "/v2/translate", 200, nil, nil)
		d := &DeepL{Key: "k", URL: srv.URL}
		tests := []struct {
			from, to string
			want     bool
		}{{"en", "es", true}, {"es", "en", true}, {"en", "pt-BR", true}, {"en", "zh-Hant", true}, {"zh-Hant", "en", true},
			{"en", "ja", true}, {"he", "en", true}, {"en", "fa", false}, {"sw", "en", false}, {"en", "en", false}, {"zh-Hans", "zh-Hant", false}}
		for _, tt := range tests {
			if got := d.Supports(tt.from, tt.to); got != tt.want {
				t.Errorf("Supports(%s, %s) = %v", tt.from, tt.to, got)
			}
		}
		_, targets, err := d.languages()
		if err != nil {
			t.Fatal(err)
		}
		for tag, want := range map[string]string{"en": "EN-US", "en-GB": "EN-GB", "pt": "PT-PT", "pt-BR": "PT-BR",
			"zh-Hans": "ZH-HANS", "zh-Hant": "ZH-HANT", "ja": "JA", "fa": ""} {
			if got := deeplTarget(targets, tag); got != want {
				t.Errorf("target %s = %q, want %q", tag, got, want)
			}
		}
		pairs, err := d.Pairs()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []Pair{{"en", "ja"}, {"en", "zh-Hant"}, {"en", "pt-BR"}, {"ja", "en"}, {"zh-Hant", "en"}} {
			if !slices.Contains(pairs, p) {
				t.Errorf("Pairs lacks %v", p)
			}
		}
		for _, p := range []Pair{{"en", "en"}, {"en", "fa"}, {"zh-Hans", "zh-Hant"}, {"fa", "en"}} {
			if slices.Contains(pairs, p) {
				t.Errorf("Pairs has %v", p)
			}
		}
		// A pair DeepL does not list is refused before any request, with
		// one message naming it.
		_, err = d.Translate(ctx, "en", "fa", segs)
		if got := content.ErrorMessage(err); got != "machine translation with deepl does not support en to fa" {
			t.Errorf("message = %q", got)
		}
	})
	t.Run("ErrLanguagesRefused", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"message":"Wrong endpoint"}`))
		}))
		t.Cleanup(srv.Close)
		_, err := (&DeepL{Key: "bad", URL: srv.URL}).Pairs()
		if got := content.ErrorMessage(err); !strings.Contains(got, "could not list its source languages: the API key was refused (403)") {
			t.Errorf("message = %q", got)
		}
		if _, err := (&DeepL{}).Pairs(); err == nil || !strings.Contains(content.ErrorMessage(err), "no API key") {
			t.Errorf("Pairs without a key: %v", err)
		}
	})
	t.Run("ErrNoKey", func(t *testing.T) {
		_, err := (&DeepL{}).Translate(ctx, "en", "es", segs)
		if got := content.ErrorMessage(err); !strings.Contains(got, "no API key is configured") {
			t.Fatalf("message = %q", got)
		}
	})
}

func TestLibreTranslate_Languages(t *testing.T) {
	srv := recorded(t, "/translate", 200, nil, nil)
	l := &LibreTranslate{URL: srv.URL}
	for _, c := range []struct {
		from, to string
		want     bool
	}{{"en", "fa", true}, {"en", "ps", true}, {"en", "zh-Hant", true}, {"fa", "en", true}, {"en", "ja", false}, {"fa", "es", false}} {
		if got := l.Supports(c.from, c.to); got != c.want {
			t.Errorf("Supports(%s, %s) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
	pairs, err := l.Pairs()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(pairs, Pair{"en", "zh-Hant"}) || !slices.Contains(pairs, Pair{"en", "ur"}) || slices.Contains(pairs, Pair{"en", "en"}) {
		t.Errorf("Pairs = %v", pairs)
	}
	down := &LibreTranslate{URL: "http://127.0.0.1:1"}
	if _, err := down.Pairs(); err == nil || !strings.Contains(err.Error(), "libretranslate") {
		t.Errorf("Pairs of an unreachable server: %v", err)
	}
}

// TestService_TargetsDeepL checks the request form's choices with DeepL
// configured: the languages its /v2/languages lists (Japanese, the issue a
// new user met), none it lacks, and DeepL named as unreachable, offering
// nothing, when it cannot say.
func TestService_TargetsDeepL(t *testing.T) {
	srv := recorded(t, "/v2/translate", 200, nil, nil)
	_, _, svc := newEnv(t, []Provider{&DeepL{Key: "k", URL: srv.URL}})
	targets, unavailable := svc.Targets("en")
	if len(unavailable) != 0 {
		t.Fatalf("unavailable = %v", unavailable)
	}
	var langs []string
	for _, tg := range targets {
		if tg.Provider != "deepl" {
			t.Errorf("target %+v", tg)
		}
		langs = append(langs, tg.Lang)
	}
	for _, want := range []string{"ja", "zh-Hant", "zh-Hans", "pt", "ar", "uk"} {
		if !slices.Contains(langs, want) {
			t.Errorf("targets lack %s: %v", want, langs)
		}
	}
	for _, not := range []string{"en", "fa", "ps", "ur", "sw"} {
		if slices.Contains(langs, not) {
			t.Errorf("targets offer %s", not)
		}
	}
	_, _, down := newEnv(t, []Provider{&DeepL{Key: "k", URL: "http://127.0.0.1:1"}})
	if targets, unavailable := down.Targets("en"); len(targets) != 0 || !slices.Equal(unavailable, []string{"deepl"}) {
		t.Errorf("unreachable DeepL: targets %v, unavailable %v", targets, unavailable)
	}
}

package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"folio/internal/api"
	"folio/internal/auth"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/media"
	"folio/internal/store/sqlite"
	"folio/internal/store/sqlite/sqlitetest"
)

// syncBuffer is a log sink handlers may write while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type env struct {
	t     testing.TB
	db    *sqlite.DB
	srv   *httptest.Server
	token string
	logs  *syncBuffer
	media *media.Library
}

const testMaxBody = 64 << 10

func newEnv(tb testing.TB) *env {
	tb.Helper()
	return newEnvWith(tb, func(*api.Config) {})
}

// newEnvWith is newEnv with the API's configuration changed by set.
func newEnvWith(tb testing.TB, set func(*api.Config)) *env {
	tb.Helper()
	db := sqlitetest.New(tb)
	secret := auth.NewAPITokenSecret()
	if err := db.CreateToken(context.Background(), &content.Token{Name: "test", Hash: auth.HashToken(secret)}); err != nil {
		tb.Fatal(err)
	}
	lib := &media.Library{Root: tb.TempDir(), MaxBytes: 256 << 10}
	logs := &syncBuffer{}
	cfg := api.Config{
		Store:     db,
		Editorial: editorial.New(db),
		Media:     lib,
		Logger:    slog.New(slog.NewTextHandler(logs, nil)),
		MaxBody:   testMaxBody,
	}
	set(&cfg)
	a := api.New(cfg)
	mux := http.NewServeMux()
	a.Register(mux)
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	return &env{t: tb, db: db, srv: srv, token: secret, logs: logs, media: lib}
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// errorJSON is the error envelope.
type errorJSON struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func (r *response) err(tb testing.TB) errorJSON {
	tb.Helper()
	var e errorJSON
	if err := json.Unmarshal(r.Body, &e); err != nil {
		tb.Fatalf("error body %s: %v", r.Body, err)
	}
	return e
}

// request sends body (string: raw JSON; nil: none; else marshalled) with
// the env's token and a JSON Content-Type unless header overrides them.
func (e *env) request(method, path string, body any, header ...string) *response {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return &response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// call sends a request, checks the status and decodes the body into out.
func (e *env) call(method, path string, body any, want int, out any) *response {
	e.t.Helper()
	res := e.request(method, path, body)
	if res.Status != want {
		e.t.Fatalf("%s %s: status %d, want %d: %s", method, path, res.Status, want, res.Body)
	}
	if out != nil {
		if err := json.Unmarshal(res.Body, out); err != nil {
			e.t.Fatalf("%s %s: decode %s: %v", method, path, res.Body, err)
		}
	}
	return res
}

// wantError checks an error response's status and code.
func (e *env) wantError(res *response, status int, code string) errorJSON {
	e.t.Helper()
	if res.Status != status {
		e.t.Fatalf("status %d, want %d: %s", res.Status, status, res.Body)
	}
	got := res.err(e.t)
	if got.Error.Code != code {
		e.t.Fatalf("code %q, want %q: %s", got.Error.Code, code, res.Body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		e.t.Fatalf("Content-Type %q", ct)
	}
	return got
}

type article struct {
	ID               int64            `json:"id"`
	Language         string           `json:"language"`
	TranslationGroup int64            `json:"translation_group"`
	Title            string           `json:"title"`
	Deck             string           `json:"deck"`
	Slug             string           `json:"slug"`
	BodyMarkdown     string           `json:"body_markdown"`
	BodyHTML         string           `json:"body_html"`
	Status           string           `json:"status"`
	Featured         bool             `json:"featured"`
	Image            *content.Image   `json:"image"`
	Authors          []content.Author `json:"authors"`
	Terms            []content.Term   `json:"terms"`
	PublishedAt      time.Time        `json:"published_at"`
	URL              string           `json:"url"`
}

type articlePage struct {
	Items      []article `json:"items"`
	Total      int       `json:"total"`
	NextCursor *string   `json:"next_cursor"`
}

func (e *env) createArticle(body map[string]any) article {
	e.t.Helper()
	var a article
	e.call("POST", "/api/v1/articles", body, http.StatusCreated, &a)
	return a
}

func (e *env) createAuthor(name string) content.Author {
	e.t.Helper()
	var a content.Author
	e.call("POST", "/api/v1/authors", map[string]any{"name": name}, http.StatusCreated, &a)
	return a
}

func (e *env) createTerm(kind, name string) content.Term {
	e.t.Helper()
	var t content.Term
	e.call("POST", "/api/v1/terms", map[string]any{"kind": kind, "name": name}, http.StatusCreated, &t)
	return t
}

func pngBytes(tb testing.TB, w, h int) []byte {
	tb.Helper()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, color.RGBA{uint8(x * 9), uint8(y * 5), 120, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// upload posts a multipart form with a file part and text fields.
func (e *env) upload(filename string, data []byte, fields map[string]string) *response {
	e.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, filename))
	h.Set("Content-Type", "application/octet-stream")
	part, err := mw.CreatePart(h)
	if err != nil {
		e.t.Fatal(err)
	}
	part.Write(data)
	mw.Close()
	return e.request("POST", "/api/v1/media", b.Bytes(), "Content-Type", mw.FormDataContentType())
}

func (r *response) String() string { return string(r.Body) }

func mustJSON(tb testing.TB, b []byte, v any) {
	tb.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		tb.Fatalf("decode %s: %v", b, err)
	}
}

type mediaJSON struct {
	ID          int64  `json:"id"`
	Path        string `json:"path"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	Alt         string `json:"alt"`
	CreditType  string `json:"credit_type"`
	Caption     string `json:"caption"`
	Credit      string `json:"credit"`
	CreditURL   string `json:"credit_url"`
	URL         string `json:"url"`
}

package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"folio/internal/config"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/brotli"
	"github.com/mmcdole/gofeed"
)

// testServer is a real `folio serve` on a loopback port with its own data directory.
type testServer struct {
	base    string
	dataDir string
	stderr  *syncBuffer
}

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

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// startServer runs serve with args on port 0 and stops it when the test ends.
func startServer(t *testing.T, dataDir string, args ...string) *testServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	ts := &testServer{dataDir: dataDir, stderr: &syncBuffer{}}
	all := append([]string{"--addr", "127.0.0.1:0", "--data", dataDir, "--base-url", "http://folio.test"}, args...)
	go func() { errc <- cmdServe(ctx, all, env(nil), io.Discard, ts.stderr, ready) }()
	select {
	case addr := <-ready:
		ts.base = "http://" + addr
	case err := <-errc:
		cancel()
		t.Fatalf("serve: %v\n%s", err, ts.stderr.String())
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatal("serve did not start in 60s")
	}
	t.Cleanup(func() {
		cancel()
		if err := <-errc; err != nil {
			t.Errorf("serve returned %v", err)
		}
	})
	return ts
}

var noRedirect = &http.Client{
	Timeout:       30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func (ts *testServer) get(t *testing.T, path string) (*http.Response, []byte) {
	t.Helper()
	resp, err := noRedirect.Get(ts.base + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read: %v", path, err)
	}
	return resp, b
}

func TestRun_Commands(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"version"}, env(nil), &out, &errb); err != nil || !strings.HasPrefix(out.String(), "folio ") {
		t.Fatalf("version: %v %q", err, out.String())
	}
	if err := run(context.Background(), []string{"frobnicate"}, env(nil), &out, &errb); err == nil {
		t.Fatal("unknown command accepted")
	}
	dir := t.TempDir()
	out.Reset()
	if err := run(context.Background(), []string{"migrate"}, env(map[string]string{"FOLIO_DATA": dir}), &out, &errb); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if !strings.Contains(out.String(), "schema version") {
		t.Fatalf("migrate printed %q", out.String())
	}
	if err := run(context.Background(), []string{"token", "create"}, env(map[string]string{"FOLIO_DATA": dir}), &out, &errb); err == nil {
		t.Fatal("token create without --name accepted")
	}
	out.Reset()
	if err := run(context.Background(), []string{"token", "create", "--name", "ci", "--data", dir}, env(nil), &out, &errb); err != nil {
		t.Fatalf("token create: %v", err)
	}
	if tok := strings.TrimSpace(out.String()); !strings.HasPrefix(tok, "folio_") || len(tok) < 30 {
		t.Fatalf("token %q", tok)
	}
	if err := run(context.Background(), []string{"serve", "--addr", "nonsense", "--data", dir}, env(nil), &out, &errb); err == nil || !strings.Contains(err.Error(), "addr") {
		t.Fatalf("bad addr: %v", err)
	}
}

// TestDemoSite_Crawl walks every page reachable from the home page of the
// demo site, checking statuses, escaping, feeds and sitemaps.
func TestDemoSite_Crawl(t *testing.T) {
	crawlDemo(t, startServer(t, t.TempDir(), "--demo"))
}

// crawlDemo is the crawl of TestDemoSite_Crawl, for a server on any database.
func crawlDemo(t *testing.T, ts *testServer) {
	t.Helper()
	seen := map[string]bool{}
	queue := []string{"/", "/robots.txt", "/sitemap.xml", "/sitemap-news.xml"}
	doubleEscaped := regexp.MustCompile(`&amp;(amp|lt|gt|quot|#\d+);|&lt;/?(p|em|a|strong)&gt;`)
	textareas := regexp.MustCompile(`(?s)<textarea[^>]*>.*?</textarea>`)
	var pagesSeen, feedsSeen, articles int
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		resp, body := ts.get(t, p)
		switch {
		case resp.StatusCode == http.StatusMovedPermanently:
			queue = append(queue, resp.Header.Get("Location"))
			continue
		case resp.StatusCode != http.StatusOK:
			t.Errorf("GET %s: status %d", p, resp.StatusCode)
			continue
		}
		ct := resp.Header.Get("Content-Type")
		switch {
		case strings.HasPrefix(ct, "text/html"):
			pagesSeen++
			// A textarea holding HTML source to copy (the republish page)
			// shows it escaped, and that is right.
			if visible := textareas.ReplaceAll(body, nil); doubleEscaped.Match(visible) {
				t.Errorf("%s: double-escaped HTML: %s", p, doubleEscaped.Find(visible))
			}
			doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			if doc.Find("h1").Length() != 1 {
				t.Errorf("%s: %d h1 elements", p, doc.Find("h1").Length())
			}
			if doc.Find(`script[type="application/ld+json"]`).Length() > 0 {
				articles++
			}
			doc.Find("img").Each(func(_ int, s *goquery.Selection) {
				if _, ok := s.Attr("alt"); !ok {
					t.Errorf("%s: img without alt: %v", p, s.AttrOr("src", ""))
				}
			})
			doc.Find("a[href], link[href], img[src]").Each(func(_ int, s *goquery.Selection) {
				ref := s.AttrOr("href", s.AttrOr("src", ""))
				if u := internalPath(ts, ref); u != "" {
					queue = append(queue, u)
				}
			})
		case strings.Contains(ct, "rss") || strings.Contains(ct, "atom") || strings.Contains(ct, "feed+json"):
			feedsSeen++
			f, err := gofeed.NewParser().ParseString(string(body))
			if err != nil {
				t.Errorf("%s: feed does not parse: %v", p, err)
				continue
			}
			if f.Title == "" {
				t.Errorf("%s: feed without title", p)
			}
			for _, it := range f.Items {
				if u := internalPath(ts, it.Link); u != "" {
					queue = append(queue, u)
				}
			}
		case strings.Contains(ct, "xml"):
			var v struct {
				Locs []string `xml:"url>loc"`
				Maps []string `xml:"sitemap>loc"`
			}
			if err := xml.Unmarshal(body, &v); err != nil {
				t.Errorf("%s: sitemap is not XML: %v", p, err)
			}
			for _, l := range append(v.Locs, v.Maps...) {
				if u := internalPath(ts, l); u != "" {
					queue = append(queue, u)
				} else {
					t.Errorf("%s: sitemap URL %q is not on the site", p, l)
				}
			}
		}
	}
	if pagesSeen < 40 || feedsSeen < 6 || articles < 30 {
		t.Fatalf("crawl reached %d pages, %d feeds, %d articles; want at least 40, 6, 30", pagesSeen, feedsSeen, articles)
	}
	t.Logf("crawled %d URLs: %d pages, %d feeds, %d articles", len(seen), pagesSeen, feedsSeen, articles)
}

// internalPath returns the path of ref when it points into the site.
func internalPath(ts *testServer, ref string) string {
	u, err := url.Parse(ref)
	if err != nil || ref == "" || strings.HasPrefix(ref, "#") {
		return ""
	}
	if u.Scheme != "" && u.Scheme != "http" {
		return ""
	}
	if u.Host != "" && u.Host != "folio.test" && "http://"+u.Host != ts.base {
		return ""
	}
	if strings.HasPrefix(u.Path, "/api/") {
		return ""
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

func TestDemoSite_APIAndErrors(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"token", "create", "--name", "test", "--data", dir}, env(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(out.String())
	ts := startServer(t, dir, "--demo")

	call := func(method, path string, body any) (int, map[string]any) {
		t.Helper()
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, ts.base+path, rd)
		req.Header.Set("Authorization", "Bearer "+token)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}

	// Unknown paths and bad page numbers are 404 with the site's page.
	for _, p := range []string{"/no-such-article/", "/region/nowhere/", "/page/999/", "/author/nobody/feed.xml", "/a/b/c/d/"} {
		resp, body := ts.get(t, p)
		if resp.StatusCode != 404 || !bytes.Contains(body, []byte("<html")) {
			t.Errorf("GET %s: %d", p, resp.StatusCode)
		}
	}
	// A path without its slash is redirected.
	if resp, _ := ts.get(t, "/region/iran"); resp.StatusCode != 301 || resp.Header.Get("Location") != "/region/iran/" {
		t.Errorf("slash redirect: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}

	code, created := call("POST", "/api/v1/articles", map[string]any{
		"language": "en", "title": "A test dispatch from the river", "body_markdown": "Water *matters*.", "status": "published",
	})
	if code != 201 {
		t.Fatalf("create: %d %v", code, created)
	}
	id := int64(created["id"].(float64))
	if resp, body := ts.get(t, "/a-test-dispatch-from-the-river/"); resp.StatusCode != 200 || !bytes.Contains(body, []byte("<em>matters</em>")) {
		t.Fatalf("new article: %d", resp.StatusCode)
	}
	// A slug change leaves a permanent redirect behind.
	if code, m := call("PATCH", fmt.Sprintf("/api/v1/articles/%d", id), map[string]any{"slug": "river-dispatch"}); code != 200 {
		t.Fatalf("patch: %d %v", code, m)
	}
	if resp, _ := ts.get(t, "/a-test-dispatch-from-the-river/"); resp.StatusCode != 301 || resp.Header.Get("Location") != "/river-dispatch/" {
		t.Fatalf("old slug: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Unpublished is not found; deleted is gone.
	if code, _ := call("POST", fmt.Sprintf("/api/v1/articles/%d/unpublish", id), nil); code != 200 {
		t.Fatalf("unpublish: %d", code)
	}
	if resp, _ := ts.get(t, "/river-dispatch/"); resp.StatusCode != 404 {
		t.Fatalf("unpublished: %d", resp.StatusCode)
	}
	if code, _ := call("POST", fmt.Sprintf("/api/v1/articles/%d/publish", id), nil); code != 200 {
		t.Fatalf("publish: %d", code)
	}
	if code, _ := call("DELETE", fmt.Sprintf("/api/v1/articles/%d", id), nil); code != 204 {
		t.Fatalf("delete: %d", code)
	}
	if resp, body := ts.get(t, "/river-dispatch/"); resp.StatusCode != 410 || !bytes.Contains(body, []byte("<html")) {
		t.Fatalf("deleted: %d", resp.StatusCode)
	}
}

// TestExportStatic checks that the export holds every page byte for byte as
// the server sends it, with decompressible .gz and .br siblings.
func TestExportStatic(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir, "--demo")
	out := filepath.Join(t.TempDir(), "site")
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"export-static", "--data", dir, "--base-url", "http://folio.test", out}, env(nil), &stdout, io.Discard); err != nil {
		t.Fatalf("export-static: %v", err)
	}
	var files, compared int
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		rel := filepath.ToSlash(strings.TrimPrefix(p, out))
		if strings.HasSuffix(rel, ".gz") || strings.HasSuffix(rel, ".br") || strings.HasPrefix(rel, "/static/") || strings.HasPrefix(rel, "/media/") || rel == "/404.html" {
			return nil
		}
		urlPath := strings.TrimSuffix(rel, "index.html")
		u := (&url.URL{Path: urlPath}).EscapedPath()
		resp, body := ts.get(t, u)
		want, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.Contains(want, []byte(`class="site-search"`)) || bytes.Contains(want, []byte(`rel="search"`)) {
			t.Errorf("%s: the export has a search form, which a static host cannot answer", u)
		}
		if resp.StatusCode != 200 || !bytes.Equal(withoutSearch(body), want) {
			t.Errorf("%s: server sent %d bytes (status %d), export has %d", u, len(body), resp.StatusCode, len(want))
		}
		for ext, open := range map[string]func(io.Reader) (io.Reader, error){
			".gz": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
			".br": func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
		} {
			f, err := os.Open(p + ext)
			if err != nil {
				t.Errorf("%s%s: %v", rel, ext, err)
				continue
			}
			zr, err := open(f)
			if err == nil {
				var got []byte
				got, err = io.ReadAll(zr)
				if err == nil && !bytes.Equal(got, want) {
					err = fmt.Errorf("decompresses to different bytes")
				}
			}
			f.Close()
			if err != nil {
				t.Errorf("%s%s: %v", rel, ext, err)
			}
		}
		compared++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if compared < 100 {
		t.Fatalf("compared only %d pages of %d files", compared, files)
	}
	for _, must := range []string{"index.html", "feed.xml", "sitemap.xml", "robots.txt", "404.html", "static/site.css", "static/site.css.gz", "media/demo"} {
		if _, err := os.Stat(filepath.Join(out, must)); err != nil {
			t.Errorf("export lacks %s", must)
		}
	}
	// An export of an unchanged site finds every page unchanged, links the
	// last export's files and leaves the same bytes.
	before := readTree(t, out)
	var again bytes.Buffer
	if err := run(context.Background(), []string{"export-static", "--data", dir, "--base-url", "http://folio.test", out}, env(nil), &again, io.Discard); err != nil {
		t.Fatalf("export-static again: %v", err)
	}
	var pages, unchanged int
	if _, err := fmt.Sscanf(again.String(), "exported %d pages (%d unchanged;", &pages, &unchanged); err != nil || pages == 0 || unchanged != pages {
		t.Errorf("second export: %q (err %v): want every page unchanged", again.String(), err)
	}
	after := readTree(t, out)
	if len(after) != len(before) {
		t.Errorf("second export has %d files, first %d", len(after), len(before))
	}
	for name, b := range before {
		if !bytes.Equal(after[name], b) {
			t.Errorf("%s changed between exports of an unchanged site", name)
		}
	}
	// A second export replaces the first; with --changes it lists what a
	// CDN push must send: here, pages whose links now use another base URL.
	changes := filepath.Join(t.TempDir(), "changes.txt")
	if err := run(context.Background(), []string{"export-static", "--data", dir, "--base-url", "http://other.test", "--changes", changes, out}, env(nil), io.Discard, io.Discard); err != nil {
		t.Fatalf("second export: %v", err)
	}
	list, err := os.ReadFile(changes)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(list), "changed\tindex.html\n") || !strings.Contains(string(list), "changed\tindex.html.br\n") {
		t.Errorf("changes list lacks the re-based home page:\n%.500s", list)
	}
	if strings.Contains(string(list), "static/site.css\n") {
		t.Errorf("changes list names an unchanged theme file")
	}
	// An export of the unchanged site lists nothing.
	if err := run(context.Background(), []string{"export-static", "--data", dir, "--base-url", "http://other.test", "--changes", changes, out}, env(nil), io.Discard, io.Discard); err != nil {
		t.Fatalf("third export: %v", err)
	}
	if list, _ := os.ReadFile(changes); len(list) != 0 {
		t.Errorf("unchanged site: changes list is not empty:\n%.500s", list)
	}
	if err := run(context.Background(), []string{"export-static", "--data", dir}, env(nil), io.Discard, io.Discard); err == nil {
		t.Fatal("export without OUT accepted")
	}
}

// readTree returns every file under dir by its path relative to dir.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		files[strings.TrimPrefix(p, dir)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestServe_SeesOtherProcessWrites: a write by another process on the same
// data directory (an import, a translation run) reaches the running
// server's page cache through the change log.
func TestServe_SeesOtherProcessWrites(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir, "--demo")
	resp, body := ts.get(t, "/the-canal-that-rewrites-a-river/")
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte("The Canal That Rewrites a River")) {
		t.Fatalf("article: %d", resp.StatusCode)
	}
	cfg := config.Default()
	cfg.DataDir = dir
	ctx := context.Background()
	db, err := openStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc, _, err := cliEditorial(ctx, cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.FindArticleBySlug(ctx, "en", "the-canal-that-rewrites-a-river")
	if err != nil {
		t.Fatal(err)
	}
	a.Title = "The Canal, Revisited From Another Process"
	if err := svc.System("test").UpdateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, body := ts.get(t, "/the-canal-that-rewrites-a-river/")
		_, home := ts.get(t, "/")
		if bytes.Contains(body, []byte(a.Title)) && bytes.Contains(home, []byte(a.Title)) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the server still serves the old page 10 s after another process's write")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestServe_ScheduledGoesLive: an article scheduled two seconds ahead appears
// on the home page and in the feed without any request triggering it.
func TestServe_ScheduledGoesLive(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"token", "create", "--name", "test", "--data", dir}, env(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(out.String())
	ts := startServer(t, dir, "--demo")
	post := func(path string, body any) (int, map[string]any) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", ts.base+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	code, m := post("/api/v1/articles", map[string]any{"language": "en", "title": "Embargoed until the minute", "body_markdown": "Held."})
	if code != 201 {
		t.Fatalf("create: %d %v", code, m)
	}
	// Warm the cache so going live must invalidate it.
	if _, home := ts.get(t, "/"); bytes.Contains(home, []byte("Embargoed until the minute")) {
		t.Fatal("draft on the home page")
	}
	at := time.Now().Add(2 * time.Second).UTC().Format(time.RFC3339)
	if code, m := post(fmt.Sprintf("/api/v1/articles/%d/publish", int64(m["id"].(float64))), map[string]any{"at": at}); code != 200 || m["status"] != "scheduled" {
		t.Fatalf("schedule: %d %v", code, m)
	}
	if _, home := ts.get(t, "/"); bytes.Contains(home, []byte("Embargoed until the minute")) {
		t.Fatal("scheduled article shown before its time")
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, home := ts.get(t, "/")
		_, feed := ts.get(t, "/feed.xml")
		if bytes.Contains(home, []byte("Embargoed until the minute")) && bytes.Contains(feed, []byte("Embargoed until the minute")) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("scheduled article not live 8 s after its time")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

var (
	searchForm = regexp.MustCompile(`(?s)<form class="site-search".*?</form>\n`)
	searchLink = regexp.MustCompile(`<link rel="search"[^>]*>\n`)
)

// withoutSearch is a served page as export-static writes it: without the
// search form and OpenSearch link, which a static host cannot answer.
func withoutSearch(b []byte) []byte {
	return searchLink.ReplaceAll(searchForm.ReplaceAll(b, nil), nil)
}

func TestLocalBaseURL(t *testing.T) {
	for addr, want := range map[string]string{
		":8080": "http://localhost:8080", "127.0.0.1:9000": "http://127.0.0.1:9000", "0.0.0.0:8081": "http://localhost:8081",
		"[::]:8082": "http://localhost:8082", "[::1]:8083": "http://[::1]:8083", "example.org:80": "http://example.org",
		":0": "", "nonsense": "",
	} {
		if got := localBaseURL(addr); got != want {
			t.Errorf("localBaseURL(%q) = %q, want %q", addr, got, want)
		}
	}
}

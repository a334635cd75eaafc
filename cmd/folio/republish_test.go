package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"folio/internal/store/sqlite"
	"folio/internal/testutil"
	"folio/internal/webhooks"
)

// TestDemo_RepublishCountsAView is the republish tool end to end on the
// demo: a reader opens an article, follows "Republish this article" and
// copies its HTML; pasted into a page on another local port, it makes the
// tracking image count a view for that domain, which the admin dashboard
// shows.
func TestDemo_RepublishCountsAView(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a demo site and Chromium")
	}
	dir := t.TempDir()
	const password = "republish-demo-password"
	if err := cmdUser(context.Background(), []string{"add", "--data", dir, "--email", "desk@example.org", "--name", "Desk",
		"--role", "admin"}, env(map[string]string{"FOLIO_USER_PASSWORD": password}), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // serve binds it again: the copy must name the site's real address
	ctx, cancel := context.WithCancel(context.Background())
	ready, errc := make(chan string, 1), make(chan error, 1)
	stderr := &syncBuffer{}
	go func() {
		errc <- cmdServe(ctx, []string{"--addr", addr, "--data", dir, "--demo", "--base-url", "http://" + addr},
			env(map[string]string{"FOLIO_REPUBLISH_FLUSH": "200ms"}), io.Discard, stderr, ready)
	}()
	select {
	case <-ready:
	case err := <-errc:
		cancel()
		t.Fatalf("serve: %v\n%s", err, stderr.String())
	case <-time.After(90 * time.Second):
		cancel()
		t.Fatal("serve did not start")
	}
	t.Cleanup(func() {
		cancel()
		if err := <-errc; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	base := "http://" + addr

	b := testutil.Browser(t, 1280, 1000)
	// Headless Chromium says so in its user agent, and the counter takes
	// it for a robot; a reader's browser does not.
	ua := "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	err = chromedp.Do(b,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: ua})
			return err
		}),
		chromedp.Navigate(base+"/the-canal-that-rewrites-a-river/"),
		chromedp.Click(chromedp.CSS(`a[href^="/republish/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#republish-html`)),
	)
	if err != nil {
		t.Fatalf("open the republish page: %v", err)
	}
	copied, err := chromedp.Run(b, chromedp.Value(chromedp.CSS(`#republish-html`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(copied, "The Canal That Rewrites a River") || !strings.Contains(copied, base+"/republish/") {
		t.Fatalf("copied HTML:\n%s", copied)
	}
	// The canal's illustration may be republished (its media record says
	// so); the Khorezm piece's satellite-based one may not.
	if !strings.Contains(copied, base+"/media/demo/canal-desert.svg") {
		t.Errorf("the copy leaves out the canal illustration, which may be republished:\n%s", copied)
	}
	khorezm := republishCopy(t, base, dir, "downstream-in-khorezm")
	if !strings.Contains(khorezm, "Downstream in Khorezm") || strings.Contains(khorezm, "river-delta.svg") || strings.Contains(khorezm, "<img src=\""+base+"/media/") {
		t.Errorf("the Khorezm copy must carry the article without its image, which may not be republished:\n%s", khorezm)
	}

	// Another site on another local port, with the copy pasted into a
	// page: valid HTML as pasted.
	blogPage := fmt.Sprintf("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>A community blog</title></head><body>\n%s</body></html>\n", copied)
	testutil.CheckHTML(t, blogPage)
	blog := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, blogPage)
	}))
	t.Cleanup(blog.Close)
	blogHost := strings.TrimPrefix(blog.URL, "http://")
	if err := chromedp.Do(b, chromedp.Navigate(blog.URL+"/2026/the-canal/")); err != nil {
		t.Fatal(err)
	}
	loaded, err := chromedp.Run(b, chromedp.Evaluate[bool](`new Promise(r => { const i = document.querySelector('img[width="1"]');
		if (i.complete) r(i.naturalWidth === 1); else { i.onload = () => r(true); i.onerror = () => r(false); } })`, chromedp.EvalAwaitPromise))
	if err != nil || !loaded {
		t.Fatalf("the pasted page did not load the tracking image: %v %v", err, loaded)
	}

	err = chromedp.Do(b,
		chromedp.Navigate(base+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS(`#email`), "desk@example.org"),
		chromedp.SendKeys(chromedp.CSS(`#password`), password),
		chromedp.Submit(chromedp.CSS(`#password`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/admin/articles/new"]`)),
		chromedp.Navigate(base+"/admin/republish"),
	)
	if err != nil {
		t.Fatalf("admin dashboard: %v", err)
	}
	dashboard, err := chromedp.Run(b, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dashboard, blogHost) || !strings.Contains(dashboard, blog.URL+"/2026/the-canal/") ||
		!strings.Contains(dashboard, "The Canal That Rewrites a River") {
		t.Fatalf("the dashboard does not show the view on %s:\n%s", blogHost, dashboard)
	}

	// A partner feed answers with its token and stops the moment the
	// token is revoked (the admin's Revoke goes through the editorial
	// service; the feed is never kept in the page cache).
	var feedURL string
	err = chromedp.Do(b,
		chromedp.SendKeys(chromedp.CSS(`#partner-name`), "Valley Weekly"),
		chromedp.Submit(chromedp.CSS(`#partner-name`)),
		chromedp.WaitVisible(chromedp.CSS(`#partner-feed`)),
	)
	if err != nil {
		t.Fatalf("create a partner: %v", err)
	}
	if feedURL, err = chromedp.Run(b, chromedp.Text(chromedp.CSS(`#partner-feed`))); err != nil {
		t.Fatal(err)
	}
	feedURL = strings.TrimSpace(feedURL)
	status, body := fetch(t, feedURL)
	if status != http.StatusOK || !strings.Contains(body, "The Canal That Rewrites a River") {
		t.Fatalf("partner feed with its token: %d\n%.300s", status, body)
	}
	// Twice, so a response kept from the first fetch would answer the second.
	if status, _ := fetch(t, feedURL); status != http.StatusOK {
		t.Fatalf("partner feed, second fetch: %d", status)
	}
	err = chromedp.Do(b,
		chromedp.Submit(chromedp.CSS(`form[action$="/revoke"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`main`)),
	)
	if err != nil {
		t.Fatalf("revoke the partner: %v", err)
	}
	if status, body := fetch(t, feedURL); status != http.StatusUnauthorized || strings.Contains(body, "The Canal") {
		t.Fatalf("partner feed after revoke: %d\n%.300s", status, body)
	}
	jsonFeed := strings.Replace(feedURL, "/feed.xml?", "/feed.json?", 1)
	if status, _ := fetch(t, jsonFeed); status != http.StatusUnauthorized {
		t.Fatalf("JSON partner feed after revoke: %d", status)
	}

	// A webhook receiver on this machine gets signed events.
	var secret atomic.Value
	secret.Store("")
	events := make(chan webhooks.Payload, 16)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		if err := webhooks.Verify(secret.Load().(string), r.Header.Get(webhooks.SignatureHeader), raw, webhooks.DefaultTolerance, time.Now()); err != nil {
			t.Errorf("delivery with a bad signature (%v): %s", err, raw)
			http.Error(w, "bad signature", http.StatusBadRequest)
			return
		}
		var p webhooks.Payload
		if err := json.Unmarshal(raw, &p); err != nil || p.Type != r.Header.Get("Folio-Event") || p.ID != r.Header.Get("Folio-Event-Id") {
			t.Errorf("delivery body does not match its headers (%v): %s %v", err, raw, r.Header)
		}
		events <- p
	}))
	t.Cleanup(receiver.Close)
	var tok bytes.Buffer
	if err := run(context.Background(), []string{"token", "create", "--name", "hooks", "--data", dir}, env(nil), &tok, io.Discard); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(tok.String())
	ts := &testServer{base: base}
	var created struct {
		ID     int64  `json:"id"`
		Secret string `json:"secret"`
	}
	apiDo(t, ts, token, "POST", "/api/v1/webhooks", map[string]any{"url": receiver.URL + "/hooks/folio",
		"events": []string{"article.updated", "article.published"}, "allow_private": true}, &created)
	if !strings.HasPrefix(created.Secret, "whsec_") {
		t.Fatalf("webhook secret %q", created.Secret)
	}
	secret.Store(created.Secret)
	db, err := sqlite.Open(context.Background(), dir+"/folio.db")
	if err != nil {
		t.Fatal(err)
	}
	art, err := db.FindArticleBySlug(context.Background(), "en", "the-canal-that-rewrites-a-river")
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	canal := art.ID
	apiDo(t, ts, token, "PATCH", fmt.Sprintf("/api/v1/articles/%d", canal), map[string]any{"deck": "A corrected deck."}, nil)
	select {
	case p := <-events:
		art, _ := p.Data["article"].(map[string]any)
		if p.Type != "article.updated" || art == nil || art["id"] != float64(canal) || art["url"] != base+"/the-canal-that-rewrites-a-river/" {
			t.Fatalf("event %+v", p)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("no webhook delivery within 30 s\n%s", stderr.String())
	}
}

// republishCopy returns the copy-ready HTML of the republish page of the
// English article slug, as the page's text box holds it.
func republishCopy(t *testing.T, base, dir, slug string) string {
	t.Helper()
	db, err := sqlite.Open(context.Background(), dir+"/folio.db")
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.FindArticleBySlug(context.Background(), "en", slug)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	status, page := fetch(t, fmt.Sprintf("%s/republish/%d/", base, a.ID))
	if status != http.StatusOK {
		t.Fatalf("republish page of %s: %d", slug, status)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return doc.Find("#republish-html").Text()
}

// fetch GETs u and returns the status and body.
func fetch(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

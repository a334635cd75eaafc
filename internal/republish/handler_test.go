package republish_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"folio/internal/auth"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/republish"
	"folio/internal/store"
	"folio/internal/store/sqlite/sqlitetest"
)

const browserUA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"

func TestCounter(t *testing.T) {
	var mu sync.Mutex
	var stored []store.RepublishView
	fail := false
	c := &republish.Counter{PerClient: 3, MaxKeys: 3, Own: func() string { return "meridian.example" }, Now: func() time.Time { return now },
		Record: func(_ context.Context, vs []store.RepublishView) error {
			mu.Lock()
			defer mu.Unlock()
			if fail {
				return errors.New("disk full")
			}
			stored = append(stored, vs...)
			return nil
		}}
	c.SetRules([]*store.DomainRule{{Domain: "spam.example", Rule: store.DomainBlock}})
	for _, tc := range []struct {
		name, ref, client string
		bot               bool
		want              republish.Outcome
	}{
		{"a view", "https://blog.example/2026/water?utm_source=x#top", "10.0.0.1", false, republish.Counted},
		{"same page again", "https://www.blog.example/2026/water", "10.0.0.1", false, republish.Counted},
		{"a crawler", "https://blog.example/2026/water", "10.0.0.2", true, republish.Bot},
		{"our own preview", "https://meridian.example/republish/7/", "10.0.0.3", false, republish.Refused},
		{"a blocked domain", "https://spam.example/x", "10.0.0.4", false, republish.Refused},
		{"third from one client", "https://other.example/a", "10.0.0.1", false, republish.Counted},
		{"fourth from one client", "https://other.example/a", "10.0.0.1", false, republish.Limited},
		{"no referrer", "", "10.0.0.5", false, republish.Counted},
		{"over the key budget", "https://fourth.example/page", "10.0.0.6", false, republish.Counted},
	} {
		if got := c.Hit(7, tc.ref, tc.client, tc.bot); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	fail = true
	if err := c.Flush(context.Background()); err == nil {
		t.Fatal("a failed flush reported no error")
	}
	fail = false
	if err := c.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	var total int64
	for _, v := range stored {
		got[v.Domain+" "+v.Page] += v.Views
		total += v.Views
		if !v.Day.Equal(now.Truncate(24 * time.Hour)) {
			t.Errorf("day %v", v.Day)
		}
	}
	want := map[string]int64{"blog.example https://blog.example/2026/water": 1, "blog.example https://www.blog.example/2026/water": 1,
		"other.example https://other.example/a": 1, " ": 1, "fourth.example ": 1}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("stored %v, want %v", got, want)
	}
	if total != c.Counted.Load() || c.Hits.Load() != 9 || c.Bots.Load() != 1 || c.Refused.Load() != 2 || c.Limited.Load() != 1 {
		t.Errorf("totals: stored %d counted %d hits %d bots %d refused %d limited %d", total, c.Counted.Load(), c.Hits.Load(),
			c.Bots.Load(), c.Refused.Load(), c.Limited.Load())
	}
	c.SetRules([]*store.DomainRule{{Domain: "partner.example", Rule: store.DomainAllow}})
	if c.Hit(7, "https://blog.example/x", "10.0.0.9", false) != republish.Refused || c.Hit(7, "https://partner.example/x", "10.0.0.9", false) != republish.Counted {
		t.Error("with an allow-list, only allowed domains are counted")
	}
}

type fixture struct {
	db interface {
		republish.Store
		editorial.Store
	}
	ed      *editorial.Editor
	h       *republish.Handler
	counter *republish.Counter
	srv     *httptest.Server
}

func newFixture(t *testing.T) *fixture {
	db := sqlitetest.New(t)
	f := &fixture{db: db, ed: editorial.New(db).System("test")}
	st, err := db.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	st.Title, st.DefaultLicense = "The Meridian Review", content.LicenseCommunity
	if err := f.ed.UpdateSettings(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	f.counter = &republish.Counter{}
	mux := http.NewServeMux()
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	f.h, err = republish.New(republish.Config{Store: db, Counter: f.counter, BaseURL: func() string { return f.srv.URL }})
	if err != nil {
		t.Fatal(err)
	}
	f.counter.Record = f.h.Record
	f.h.Register(mux)
	return f
}

func (f *fixture) article(t *testing.T, a *content.Article) *content.Article {
	t.Helper()
	au := &content.Author{Name: "Leyla Hosseini", Slug: fmt.Sprintf("leyla-%d", time.Now().UnixNano())}
	if err := f.ed.CreateAuthor(context.Background(), au); err != nil {
		t.Fatal(err)
	}
	a.Language, a.Authors = "en", []*content.Author{au}
	if a.BodyMarkdown == "" {
		a.BodyMarkdown = "The reservoir is low."
	}
	if err := f.ed.CreateArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

func get(t *testing.T, url string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestPageAndPixel(t *testing.T) {
	f := newFixture(t)
	pub := f.article(t, &content.Article{Title: "Water and power", Status: content.StatusPublished})
	closed := f.article(t, &content.Article{Title: "Closed", Status: content.StatusPublished, License: content.LicenseAllRights})
	draft := f.article(t, &content.Article{Title: "Draft"})

	res, body := get(t, f.srv.URL+republish.PagePath(pub.ID))
	if res.StatusCode != 200 || !strings.Contains(body, "Republish this article") || !strings.Contains(body, "Community sites") &&
		!strings.Contains(body, "Keep the title") {
		t.Fatalf("page: %d\n%s", res.StatusCode, body)
	}
	if !strings.Contains(body, "&lt;img src=&#34;"+f.srv.URL+"/republish/") {
		t.Errorf("the copy-ready HTML has no tracking image:\n%s", body)
	}
	// The rules speak the reader's language; the copy keeps the article's.
	res, body = get(t, f.srv.URL+republish.PagePath(pub.ID)+"?lang=de")
	if res.StatusCode != 200 || !strings.Contains(body, `<html lang="de"`) || strings.Contains(body, "Republish this article") ||
		!strings.Contains(body, "&lt;article lang=&#34;en&#34;") {
		t.Errorf("?lang=de: %d, want a German page around the English copy:\n%.600s", res.StatusCode, body)
	}
	if _, body := get(t, f.srv.URL+republish.PagePath(pub.ID)+"?lang=xx-bogus"); !strings.Contains(body, `<html lang="en"`) {
		t.Errorf("an unknown ?lang is not ignored")
	}
	for _, id := range []int64{closed.ID, draft.ID, 99999} {
		if res, _ := get(t, f.srv.URL+republish.PagePath(id)); res.StatusCode != 404 {
			t.Errorf("article %d: %d, want 404", id, res.StatusCode)
		}
	}

	for i := range 5 {
		res, body := get(t, f.srv.URL+republish.PixelPath(pub.ID), "Referer", "http://localhost:9999/blog/post", "User-Agent", browserUA,
			"X-Forwarded-For", fmt.Sprint("192.0.2.", i))
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/gif" || len(body) == 0 ||
			res.Header.Get("Set-Cookie") != "" || res.Header.Get("Cross-Origin-Resource-Policy") != "cross-origin" {
			t.Fatalf("pixel: %d %v", res.StatusCode, res.Header)
		}
	}
	get(t, f.srv.URL+republish.PixelPath(pub.ID), "Referer", "http://localhost:9999/blog/post", "User-Agent", "Googlebot/2.1")
	get(t, f.srv.URL+republish.PixelPath(pub.ID), "Referer", "http://localhost:9999/blog/post", "User-Agent", browserUA, "Sec-Purpose", "prefetch")
	get(t, f.srv.URL+republish.PixelPath(424242), "Referer", "http://localhost:9999/blog/post", "User-Agent", browserUA)
	if err := f.counter.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	vs, err := f.db.FindRepublishViews(context.Background(), store.RepublishViewFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 1 || vs[0].ArticleID != pub.ID || vs[0].Domain != "localhost:9999" || vs[0].Page != "http://localhost:9999/blog/post" || vs[0].Views != 5 {
		t.Errorf("stored views %+v; want 5 for localhost:9999 (bots, prefetches and unknown articles dropped)", vs)
	}
}

func TestPartnerFeed(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	public := f.article(t, &content.Article{Title: "Public piece", Status: content.StatusPublished, PublishedAt: time.Now().Add(-time.Hour)})
	early := f.article(t, &content.Article{Title: "Partners first", Status: content.StatusScheduled, PublishedAt: time.Now().Add(24 * time.Hour)})
	late := f.article(t, &content.Article{Title: "Partners later", Status: content.StatusPublished, PublishedAt: time.Now().Add(-time.Hour)})
	if err := f.ed.SetPartnerRelease(ctx, early.ID, time.Now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := f.ed.SetPartnerRelease(ctx, late.ID, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	secret := auth.RandomToken()
	p := &store.Partner{Name: "Daily Ledger", TokenHash: auth.HashToken(secret)}
	if err := f.ed.CreatePartner(ctx, p); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, url string
		hdr       []string
		status    int
	}{
		{"no token", "/syndication/feed.xml", nil, 401},
		{"wrong token", "/syndication/feed.xml?token=nope", nil, 401},
		{"token in the query", "/syndication/feed.xml?token=" + secret, nil, 200},
		{"bearer token, JSON", "/syndication/feed.json", []string{"Authorization", "Bearer " + secret}, 200},
	} {
		res, body := get(t, f.srv.URL+tc.url, tc.hdr...)
		if res.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, res.StatusCode, tc.status)
			continue
		}
		if tc.status != 200 {
			if strings.Contains(body, "Public piece") {
				t.Errorf("%s: content without a token", tc.name)
			}
			continue
		}
		for _, want := range []string{"Public piece", "Partners first", "The reservoir is low.", "Copyright ©"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: feed lacks %q", tc.name, want)
			}
		}
		if strings.Contains(body, "Partners later") {
			t.Errorf("%s: an embargoed article is in the feed", tc.name)
		}
		if strings.HasSuffix(tc.url, ".json") && !strings.Contains(body, content.LicenseCommunity) {
			t.Errorf("%s: no license in the JSON feed", tc.name)
		}
	}
	ps, _ := f.db.FindPartners(ctx)
	if len(ps) != 1 || ps[0].Fetches != 2 {
		t.Errorf("partner usage: %+v, want 2 fetches", ps)
	}
	if err := f.ed.RevokePartner(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if res, _ := get(t, f.srv.URL+"/syndication/feed.xml?token="+secret); res.StatusCode != 401 {
		t.Errorf("revoked token: %d, want 401", res.StatusCode)
	}
	_ = public
}

package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"folio/internal/i18n"
	"folio/internal/mail/mailtest"
)

// readerClient is one reader's browser against a test server.
type readerClient struct {
	t  *testing.T
	ts *testServer
	c  *http.Client
}

func (r *readerClient) do(method, path string, form url.Values) (*http.Response, string) {
	r.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, r.ts.base+path, body)
	if err != nil {
		r.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := r.c.Do(req)
	if err != nil {
		r.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var (
	demoCSRF  = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	demoStamp = regexp.MustCompile(`name="ts" value="([^"]+)"`)
	demoForm  = regexp.MustCompile(`data-fragment="(/[a-z]+/members/comment\?article=\d+)"`)
)

// TestDemo_ReadersInPersianAndGerman runs the demo site and, as a reader
// on its Persian and German pages, reads the sample threads, joins by the
// mailed link, comments and subscribes; every page and mail speaks the
// reader's language and every step stays under the language's prefix.
func TestDemo_ReadersInPersianAndGerman(t *testing.T) {
	mp := mailtest.Start(t)
	ts := startServer(t, t.TempDir(), "--demo", "--smtp-host", mp.SMTPHost, "--smtp-port", strconv.Itoa(mp.SMTPPort),
		"--smtp-from", "news@example.org", "--smtp-tls", "none")

	// The Persian canal piece shows its sample thread, with replies, in
	// Persian, and loads the comment form from the Persian reader pages.
	faPath := "/fa/" + url.PathEscape("کانالی-که-رودخانه-را-از-نو-می-نویسد") + "/"
	resp, page := ts.get(t, faPath)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d", faPath, resp.StatusCode)
	}
	fa := i18n.For("fa")
	if !strings.Contains(string(page), "توافق ۱۹۹۲") || !strings.Contains(string(page), `class="comments__replies"`) ||
		!strings.Contains(string(page), fa.N("members.thread.count", 3)) {
		t.Fatal("the Persian article lacks its threaded sample comments or their Persian heading")
	}
	faForm := demoForm.FindStringSubmatch(string(page))
	if faForm == nil || !strings.HasPrefix(faForm[1], "/fa/") {
		t.Fatalf("no Persian comment form on %s", faPath)
	}
	// The English canal piece, read in German: the reply in German shows.
	resp, page = ts.get(t, "/the-canal-that-rewrites-a-river/")
	if resp.StatusCode != 200 || !strings.Contains(string(page), "Gibt es den Artikel bald auch auf Deutsch?") {
		t.Fatal("the German sample reply is missing")
	}
	enForm := regexp.MustCompile(`data-fragment="/members/comment\?article=(\d+)"`).FindStringSubmatch(string(page))
	if enForm == nil {
		t.Fatal("no comment form on the English article")
	}
	forms := map[string]string{"fa": faForm[1], "de": "/de/members/comment?article=" + enForm[1]}

	readers := map[string]*readerClient{}
	for _, lang := range []string{"fa", "de"} {
		jar, _ := cookiejar.New(nil)
		r := &readerClient{t: t, ts: ts, c: &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: noRedirect.CheckRedirect}}
		readers[lang] = r
		loc := i18n.For(lang)
		p := "/" + lang
		email := "demo-reader-" + lang + "@example.org"
		_, signin := r.do("GET", p+"/members/signin", nil)
		if !strings.Contains(signin, `<html lang="`+lang+`" dir="`+loc.Dir()+`">`) {
			t.Fatalf("%s sign-in page is not in its language", lang)
		}
		resp, _ := r.do("POST", p+"/members/signin", url.Values{"email": {email}, "_csrf": {demoCSRF.FindStringSubmatch(signin)[1]}})
		if resp.StatusCode != 200 {
			t.Fatalf("%s sign-in: %d", lang, resp.StatusCode)
		}
		link := mailedLink(t, mp, email, 1, "http://folio.test"+p+"/members/confirm?")
		if got := mp.Last(t, email).Subject; !strings.HasPrefix(got, strings.TrimSuffix(loc.T("members.mail.subject"), "{site}")) {
			t.Errorf("%s sign-in mail subject %q", lang, got)
		}
		resp, _ = r.do("GET", strings.TrimPrefix(link, "http://folio.test"), nil)
		if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || got != p+"/members/profile?welcome=1" {
			t.Fatalf("%s confirm: %d to %q", lang, resp.StatusCode, got)
		}
	}
	// Both readers open the comment form, take their time, and comment.
	shown := map[string]string{}
	for lang, r := range readers {
		_, shown[lang] = r.do("GET", forms[lang], nil)
	}
	time.Sleep(3100 * time.Millisecond) // the form's minimum time on page
	for lang, r := range readers {
		loc := i18n.For(lang)
		p := "/" + lang
		article := forms[lang][strings.LastIndex(forms[lang], "=")+1:]
		resp, body := r.do("POST", p+"/members/comment", url.Values{"article": {article}, "body": {"Ein Kommentar / یک دیدگاه"},
			"_csrf": {demoCSRF.FindStringSubmatch(shown[lang])[1]}, "ts": {demoStamp.FindStringSubmatch(shown[lang])[1]}})
		if resp.StatusCode != 200 || !strings.Contains(body, loc.T("members.comment.thanks")) {
			t.Fatalf("%s comment: %d %s", lang, resp.StatusCode, body)
		}
		_, nls := r.do("GET", p+"/newsletters/", nil)
		id := regexp.MustCompile(`name="newsletter" value="(\d+)"`).FindStringSubmatch(nls)
		if id == nil {
			t.Fatalf("%s: no newsletter to subscribe to", lang)
		}
		resp, _ = r.do("POST", p+"/newsletters/subscribe", url.Values{"newsletter": {id[1]}, "on": {"1"}, "_csrf": {demoCSRF.FindStringSubmatch(nls)[1]}})
		if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || got != p+"/newsletters/?saved=1" {
			t.Fatalf("%s subscribe: %d to %q", lang, resp.StatusCode, got)
		}
		_, nls = r.do("GET", p+"/newsletters/?saved=1", nil)
		if !strings.Contains(nls, loc.T("members.newsletters.subscribed")) {
			t.Errorf("%s: the newsletter page does not show the subscription", lang)
		}
	}
	// Seeding the sample threads told none of their commenters.
	for _, addr := range []string{"amina.karimova@readers.example", "farhad.nazari@readers.example"} {
		if n := mp.Count(t, addr); n != 0 {
			t.Errorf("the demo seed mailed %s %d reply notices", addr, n)
		}
	}
}

package readers_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"folio/internal/i18n"
	"folio/internal/newsletter"
	"folio/internal/readers"
	"folio/internal/store"
)

// TestReaderKeys_InCatalog checks that every catalog key the reader pages
// and handlers name exists in the reference catalog (the i18n package's
// completeness test then holds every language to it), so no reader string
// falls back to [[key]].
func TestReaderKeys_InCatalog(t *testing.T) {
	if err := i18n.Load(); err != nil {
		t.Fatal(err)
	}
	keyRE := regexp.MustCompile(`"((?:members|gate)\.[a-z_]+(?:\.[a-z_]+)*)"`)
	var files []string
	for _, glob := range []string{"*.go", "../../web/readers/templates/*.html", "../render/comments.go", "../render/article.go"} {
		m, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	ref := i18n.For(i18n.Reference).Keys()
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
			seen++
			if !slices.Contains(ref, m[1]) {
				t.Errorf("%s names %q, which the English catalog lacks", f, m[1])
			}
		}
	}
	if seen < 80 {
		t.Fatalf("found only %d key uses; is the pattern still right?", seen)
	}
}

// TestReaderPages_AllLanguages opens the reader pages under each of the 51
// interface prefixes: each speaks its language (lang and dir on <html>,
// the catalog's own words) and its links and forms keep the prefix.
func TestReaderPages_AllLanguages(t *testing.T) {
	e := newEnv(t, readers.Limits{})
	ctx := context.Background()
	if err := e.svc.System("test").CreateNewsletter(ctx, &store.Newsletter{Name: "Weekly"}); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	for _, l := range i18n.Languages {
		loc := i18n.For(l.Tag)
		prefix := "/" + l.Tag
		if l.Tag == "en" { // the demo store's default language lives at the root
			prefix = ""
		}
		pages := map[string]string{
			"/members/signin":                                loc.T("members.signin.send"),
			"/members/join":                                  loc.T("members.join.free"),
			"/newsletters/":                                  loc.T("members.newsletters.signin"),
			"/forward/" + itoa(e.article.ID) + "/":           loc.T("members.forward.friend"),
			"/members/comment?article=" + itoa(e.article.ID): loc.T("members.comment.signin"),
		}
		for p, want := range pages {
			resp, body := c.get("/" + l.Tag + p)
			if resp.StatusCode != 200 {
				t.Errorf("%s%s: %d", l.Tag, p, resp.StatusCode)
				continue
			}
			if !strings.Contains(body, `<html lang="`+l.Tag+`" dir="`+l.Dir+`">`) {
				t.Errorf("/%s%s: no lang=%s dir=%s on <html>", l.Tag, p, l.Tag, l.Dir)
			}
			if !strings.Contains(body, htmlEscape(want)) {
				t.Errorf("/%s%s lacks %q", l.Tag, p, want)
			}
			if strings.Contains(body, "[[") {
				t.Errorf("/%s%s shows a missing key", l.Tag, p)
			}
			if !strings.Contains(body, `href="`+prefix+`/members/signin`) {
				t.Errorf("/%s%s: the sign-in link lost the %q prefix", l.Tag, p, prefix)
			}
		}
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}

// TestReaderFlows_KeepLanguage walks the reader flows under /fa/ and /de/:
// the sign-in mail is in the page's language and its link opens the
// confirmation there, and every redirect of sign-in, profile, newsletters,
// forward, sign-out and the members-only redirect keeps the prefix.
func TestReaderFlows_KeepLanguage(t *testing.T) {
	e := newEnv(t, readers.Limits{})
	ctx := context.Background()
	nl := &store.Newsletter{Name: "Weekly"}
	if err := e.svc.System("test").CreateNewsletter(ctx, nl); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"fa", "de"} {
		t.Run(lang, func(t *testing.T) {
			loc := i18n.For(lang)
			p := "/" + lang
			c := e.client()
			location := func(resp *http.Response, want string) {
				t.Helper()
				if resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("status %d, want 303 to %s", resp.StatusCode, want)
				}
				if got := resp.Header.Get("Location"); got != want {
					t.Fatalf("redirect to %q, want %q", got, want)
				}
			}
			resp, _ := c.get(p + "/members/profile")
			location(resp, p+"/members/signin?next="+url.QueryEscape(p+"/members/profile"))

			email := "reader-" + lang + "@example.org"
			resp, body := c.post(p+"/members/signin", p+"/members/signin", url.Values{"email": {email}})
			if resp.StatusCode != 200 || !strings.Contains(body, `lang="`+lang+`"`) {
				t.Fatalf("sign-in request: %d", resp.StatusCode)
			}
			msg := e.mail.Last(t, email)
			if want := loc.T("members.mail.subject", "site", "Folio"); msg.Subject != want {
				t.Errorf("subject %q, want %q", msg.Subject, want)
			}
			first, _, _ := strings.Cut(loc.T("members.mail.body"), "\n")
			if !strings.HasPrefix(msg.Text, first) {
				t.Errorf("mail is not in %s: %q", lang, msg.Text)
			}
			link := regexp.MustCompile(`http://\S+` + p + `/members/confirm\?token=\S+`).FindString(msg.Text)
			if link == "" {
				t.Fatalf("no %s confirmation link in %q", p, msg.Text)
			}
			resp, _ = c.get(strings.TrimPrefix(link, e.srv.URL))
			location(resp, p+"/members/profile?welcome=1")

			resp, _ = c.post(p+"/members/profile", p+"/members/profile", url.Values{"name": {"Reza"}})
			location(resp, p+"/members/profile?saved=1")
			_, body = c.get(p + "/members/profile?saved=1")
			if !strings.Contains(body, loc.T("members.saved")) || !strings.Contains(body, `action="`+p+`/members/delete"`) {
				t.Errorf("profile page is not the %s one", lang)
			}

			resp, _ = c.post(p+"/newsletters/", p+"/newsletters/subscribe", url.Values{"newsletter": {itoa(nl.ID)}, "on": {"1"}})
			location(resp, p+"/newsletters/?saved=1")

			// The checkout results and the newsletter's unsubscribe link.
			if _, body := c.get(p + "/members/profile?paid=1"); !strings.Contains(body, loc.T("members.profile.paid")) {
				t.Errorf("%s: no paid-membership notice after checkout", lang)
			}
			if _, body := c.get(p + "/members/join?canceled=1"); !strings.Contains(body, loc.T("members.join.canceled")) {
				t.Errorf("%s: no canceled notice after checkout", lang)
			}
			m, err := e.db.FindMemberByEmail(ctx, email)
			if err != nil {
				t.Fatal(err)
			}
			unsub := newsletter.UnsubscribeURL(e.key, p, m.ID, nl.ID)
			_, body = e.client().get(unsub)
			if before, _ := loc.Around("members.unsub.ask", "name"); !strings.Contains(body, `<html lang="`+lang+`"`) || !strings.Contains(body, before) ||
				!strings.Contains(body, `action="`+p+`/newsletters/unsubscribe?`) {
				t.Errorf("%s unsubscribe page: %s", lang, body)
			}

			fwd := p + "/forward/" + itoa(e.article.ID) + "/"
			_, page := c.get(fwd)
			e.clock.add(readers.DefaultMinTimeOnPage)
			resp, _ = c.postRaw(fwd, url.Values{"friend": {"friend-" + lang + "@example.org"}, "_csrf": {csrfRE.FindStringSubmatch(page)[1]},
				"ts": {stampRE.FindStringSubmatch(page)[1]}})
			location(resp, fwd+"?sent=1")
			if got := e.mail.Last(t, "friend-"+lang+"@example.org").Text; !strings.Contains(got, loc.T("members.forward.mail_intro", "site", "Folio")) {
				t.Errorf("forwarded mail lacks the %s introduction: %q", lang, got)
			}

			resp, _ = c.post(p+"/members/profile", p+"/members/signout", url.Values{})
			location(resp, p+"/")
		})
	}
}

// TestReaderErrors_InLanguage: refusals on a Persian page are Persian
// pages — a form without its token, a malformed address (the field's own
// message), too many sign-in requests.
func TestReaderErrors_InLanguage(t *testing.T) {
	e := newEnv(t, readers.Limits{SigninPerIP: readers.Limit{Max: 1, Window: time.Hour}, SigninPerAddress: readers.Limit{Max: 5, Window: time.Hour}})
	fa := i18n.For("fa")
	c := e.client()
	resp, body := c.postRaw("/fa/members/signin", url.Values{"email": {"a@example.org"}})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, `<html lang="fa" dir="rtl">`) || !strings.Contains(body, fa.T("members.error.form")) {
		t.Fatalf("no token: %d %s", resp.StatusCode, body)
	}
	resp, body = c.post("/fa/members/signin", "/fa/members/signin", url.Values{"email": {"not an address"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, fa.T("members.error.email")) || strings.Contains(body, "is not an email address") {
		t.Fatalf("bad address: %d %s", resp.StatusCode, body)
	}
	c.post("/fa/members/signin", "/fa/members/signin", url.Values{"email": {"a@example.org"}})
	resp, body = c.post("/fa/members/signin", "/fa/members/signin", url.Values{"email": {"b@example.org"}})
	if want := fa.T("members.error.too_many", "minutes", fa.Number(60)); resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, want) {
		t.Fatalf("too many: %d, want %q in %s", resp.StatusCode, want, body)
	}
}

package readers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/readers"
)

// contactPage publishes a contact page and gives the site a desk address.
func (e *env) contactPage(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	p := &content.Article{Type: content.TypePage, Template: content.TemplateContact, Language: "en", Title: "Contact the desk",
		BodyMarkdown: "Write to us.", Status: content.StatusPublished, PublishedAt: e.clock.now().Add(-time.Hour)}
	if err := e.svc.System("test").CreateArticle(ctx, p); err != nil {
		t.Fatal(err)
	}
	st, err := e.db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cp := *st
	cp.Title, cp.ContactEmail = "The Review", "desk@example.org"
	if err := e.svc.System("test").UpdateSettings(ctx, &cp); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("/contact-form/%d/", p.ID)
}

// TestContactForm sends a reader's message to the desk through mailpit,
// with the reader's address to reply to, and refuses what it must.
func TestContactForm(t *testing.T) {
	e := newEnv(t, readers.Limits{ContactPerIP: readers.Limit{Max: 3, Window: time.Hour}})
	path := e.contactPage(t)
	form := func() url.Values {
		return url.Values{"name": {"Farida\r\nBcc: all@example.org"}, "email": {"Farida@Example.net"},
			"message": {"The canal report missed the second sluice."}}
	}
	ana := e.client()
	// send opens the form, waits as a person would, and sends f.
	send := func(c *client, f url.Values) (*http.Response, string) {
		t.Helper()
		_, page := c.get(path)
		m, ts := csrfRE.FindStringSubmatch(page), stampRE.FindStringSubmatch(page)
		if m == nil || ts == nil {
			t.Fatalf("no token or stamp on the form: %s", page)
		}
		f.Set("_csrf", m[1])
		f.Set("ts", ts[1])
		e.clock.add(readers.DefaultMinTimeOnPage)
		return c.postRaw(path, f)
	}

	t.Run("OK", func(t *testing.T) {
		if resp, body := ana.get(path + "?fragment=1"); resp.StatusCode != http.StatusOK || strings.Contains(body, "<html") || !strings.Contains(body, `name="message"`) {
			t.Fatalf("fragment: %d %s", resp.StatusCode, body)
		}
		resp, body := send(ana, form())
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != path+"?sent=1" {
			t.Fatalf("send: %d %s", resp.StatusCode, body)
		}
		m := e.mail.Last(t, "desk@example.org")
		if m.Subject != "[The Review] Message from Farida Bcc: all@example.org" {
			t.Errorf("subject %q: the line break must be closed up", m.Subject)
		}
		for _, want := range []string{"The canal report missed the second sluice.", `"Farida Bcc: all@example.org" <farida@example.net>`, "/contact-the-desk/"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("message text lacks %q:\n%s", want, m.Text)
			}
		}
		h := e.mail.Headers(t, m.ID)
		if got := h["Reply-To"]; len(got) != 1 || !strings.Contains(got[0], "farida@example.net") {
			t.Errorf("Reply-To %q", got)
		}
		if len(h["Bcc"]) > 0 || e.mail.Count(t, "all@example.org") != 0 {
			t.Error("a header came from the subject")
		}
		if _, body := ana.get(path + "?sent=1"); !strings.Contains(body, "Your message has reached the desk") {
			t.Errorf("thanks page: %s", body)
		}
	})

	t.Run("InThePagesLanguage", func(t *testing.T) {
		_, body := ana.get(path + "?lang=fa&fragment=1")
		for _, want := range []string{`lang="fa" dir="rtl"`, "نام شما", "ارسال", `action="` + path + `?lang=fa"`} {
			if !strings.Contains(body, want) {
				t.Errorf("Persian form lacks %q:\n%s", want, body)
			}
		}
	})

	t.Run("ErrFields", func(t *testing.T) {
		f := form()
		f.Set("email", "not-an-address")
		f.Set("message", strings.Repeat("x", 5001))
		f.Set("name", "")
		resp, body := send(ana, f)
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("bad fields: %d", resp.StatusCode)
		}
		for _, want := range []string{"Please give your name.", "5001 characters long; the form takes 5000", `value="not-an-address"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the form lacks %q", want)
			}
		}
	})

	t.Run("ErrTooQuick", func(t *testing.T) {
		resp, body := ana.post(path, path, form())
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "That was quick") {
			t.Fatalf("sent at once: %d", resp.StatusCode)
		}
	})

	t.Run("TrapField", func(t *testing.T) {
		before := e.mail.Count(t, "desk@example.org")
		f := form()
		f.Set("website", "http://spam.example")
		if resp, _ := send(ana, f); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("trap: %d", resp.StatusCode)
		}
		if n := e.mail.Count(t, "desk@example.org"); n != before {
			t.Errorf("a robot's message was sent (%d → %d)", before, n)
		}
	})

	t.Run("ErrNoToken", func(t *testing.T) {
		f := form()
		f.Set("_csrf", "forged-forged-forged-forged-forged-forged")
		if resp, _ := e.client().postRaw(path, f); resp.StatusCode != http.StatusForbidden {
			t.Errorf("without the form's token: %d, want 403", resp.StatusCode)
		}
	})

	t.Run("ErrRateLimited", func(t *testing.T) {
		codes := []int{}
		for range 3 {
			resp, _ := send(ana, form())
			codes = append(codes, resp.StatusCode)
		}
		// One sent above, so the third of these is the fourth from here.
		if codes[0] != http.StatusSeeOther || codes[1] != http.StatusSeeOther || codes[2] != http.StatusTooManyRequests {
			t.Errorf("statuses %v, want 303 303 429", codes)
		}
	})

	t.Run("ErrNotAContactPage", func(t *testing.T) {
		if resp, _ := ana.get(fmt.Sprintf("/contact-form/%d/", e.article.ID)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("an article's contact form: %d, want 404", resp.StatusCode)
		}
	})
}

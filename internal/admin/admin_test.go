package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store"
)

// TestPermissionMatrix drives every write through HTTP with a real session
// of each role and checks the service allows exactly what the role matrix
// says: 303 (done) or 403 (refused).
func TestPermissionMatrix(t *testing.T) {
	e := newEnv(t)
	browsers := map[content.Role]*browser{}
	for _, r := range content.Roles {
		browsers[r] = e.login(e.users[r])
	}
	id := func(a *content.Article) string { return strconv.FormatInt(a.ID, 10) }
	type action struct {
		name    string
		minRole content.Role
		do      func(b *browser, u *content.User) *http.Response
	}
	save := func(a *content.Article, act string) url.Values {
		return url.Values{"title": {a.Title + " edited"}, "body_markdown": {"Edited."}, "action": {act},
			"version": {strconv.Itoa(a.Version)}, "author": {strconv.FormatInt(a.Authors[0].ID, 10)}}
	}
	actions := []action{
		{"CreateArticle", content.RoleContributor, func(b *browser, u *content.User) *http.Response {
			r, _ := b.post("/admin/articles", url.Values{"title": {"New piece"}, "body_markdown": {"Hello."}, "action": {"save"}})
			return r
		}},
		{"EditOwnDraft", content.RoleContributor, func(b *browser, u *content.User) *http.Response {
			a := e.article(u, content.StatusDraft)
			r, _ := b.post("/admin/articles/"+id(a), save(a, "save"))
			return r
		}},
		{"EditOthersDraft", content.RoleEditor, func(b *browser, u *content.User) *http.Response {
			a := e.article(e.other, content.StatusDraft)
			r, _ := b.post("/admin/articles/"+id(a), save(a, "save"))
			return r
		}},
		{"SubmitOwn", content.RoleContributor, func(b *browser, u *content.User) *http.Response {
			a := e.article(u, content.StatusDraft)
			r, _ := b.post("/admin/articles/"+id(a), save(a, "submit"))
			return r
		}},
		{"PublishOwn", content.RoleAuthor, func(b *browser, u *content.User) *http.Response {
			a := e.article(u, content.StatusReview)
			r, _ := b.post("/admin/articles/"+id(a), save(a, "publish"))
			return r
		}},
		{"PublishOthers", content.RoleEditor, func(b *browser, u *content.User) *http.Response {
			a := e.article(e.other, content.StatusReview)
			r, _ := b.post("/admin/articles/"+id(a), save(a, "publish"))
			return r
		}},
		{"UnpublishOthers", content.RoleEditor, func(b *browser, u *content.User) *http.Response {
			a := e.article(e.other, content.StatusPublished)
			r, _ := b.post("/admin/articles/"+id(a), save(a, "unpublish"))
			return r
		}},
		{"DeleteOwnDraft", content.RoleContributor, func(b *browser, u *content.User) *http.Response {
			a := e.article(u, content.StatusDraft)
			r, _ := b.post("/admin/articles/"+id(a)+"/delete", nil)
			return r
		}},
		{"DeleteOthers", content.RoleEditor, func(b *browser, u *content.User) *http.Response {
			a := e.article(e.other, content.StatusPublished)
			r, _ := b.post("/admin/articles/"+id(a)+"/delete", nil)
			return r
		}},
		{"CreateTerm", content.RoleEditor, func(b *browser, u *content.User) *http.Response {
			r, _ := b.post("/admin/terms", url.Values{"kind": {"region"}, "name": {"Region " + string(u.Role)}})
			return r
		}},
		{"CreateAuthor", content.RoleEditor, func(b *browser, u *content.User) *http.Response {
			r, _ := b.post("/admin/authors", url.Values{"name": {"Author by " + string(u.Role)}})
			return r
		}},
		{"UpdateSettings", content.RoleAdmin, func(b *browser, u *content.User) *http.Response {
			r, _ := b.post("/admin/settings", url.Values{"title": {"Renamed"}, "base_url": {e.srv.URL}, "default_language": {"en"},
				"languages": {"en"}, "time_zone": {"UTC"}, "default_license": {content.LicenseAllRights}, "per_page": {"10"}})
			return r
		}},
		{"ChangeUserRole", content.RoleAdmin, func(b *browser, u *content.User) *http.Response {
			r, _ := b.post(fmt.Sprintf("/admin/users/%d", e.other.ID), url.Values{"role": {"author"}, "author_id": {strconv.FormatInt(e.other.AuthorID, 10)}})
			return r
		}},
		{"CreateToken", content.RoleAdmin, func(b *browser, u *content.User) *http.Response {
			r, _ := b.post("/admin/tokens", url.Values{"name": {"script of " + string(u.Role)}})
			return r
		}},
		{"AddRedirect", content.RoleEditor, func(b *browser, u *content.User) *http.Response {
			r, _ := b.post("/admin/redirects", url.Values{"from": {"/old-" + string(u.Role) + "/"}, "to": {"/"}, "status": {"301"}})
			return r
		}},
		{"UploadMedia", content.RoleContributor, func(b *browser, u *content.User) *http.Response {
			r, _ := b.upload("/admin/media", map[string]string{"alt": "A gradient"}, pngBytes(t))
			return r
		}},
		{"DeleteMedia", content.RoleEditor, func(b *browser, u *content.User) *http.Response {
			m, err := e.svc.System("test").SaveMedia(context.Background(), e.admin.cfg.Media, "x.png", strings.NewReader(string(pngBytes(t))), mediaMeta("x"))
			if err != nil {
				t.Fatal(err)
			}
			r, _ := b.post(fmt.Sprintf("/admin/media/%d/delete", m.ID), nil)
			return r
		}},
		{"LiftSuppression", content.RoleEditor, func(b *browser, u *content.User) *http.Response {
			addr := "bounced-" + string(u.Role) + "@example.org"
			if _, err := e.svc.System("postmark").ApplyMailEvent(context.Background(), editorial.MailEvent{ID: "postmark:Bounce:" + addr,
				Provider: "postmark", Reason: store.SuppressBounce, Email: addr}); err != nil {
				t.Fatal(err)
			}
			r, _ := b.post("/admin/suppressions/lift", url.Values{"email": {addr}})
			return r
		}},
	}
	for _, act := range actions {
		for _, role := range content.Roles {
			t.Run(act.name+"/"+string(role), func(t *testing.T) {
				resp := act.do(browsers[role], e.users[role])
				want := http.StatusForbidden
				if role.AtLeast(act.minRole) {
					want = http.StatusSeeOther
					if act.name == "CreateToken" {
						want = http.StatusOK // the secret is shown in place, once
					}
				}
				if resp.StatusCode != want {
					t.Fatalf("status %d, want %d", resp.StatusCode, want)
				}
				if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
					t.Fatalf("Cache-Control %q", cc)
				}
			})
		}
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	b := e.login(e.users[content.RoleAdmin])
	for _, tt := range []struct {
		name string
		form url.Values
	}{
		{"Missing", url.Values{"_csrf": {""}}},
		{"Wrong", url.Values{"_csrf": {strings.Repeat("x", 43)}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.form.Set("title", "Sneaky")
			resp, _ := b.post("/admin/articles", tt.form)
			if resp.StatusCode != http.StatusForbidden {
				t.Fatalf("status %d, want 403", resp.StatusCode)
			}
		})
	}
	_, n, err := e.db.FindArticles(context.Background(), store.ArticleFilter{})
	if err != nil || n != 0 {
		t.Fatalf("articles after refused posts: %d, %v", n, err)
	}
}

func TestEditor_ConcurrentEditShowsConflict(t *testing.T) {
	e := newEnv(t)
	ed := e.login(e.users[content.RoleEditor])
	au := e.login(e.users[content.RoleAuthor])
	a := e.article(e.users[content.RoleAuthor], content.StatusDraft)
	form := func(body string) url.Values {
		return url.Values{"title": {a.Title}, "body_markdown": {body}, "action": {"save"}, "version": {strconv.Itoa(a.Version)},
			"author": {strconv.FormatInt(a.Authors[0].ID, 10)}}
	}
	if r, body := ed.post(fmt.Sprintf("/admin/articles/%d", a.ID), form("The editor's line.")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save: %d %s", r.StatusCode, body)
	}
	r, body := au.post(fmt.Sprintf("/admin/articles/%d", a.ID), form("The author's line."))
	if r.StatusCode != http.StatusConflict {
		t.Fatalf("second save: status %d, want 409", r.StatusCode)
	}
	mustContain(t, body, "Someone else saved this article", "<del>The editor&#39;s line.</del>", "<ins>The author&#39;s line.</ins>",
		"The author&#39;s line.</textarea>", fmt.Sprintf(`name="version" value="%d"`, a.Version+1))
	got, err := e.db.FindArticleByID(context.Background(), a.ID)
	if err != nil || got.BodyMarkdown != "The editor's line." {
		t.Fatalf("stored body %q (%v), want the first save kept", got.BodyMarkdown, err)
	}
}

func TestEditor_FailedValidationKeepsText(t *testing.T) {
	e := newEnv(t)
	b := e.login(e.users[content.RoleAuthor])
	typed := "A long draft I must not lose.\n\nSecond paragraph."
	r, body := b.post("/admin/articles", url.Values{"title": {"  "}, "body_markdown": {typed}, "source_name": {"Wire"},
		"publish_at": {"tomorrow"}, "action": {"save"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.StatusCode)
	}
	mustContain(t, body, "A long draft I must not lose.\n\nSecond paragraph.</textarea>", `value="Wire"`,
		`<p class="field-error">`, "is not a date and time")
	r, body = b.post("/admin/articles", url.Values{"title": {" "}, "body_markdown": {typed}, "action": {"save"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.StatusCode)
	}
	mustContain(t, body, `<input id="title" type="text" name="title" value="" required><p class="field-error">`)
}

func TestRevisions_DiffAndRestore(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	b := e.login(e.users[content.RoleEditor])
	a := e.article(e.users[content.RoleEditor], content.StatusDraft)
	r, _ := b.post(fmt.Sprintf("/admin/articles/%d", a.ID), url.Values{"title": {a.Title}, "body_markdown": {"Rewritten."},
		"action": {"save"}, "version": {strconv.Itoa(a.Version)}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", r.StatusCode)
	}
	revs, err := e.db.FindRevisions(ctx, a.ID)
	if err != nil || len(revs) != 2 {
		t.Fatalf("revisions %d, %v", len(revs), err)
	}
	if revs[0].UserID != e.users[content.RoleEditor].ID {
		t.Fatalf("revision by user %d", revs[0].UserID)
	}
	_, body := b.get(fmt.Sprintf("/admin/articles/%d/revisions", a.ID))
	mustContain(t, body, "The editor", fmt.Sprintf("/admin/revisions/%d", revs[1].ID))
	_, body = b.get(fmt.Sprintf("/admin/revisions/%d", revs[1].ID))
	mustContain(t, body, "<del>First line.\n\nSecond line.</del>", "<ins>Rewritten.</ins>")
	r, _ = b.post(fmt.Sprintf("/admin/revisions/%d/restore", revs[1].ID), url.Values{"version": {"2"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore: %d", r.StatusCode)
	}
	got, err := e.db.FindArticleByID(ctx, a.ID)
	if err != nil || got.BodyMarkdown != "First line.\n\nSecond line." || got.Version != 3 {
		t.Fatalf("after restore: %q version %d (%v)", got.BodyMarkdown, got.Version, err)
	}
	revs, _ = e.db.FindRevisions(ctx, a.ID)
	if revs[0].Note != "restored from version 1" {
		t.Fatalf("newest revision note %q", revs[0].Note)
	}
}

func TestSignedPreview(t *testing.T) {
	e := newEnv(t)
	a := e.article(e.users[content.RoleAuthor], content.StatusDraft)
	path := e.admin.previewPath(a, e.clock.now().Add(PreviewLifetime))
	get := func(p string) (*http.Response, string) { return e.browser().get(p) }

	r, body := get(path)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("valid link: %d %s", r.StatusCode, body)
	}
	mustContain(t, body, a.Title, `<meta name="robots" content="noindex">`)
	if r.Header.Get("X-Robots-Tag") == "" || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("headers %v", r.Header)
	}
	// The draft is not public.
	if r, _ := get("/" + a.Slug + "/"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("public URL of a draft: %d", r.StatusCode)
	}
	for name, p := range map[string]string{
		"TamperedID":      strings.Replace(path, fmt.Sprintf("/preview/%d?", a.ID), fmt.Sprintf("/preview/%d?", a.ID+1), 1),
		"TamperedExpiry":  strings.Replace(path, "exp=", "exp=9", 1),
		"TamperedVersion": strings.Replace(path, "v=1", "v=2", 1),
		"NoSignature":     path[:strings.Index(path, "&sig=")],
	} {
		t.Run(name, func(t *testing.T) {
			if r, _ := get(p); r.StatusCode != http.StatusNotFound {
				t.Fatalf("status %d, want 404", r.StatusCode)
			}
		})
	}
	t.Run("Expired", func(t *testing.T) {
		e.clock.add(PreviewLifetime + time.Minute)
		if r, _ := get(path); r.StatusCode != http.StatusNotFound {
			t.Fatalf("status %d, want 404", r.StatusCode)
		}
	})
}

func TestAdmin_SignedOutRedirects(t *testing.T) {
	e := newEnv(t)
	r, _ := e.browser().get("/admin/articles")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/admin/login") {
		t.Fatalf("status %d location %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r.Header.Get("X-Robots-Tag") == "" {
		t.Fatal("no X-Robots-Tag")
	}
}

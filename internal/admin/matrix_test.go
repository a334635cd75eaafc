package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"folio/internal/content"
)

// TestRouteMatrix checks every admin route against its row in policy,
// through HTTP: a route without a row fails, and so does a row without a
// route. GET routes are requested by a signed-out visitor and by each
// role, with path ids naming another author's draft (so opening what is
// not yours is part of the matrix): the least role in the row gets 200,
// any lower role 403 or 404, the signed-out visitor a sign-in redirect.
// POST routes are checked for the signed-out visitor (401 with a CSRF
// token, 403 without one); what each role may write is
// TestPermissionMatrix.
func TestRouteMatrix(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, p := range e.admin.patterns {
		if _, ok := policy[p]; !ok {
			t.Errorf("route %q has no matrix row: add it to policy in internal/admin/policy.go", p)
		}
	}
	for p := range policy {
		if !slices.Contains(e.admin.patterns, p) {
			t.Errorf("matrix row %q names no route", p)
		}
	}

	draft := e.article(e.other, content.StatusDraft)
	revs, err := e.db.FindRevisions(ctx, draft.ID)
	if err != nil || len(revs) == 0 {
		t.Fatalf("revisions of the draft: %v %d", err, len(revs))
	}
	term := &content.Term{Kind: content.TermKind("region"), Name: "Matrix Region"}
	if err := e.svc.System("test").CreateTerm(ctx, term); err != nil {
		t.Fatal(err)
	}
	m, err := e.svc.System("test").SaveMedia(ctx, e.admin.cfg.Media, "m.png", strings.NewReader(string(pngBytes(t))), mediaMeta("m"))
	if err != nil {
		t.Fatal(err)
	}
	pathOf := func(pattern string) string {
		_, p, _ := strings.Cut(pattern, " ")
		p = strings.TrimSuffix(p, "{$}")
		id := strconv.FormatInt(draft.ID, 10)
		switch {
		case strings.HasPrefix(p, "/admin/revisions/"):
			id = strconv.FormatInt(revs[0].ID, 10)
		case strings.HasPrefix(p, "/admin/authors/"):
			id = strconv.FormatInt(e.other.AuthorID, 10)
		case strings.HasPrefix(p, "/admin/terms/"):
			id = strconv.FormatInt(term.ID, 10)
		case strings.HasPrefix(p, "/admin/media/"):
			id = strconv.FormatInt(m.ID, 10)
		case strings.HasPrefix(p, "/admin/members/"), strings.HasPrefix(p, "/admin/comments/"), strings.HasPrefix(p, "/admin/users/"), strings.HasPrefix(p, "/admin/tokens/"):
			id = "1"
		}
		return strings.NewReplacer("{id}", id, "{lang}", "fr").Replace(p)
	}

	browsers := map[content.Role]*browser{}
	for _, r := range content.Roles {
		browsers[r] = e.login(e.users[r])
	}
	anon := e.browser()
	anon.get("/admin/login") // a CSRF token for the signed-out POSTs
	// Translation pages answer 404 when no translation provider is set
	// up, as here; internal/admin/translations_test.go covers them with one.
	needsProvider := map[string]bool{"GET /admin/articles/{id}/translations": true, "GET /admin/articles/{id}/translate/{lang}": true}
	rows := 0
	for _, pattern := range e.admin.patterns {
		min, ok := policy[pattern]
		if !ok {
			continue
		}
		method, _, _ := strings.Cut(pattern, " ")
		path := pathOf(pattern)
		t.Run(pattern, func(t *testing.T) {
			if method == http.MethodPost {
				rows++
				if min == Public {
					return // the public forms have their own tests
				}
				if r, _ := anon.post(path, nil); r.StatusCode != http.StatusUnauthorized {
					t.Errorf("signed out with CSRF token: %d, want 401", r.StatusCode)
				}
				if r, _ := anon.post(path, url.Values{"_csrf": {""}}); r.StatusCode != http.StatusForbidden {
					t.Errorf("signed out without CSRF token: %d, want 403", r.StatusCode)
				}
				return
			}
			rows += 1 + len(content.Roles)
			r, _ := anon.get(path)
			if min == Public {
				if r.StatusCode != http.StatusOK {
					t.Errorf("signed out: %d, want 200", r.StatusCode)
				}
				return
			}
			if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/admin/login") {
				t.Errorf("signed out: %d to %q, want a sign-in redirect", r.StatusCode, r.Header.Get("Location"))
			}
			for _, role := range content.Roles {
				r, _ := browsers[role].get(path)
				switch {
				case needsProvider[pattern] && r.StatusCode == http.StatusNotFound:
				case role.AtLeast(min) && r.StatusCode != http.StatusOK:
					t.Errorf("%s: %d, want 200 (row: %s and up)", role, r.StatusCode, min)
				case !role.AtLeast(min) && r.StatusCode != http.StatusForbidden && r.StatusCode != http.StatusNotFound:
					t.Errorf("%s: %d, want 403 or 404 (row: %s and up)", role, r.StatusCode, min)
				}
			}
		})
	}
	// The per-item rule behind the draft routes: a contributor opens their
	// own draft, not another's (checked above), nor its preview link.
	own := e.article(e.users[content.RoleContributor], content.StatusDraft)
	if r, _ := browsers[content.RoleContributor].get(fmt.Sprintf("/admin/articles/%d", own.ID)); r.StatusCode != http.StatusOK {
		t.Errorf("contributor's own draft: %d", r.StatusCode)
	}
	if r, _ := browsers[content.RoleContributor].post(fmt.Sprintf("/admin/articles/%d/preview-link", draft.ID), nil); r.StatusCode != http.StatusForbidden && r.StatusCode != http.StatusNotFound {
		t.Errorf("contributor made a preview link for another's draft: %d", r.StatusCode)
	}
	t.Logf("matrix rows checked: %d (%d routes)", rows, len(e.admin.patterns))
}

package admin

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"folio/internal/content"
	"folio/internal/importer"
)

// TestRedirects_Editor adds, imports and deletes redirects through the
// admin and follows them on the public site.
func TestRedirects_Editor(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ed := e.login(e.users[content.RoleEditor])
	if r, body := ed.get("/admin/redirects"); r.StatusCode != http.StatusOK {
		t.Fatalf("list: %d %s", r.StatusCode, body)
	}

	t.Run("Add", func(t *testing.T) {
		r, body := ed.post("/admin/redirects", url.Values{"from": {"/2019/05/old-harbour/"}, "to": {"/harbour/"}, "status": {"301"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("add: %d %s", r.StatusCode, body)
		}
		rd, err := e.db.FindRedirect(ctx, "/2019/05/old-harbour/")
		if err != nil || rd.To != "/harbour/" || rd.Status != 301 {
			t.Fatalf("stored: %+v %v", rd, err)
		}
		_, body = ed.get("/admin/redirects")
		mustContain(t, body, "<code>/2019/05/old-harbour/</code>", "<code>/harbour/</code>")
		resp, _ := e.browser().get("/2019/05/old-harbour/")
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/harbour/" {
			t.Errorf("public: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	})

	t.Run("ErrAddInvalid", func(t *testing.T) {
		for _, tc := range []struct{ from, to, status, want string }{
			{"old/", "/new/", "301", "must be a path starting with /"},
			{"/old/", "javascript:alert(1)", "301", "must be a path starting with / or an http(s) address"},
			{"/same/", "/same/", "301", "redirects to itself"},
			{"/old/", "/new/", "303", "must be 301, 302, 307, 308 or 410"},
		} {
			r, body := ed.post("/admin/redirects", url.Values{"from": {tc.from}, "to": {tc.to}, "status": {tc.status}})
			if r.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s → %s: %d, want 422", tc.from, tc.to, r.StatusCode)
			}
			mustContain(t, body, tc.want)
			if _, err := e.db.FindRedirect(ctx, tc.from); content.ErrorCode(err) != content.ENOTFOUND {
				t.Errorf("%s was stored: %v", tc.from, err)
			}
		}
	})

	t.Run("Import", func(t *testing.T) {
		csv := "from,to,status\n/a/,/one/\n/b/,https://example.org/two,302\n/c/,,410\n"
		r, body := uploadCSV(t, ed, csv)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("import: %d %s", r.StatusCode, body)
		}
		mustContain(t, body, "Imported 3 redirects.")
		for from, want := range map[string]content.Redirect{"/a/": {To: "/one/", Status: 301}, "/b/": {To: "https://example.org/two", Status: 302}, "/c/": {Status: 410}} {
			rd, err := e.db.FindRedirect(ctx, from)
			if err != nil || rd.To != want.To || rd.Status != want.Status {
				t.Errorf("%s: %+v %v, want %+v", from, rd, err, want)
			}
		}
		if resp, _ := e.browser().get("/c/"); resp.StatusCode != http.StatusGone {
			t.Errorf("gone path: %d", resp.StatusCode)
		}
	})

	t.Run("ErrImportAllOrNothing", func(t *testing.T) {
		csv := "/d/,/four/\n/e/,/five/,999\nf/,/six/\n/d/,/again/\n"
		r, body := uploadCSV(t, ed, csv)
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("import: %d, want 422", r.StatusCode)
		}
		mustContain(t, body, "line 2: status: must be 301", "line 3: from: &#34;f/&#34; must be a path", "line 4: /d/ is also on line 1")
		if _, err := e.db.FindRedirect(ctx, "/d/"); content.ErrorCode(err) != content.ENOTFOUND {
			t.Errorf("the good line of a bad file was stored: %v", err)
		}
	})

	t.Run("ErrImportTooLarge", func(t *testing.T) {
		line := "/x/,/y/\n"
		big := strings.Repeat(line, importer.MaxRedirectsBytes/len(line)+1)
		_, err := importer.ParseRedirectsCSV(strings.NewReader(big))
		if content.ErrorCode(err) != content.ETOOLARGE {
			t.Errorf("a file over the limit: %v, want too_large", err)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		r, body := ed.post("/admin/redirects/delete", url.Values{"from": {"/a/"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete: %d %s", r.StatusCode, body)
		}
		if _, err := e.db.FindRedirect(ctx, "/a/"); content.ErrorCode(err) != content.ENOTFOUND {
			t.Errorf("still there: %v", err)
		}
		if r, _ := ed.post("/admin/redirects/delete", url.Values{"from": {"/never/"}}); r.StatusCode != http.StatusNotFound {
			t.Errorf("deleting a missing redirect: %d, want 404", r.StatusCode)
		}
	})

	t.Run("ErrAuthorRefused", func(t *testing.T) {
		au := e.login(e.users[content.RoleAuthor])
		if r, _ := au.get("/admin/redirects"); r.StatusCode != http.StatusForbidden {
			t.Errorf("author list: %d", r.StatusCode)
		}
		if r, _ := uploadCSV(t, au, "/z/,/zed/\n"); r.StatusCode != http.StatusForbidden {
			t.Errorf("author import: %d", r.StatusCode)
		}
		if r, _ := au.post("/admin/redirects/delete", url.Values{"from": {"/b/"}}); r.StatusCode != http.StatusForbidden {
			t.Errorf("author delete: %d", r.StatusCode)
		}
	})
}

// uploadCSV posts csv as the import form's file.
func uploadCSV(t *testing.T, b *browser, csv string) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("_csrf", b.csrf)
	fw, _ := mw.CreateFormFile("file", "redirects.csv")
	fw.Write([]byte(csv))
	mw.Close()
	resp, err := b.c.Post(b.e.srv.URL+"/admin/redirects/import", mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

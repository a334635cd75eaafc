package admin

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"folio/internal/content"
	"folio/internal/render/markdown"
)

// pasteHTML posts html to /admin/paste as editor.js does: the body is the
// clipboard's HTML, the CSRF token a header.
func (b *browser) pasteHTML(html, token string) (int, PasteResult) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+"/admin/paste", strings.NewReader(html))
	req.Header.Set("Content-Type", "text/html; charset=utf-8")
	if token != "" {
		req.Header.Set("X-CSRF-Token", token)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var out PasteResult
	_ = json.Unmarshal(body, &out)
	return resp.StatusCode, out
}

func TestPaste(t *testing.T) {
	e := newEnv(t)
	b := e.login(e.users[content.RoleContributor])
	t.Run("OK", func(t *testing.T) {
		code, res := b.pasteHTML(`<b style="font-weight:normal" id="docs-internal-guid-1"><p><span style="font-weight:700">Bold</span> and <a href="https://example.org/">a link</a><img src="https://lh3.googleusercontent.com/x"></p></b>`, b.csrf)
		if code != http.StatusOK || res.Markdown != "**Bold** and [a link](https://example.org/)" || len(res.Notes) != 1 {
			t.Fatalf("paste = %d %+v", code, res)
		}
	})
	t.Run("ErrNoToken", func(t *testing.T) {
		if code, _ := b.pasteHTML("<p>x</p>", ""); code != http.StatusForbidden {
			t.Fatalf("paste without a CSRF token: %d, want 403", code)
		}
	})
	t.Run("ErrTooLarge", func(t *testing.T) {
		code, res := b.pasteHTML("<p>"+strings.Repeat("word ", markdown.MaxPasteBytes/5)+"</p>", b.csrf)
		if code != http.StatusRequestEntityTooLarge || !strings.Contains(res.Error, "larger than 1024 KiB") {
			t.Fatalf("oversized paste = %d %+v", code, res)
		}
	})
	t.Run("ErrSignedOut", func(t *testing.T) {
		anon := e.browser()
		anon.get("/admin/login")
		if code, _ := anon.pasteHTML("<p>x</p>", anon.csrf); code != http.StatusUnauthorized && code != http.StatusForbidden {
			t.Fatalf("signed-out paste: %d", code)
		}
	})
}

func TestMediaPicker(t *testing.T) {
	e := newEnv(t)
	b := e.login(e.users[content.RoleEditor])
	if resp, body := b.upload("/admin/media", map[string]string{"alt": "Boats [at] dawn", "caption": "The harbour.", "credit": "Photo Desk"}, pngBytes(t)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", resp.StatusCode, body)
	}
	resp, body := b.get("/admin/media/picker")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("picker: %d %s", resp.StatusCode, body)
	}
	var items []PickerItem
	if err := json.Unmarshal([]byte(body), &items); err != nil || len(items) != 1 {
		t.Fatalf("picker items %v: %s", err, body)
	}
	it := items[0]
	ms, _, _ := e.db.FindMedia(t.Context(), 1, 0)
	want := "::: figure " + strconv.FormatInt(ms[0].ID, 10) + "\n![Boats (at) dawn](/media/" + ms[0].Path + ")\nThe harbour.\nCredit: Photo Desk\n:::\n"
	if it.Kind != "image" || it.Markdown != want || it.Thumb != "/media/"+ms[0].Path {
		t.Fatalf("item = %+v\nwant Markdown %q", it, want)
	}
	// The block renders as the figure it promises.
	h, err := markdown.ToHTML(it.Markdown)
	if err != nil || !strings.Contains(h, `<figure class="figure" data-media-id="`+strconv.FormatInt(ms[0].ID, 10)+`"><img src="/media/`+ms[0].Path+`" alt="Boats (at) dawn"`) {
		t.Fatalf("block renders as %s (%v)", h, err)
	}
}

package api_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestAPI_Media(t *testing.T) {
	e := newEnv(t)
	data := pngBytes(t, 32, 24)
	res := e.upload("Harbour at Dawn.png", data, map[string]string{"alt": "Boats", "caption": "Dawn", "credit": "R. Amini", "credit_url": "https://example.org/ra", "credit_type": "illustration"})
	if res.Status != http.StatusCreated {
		t.Fatalf("upload: %d %s", res.Status, res.Body)
	}
	var m mediaJSON
	mustJSON(t, res.Body, &m)
	if !regexp.MustCompile(`^\d{4}/\d{2}/harbour-at-dawn-[0-9a-f]{6}\.png$`).MatchString(m.Path) ||
		m.ContentType != "image/png" || m.Width != 32 || m.Height != 24 || m.Size != int64(len(data)) ||
		m.Alt != "Boats" || m.CreditURL != "https://example.org/ra" || m.CreditType != "illustration" || m.URL != "http://localhost:8080/media/"+m.Path {
		t.Fatalf("uploaded %+v", m)
	}
	if res.Header.Get("Location") != fmt.Sprintf("/api/v1/media/%d", m.ID) {
		t.Fatalf("Location %q", res.Header.Get("Location"))
	}
	file := filepath.Join(e.media.Root, filepath.FromSlash(m.Path))
	if b, err := os.ReadFile(file); err != nil || len(b) != len(data) {
		t.Fatalf("stored file: %d bytes, %v", len(b), err)
	}

	path := fmt.Sprintf("/api/v1/media/%d", m.ID)
	var got mediaJSON
	e.call("GET", path, nil, http.StatusOK, &got)
	if got.Path != m.Path {
		t.Fatalf("got %+v", got)
	}
	e.call("PATCH", path, map[string]any{"alt": "Fishing boats"}, http.StatusOK, &got)
	if got.Alt != "Fishing boats" || got.Caption != "Dawn" {
		t.Fatalf("patched %+v", got)
	}
	e.wantError(e.request("PATCH", path, `{"credit_url":"javascript:alert(1)"}`), 422, "invalid")
	e.wantError(e.request("PATCH", path, `{"width":5}`), 400, "bad_request")
	// The credit type is one of four, named in the error.
	if got := e.wantError(e.request("PATCH", path, `{"credit_type":"painting"}`), 422, "invalid"); !strings.Contains(got.Error.Fields["credit_type"], "painting") {
		t.Fatalf("credit_type error %+v", got.Error)
	}
	e.call("PATCH", path, map[string]any{"credit_type": "chart"}, http.StatusOK, &got)
	if got.CreditType != "chart" || got.Alt != "Fishing boats" {
		t.Fatalf("patched credit type %+v", got)
	}

	var page struct {
		Items []mediaJSON `json:"items"`
		Total int         `json:"total"`
	}
	e.call("GET", "/api/v1/media", nil, http.StatusOK, &page)
	if page.Total != 1 || page.Items[0].ID != m.ID {
		t.Fatalf("list %+v", page)
	}

	t.Run("ErrNotImage", func(t *testing.T) {
		res := e.upload("notes.jpg", []byte("plain text, not a photo\n"), nil)
		got := e.wantError(res, 422, "invalid")
		if got.Error.Fields["file"] != "file is not a JPEG, PNG, GIF, WebP or SVG image, a PDF document or MP3, OGG or M4A audio" {
			t.Fatalf("got %+v", got.Error)
		}
		// An SVG that is not well-formed is refused; a hostile but
		// well-formed one is stored without its script (media/svg_test.go).
		res = e.upload("x.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</svg>`), nil)
		e.wantError(res, 422, "invalid")
	})
	t.Run("ErrNoFile", func(t *testing.T) {
		res := e.request("POST", "/api/v1/media", "--x--\r\n", "Content-Type", "multipart/form-data; boundary=x")
		got := e.wantError(res, 422, "invalid")
		if got.Error.Fields["file"] == "" {
			t.Fatalf("got %+v", got.Error)
		}
	})
	t.Run("ErrUnknownField", func(t *testing.T) {
		e.wantError(e.upload("a.png", data, map[string]string{"colour": "red"}), 400, "bad_request")
	})
	t.Run("ErrTooLarge", func(t *testing.T) {
		// The library takes 256 KiB; the request limit adds 1 MiB of slack.
		big := append(append([]byte{}, data...), make([]byte, 300<<10)...)
		e.wantError(e.upload("big.png", big, nil), 413, "too_large")
		huge := make([]byte, 2<<20)
		e.wantError(e.upload("huge.png", huge, nil), 413, "too_large")
	})
	t.Run("ErrBadMeta", func(t *testing.T) {
		got := e.wantError(e.upload("a.png", data, map[string]string{"credit_url": "ftp://x"}), 422, "invalid")
		if !strings.Contains(got.Error.Fields["credit_url"], "http") {
			t.Fatalf("got %+v", got.Error)
		}
	})

	e.call("DELETE", path, nil, http.StatusNoContent, nil)
	e.wantError(e.request("GET", path, nil), 404, "not_found")
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("file still there: %v", err)
	}
	e.call("GET", "/api/v1/media", nil, http.StatusOK, &page)
	if page.Total != 0 {
		t.Fatalf("failed uploads left %d records", page.Total)
	}
}

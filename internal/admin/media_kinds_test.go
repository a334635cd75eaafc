package admin

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"folio/internal/content"
	"folio/internal/media"
)

// onePagePDF is a one-page PDF with its cross-reference table computed.
func onePagePDF() []byte {
	stream := "0.1 0.3 0.7 rg 20 20 160 260 re f"
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 300] /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream)}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}

// silentMP3 is three frames of MPEG-1 Layer III after an ID3v2.4 tag.
func silentMP3() []byte {
	b := []byte{'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0}
	for range 3 {
		f := make([]byte, 417)
		copy(f, []byte{0xff, 0xfb, 0x90, 0x00})
		b = append(b, f...)
	}
	return b
}

// TestMediaUpload_Kinds uploads each new kind through the admin form and a
// refused file, and checks the messages an editor reads.
func TestMediaUpload_Kinds(t *testing.T) {
	e := newEnv(t)
	b := e.login(e.users[content.RoleEditor])
	for name, data := range map[string][]byte{
		"svg":   []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10" onload="alert(1)"><script>alert(2)</script><rect width="20" height="10"/></svg>`),
		"pdf":   onePagePDF(),
		"audio": silentMP3(),
	} {
		if resp, body := b.upload("/admin/media", map[string]string{"alt": name}, data); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s upload: %d\n%s", name, resp.StatusCode, body)
		}
	}
	ms, n, err := e.db.FindMedia(context.Background(), 10, 0)
	if err != nil || n != 3 {
		t.Fatalf("media %d %v", n, err)
	}
	types := map[string]*content.Media{}
	for _, m := range ms {
		types[m.ContentType] = m
	}
	svg := types["image/svg+xml"]
	if svg == nil || types["application/pdf"] == nil || types["audio/mpeg"] == nil {
		t.Fatalf("stored types %v", types)
	}
	resp, err := http.Get(e.srv.URL + "/media/" + svg.Path)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if bytes.Contains(stored, []byte("alert")) || !bytes.Contains(stored, []byte("<rect")) || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("served SVG (CSP %q):\n%s", resp.Header.Get("Content-Security-Policy"), stored)
	}
	resp, err = http.Get(e.srv.URL + "/media/" + types["application/pdf"].Path)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Content-Disposition") != "attachment" || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("PDF served with %v", resp.Header)
	}
	// The list shows no broken picture for sound.
	_, page := b.get("/admin/media")
	mustContain(t, page, `<span class="kind">audio</span>`, "3 files")
	if strings.Contains(page, `src="/media/`+types["audio/mpeg"].Path+`"`) {
		t.Error("the library list shows the MP3 as an image")
	}

	// The library and the editor are valid HTML.
	vnu(t, page)
	_, editor := b.get("/admin/articles/new")
	vnu(t, editor)

	t.Run("ErrNotAccepted", func(t *testing.T) {
		resp, body := b.upload("/admin/media", nil, []byte("MZ\x90\x00 a program, not a picture"))
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "file is not a JPEG, PNG, GIF, WebP or SVG image, a PDF document or MP3, OGG or M4A audio")
	})
	t.Run("ErrTooLarge", func(t *testing.T) {
		e.admin.cfg.MaxUpload, e.admin.cfg.Media.MaxBytes = 1<<10, 1<<10
		defer func() { e.admin.cfg.MaxUpload, e.admin.cfg.Media.MaxBytes = 20<<20, 0 }()
		resp, body := b.upload("/admin/media", nil, bytes.Repeat(silentMP3(), 4))
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "file is larger than 1 KiB")
	})
	t.Run("ErrFeaturedAudio", func(t *testing.T) {
		a := e.article(e.users[content.RoleEditor], content.StatusDraft)
		_, form := b.get(fmt.Sprintf("/admin/articles/%d", a.ID))
		if strings.Contains(form, `<option value="`+fmt.Sprint(types["audio/mpeg"].ID)+`"`) {
			t.Error("the featured-image list offers the MP3")
		}
	})
}

// TestBodyBlocks_PublicPage publishes a body with a library figure, a PDF
// card, an audio player, a pull quote and a callout and reads the page.
func TestBodyBlocks_PublicPage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ed := e.svc.As(e.users[content.RoleEditor])
	lib := e.admin.cfg.Media
	save := func(name string, data []byte) *content.Media {
		m, err := ed.SaveMedia(ctx, lib, name, bytes.NewReader(data), media.Meta{Alt: name})
		if err != nil {
			t.Fatal(err)
		}
		vs, err := lib.MakeVariants(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.System("media variants").SetMediaVariants(ctx, m.ID, vs); err != nil {
			t.Fatal(err)
		}
		return m
	}
	pdf := save("report.pdf", onePagePDF())
	mp3 := save("interview.mp3", silentMP3())
	body := fmt.Sprintf("Intro.\n\n::: document %d\n[The annual report](/media/%s)\nForty pages on the canals.\n:::\n\n"+
		"::: audio %d\n[The mayor, in her words](/media/%s)\nRecorded in Herat.\n:::\n\n"+
		"::: pullquote\nWe will not sign a blank cheque.\n— The council chair\n:::\n\n::: callout What we know\n- Three villages\n:::\n", pdf.ID, pdf.Path, mp3.ID, mp3.Path)
	a := &content.Article{Language: "en", Title: "Canal Report", Slug: "canal-report", BodyMarkdown: body, Status: content.StatusPublished,
		Authors: []*content.Author{{ID: e.users[content.RoleEditor].AuthorID}}}
	if err := ed.CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(e.srv.URL + "/canal-report/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	hasThumb := media.Pdftoppm() != ""
	want := []string{
		fmt.Sprintf(`<figure class="document" data-media-id="%d"><a class="document-link" href="/media/%s">`, pdf.ID, pdf.Path),
		`<span class="media-title">The annual report</span></a><figcaption>Forty pages on the canals.</figcaption></figure>`,
		fmt.Sprintf(`<audio controls="" preload="none" src="/media/%s">`, mp3.Path),
		`<strong class="media-title">The mayor, in her words</strong> Recorded in Herat.`,
		`<figure class="pullquote"><blockquote><p>We will not sign a blank cheque.</p></blockquote><figcaption>The council chair</figcaption></figure>`,
		`<aside class="callout"><p class="callout-title"><strong>What we know</strong></p>`,
	}
	if hasThumb {
		want = append(want, fmt.Sprintf(`<img class="document-thumb" src="/media/%s.w320.png" alt="" width="320" height="480"`, strings.TrimSuffix(pdf.Path, ".pdf")))
	} else if os.Getenv("CI") == "true" {
		t.Fatal("pdftoppm is not installed (scripts/test-deps.sh installs poppler-utils)")
	}
	mustContain(t, string(page), want...)
	vnu(t, string(page))
}

// vnu checks page with the Nu Html Checker (vnu.jar, fetched by
// scripts/test-deps.sh); it skips on a laptop without it and fails in CI.
func vnu(t *testing.T, page string) {
	t.Helper()
	jar := os.Getenv("FOLIO_VNU_JAR")
	if jar == "" {
		if dir, err := os.UserCacheDir(); err == nil {
			jar = filepath.Join(dir, "folio", "vnu.jar")
		}
	}
	java, jerr := exec.LookPath("java")
	if _, err := os.Stat(jar); err != nil || jerr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the Nu Html Checker is missing (%s, java: %v); run scripts/test-deps.sh", jar, jerr)
		}
		t.Skipf("the Nu Html Checker is missing (%s); run scripts/test-deps.sh", jar)
	}
	f := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(f, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(java, "-jar", jar, "--errors-only", f).CombinedOutput()
	if err != nil {
		t.Errorf("Nu Html Checker: %v\n%s", err, out)
	}
}

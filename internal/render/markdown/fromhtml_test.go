package markdown_test

import (
	"os"
	"strings"
	"testing"

	"folio/internal/render/markdown"
)

func TestFromHTML_GoogleDocs(t *testing.T) {
	src, err := os.ReadFile("testdata/paste/gdocs.html")
	if err != nil {
		t.Fatal(err)
	}
	md, notes, err := markdown.FromHTML(string(src))
	if err != nil {
		t.Fatal(err)
	}
	want := "## Water rights on the Panj\n\nFarmers in **Darwaz** say the canal was *never* finished. See [the survey](https://example.org/report).\n\n" +
		"- Three villages\n- One pump\n\n| Village     | Households |\n|-------------|------------|\n| Kalai Khumb | 412        |"
	if md != want {
		t.Errorf("Markdown:\n%s\n\nwant:\n%s", md, want)
	}
	if len(notes) != 1 || !strings.HasPrefix(notes[0], "1 image was left out") {
		t.Errorf("notes = %q", notes)
	}
}

func TestFromHTML_Word(t *testing.T) {
	src, err := os.ReadFile("testdata/paste/word.html")
	if err != nil {
		t.Fatal(err)
	}
	md, notes, err := markdown.FromHTML(string(src))
	if err != nil {
		t.Fatal(err)
	}
	want := "## Budget hearing\n\nThe council met on **Tuesday** and *postponed* the vote.\n\n- Roads\n- Schools\n\n1. First reading\n2. Second reading\n\n" +
		"“We will not sign a blank cheque,” said the chair.\n\n[Minutes](https://example.org/minutes) and a trap."
	if md != want {
		t.Errorf("Markdown:\n%s\n\nwant:\n%s", md, want)
	}
	if len(notes) != 0 {
		t.Errorf("notes = %q", notes)
	}
}

func TestFromHTML_Hostile(t *testing.T) {
	for _, in := range xssPayloadsExternal {
		md, _, err := markdown.FromHTML(in)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		low := strings.ToLower(md)
		for _, f := range []string{"<script", "onerror", "onload", "javascript:", "vbscript:", "data:", "<iframe", "<style", "<svg", "<img", "style="} {
			if strings.Contains(low, f) {
				t.Errorf("FromHTML(%q) = %q: contains %q", in, md, f)
			}
		}
		// What the converter wrote renders safely too.
		if h, err := markdown.ToHTML(md); err != nil || strings.Contains(strings.ToLower(h), "<script") {
			t.Errorf("ToHTML(FromHTML(%q)) = %q, %v", in, h, err)
		}
	}
}

var xssPayloadsExternal = []string{
	`<script>alert(1)</script>text`,
	`<img src=x onerror=alert(1)>`,
	`<a href="javascript:alert(1)">x</a>`,
	`<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>`,
	`<svg onload=alert(1)><circle/></svg>`,
	`<p style="background:url(javascript:alert(1))">x</p>`,
	`<iframe src="https://evil.example/"></iframe>`,
	`<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
}

func TestFromHTML_TooLarge(t *testing.T) {
	_, _, err := markdown.FromHTML(strings.Repeat("a", markdown.MaxPasteBytes+1))
	if err == nil || !strings.Contains(err.Error(), "over the 1048576-byte limit") {
		t.Fatalf("err = %v", err)
	}
}

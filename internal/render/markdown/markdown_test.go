package markdown

import (
	"strings"
	"testing"
)

// xssPayloads are inputs that must not survive sanitizing with anything
// executable. Each is checked for the forbidden fragments below.
var xssPayloads = []string{
	`<script>alert(1)</script>`,
	`<SCRIPT SRC=//evil.example/x.js></SCRIPT>`,
	`<img src=x onerror=alert(1)>`,
	`<img src="javascript:alert(1)">`,
	`<a href="javascript:alert(1)">x</a>`,
	`<a href="JaVaScRiPt:alert(1)">x</a>`,
	`<a href="&#106;avascript:alert(1)">x</a>`,
	`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`,
	`[x](javascript:alert(1))`,
	`[x](data:text/html,<script>alert(1)</script>)`,
	`![x](javascript:alert(1))`,
	`<svg onload=alert(1)>`,
	`<svg><script>alert(1)</script></svg>`,
	`<body onload=alert(1)>`,
	`<iframe src="https://evil.example/"></iframe>`,
	`<iframe src="javascript:alert(1)"></iframe>`,
	`<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
	`<div style="background:url(javascript:alert(1))">x</div>`,
	`<style>body{display:none}</style>`,
	`<object data="x.swf"></object>`,
	`<embed src="x.swf">`,
	`<form action="https://evil.example"><input name=p></form>`,
	`<meta http-equiv="refresh" content="0;url=https://evil.example">`,
	`<base href="https://evil.example/">`,
	`<a href="x" onclick="alert(1)">x</a>`,
	`<details open ontoggle=alert(1)>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
	`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
	`<a href="vbscript:msgbox(1)">x</a>`,
	"<a href=\"java\tscript:alert(1)\">x</a>",
	`<link rel=stylesheet href=https://evil.example/x.css>`,
	"<img src=\"/a.png\" alt=\"\"><svg onload=alert(1)>\">",
}

var forbidden = []string{"<script", "onerror", "onload", "onclick", "ontoggle", "javascript:", "vbscript:", "data:", "<iframe src=\"https://evil", "srcdoc", "<style", "<object", "<embed", "<form", "<meta", "<base", "<link", "style=", "<svg", "java\tscript"}

func TestToHTML_XSS(t *testing.T) {
	for _, in := range xssPayloads {
		out, err := ToHTML(in)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		low := strings.ToLower(out)
		for _, f := range forbidden {
			if strings.Contains(low, f) {
				t.Errorf("ToHTML(%q) = %q: contains %q", in, out, f)
			}
		}
	}
}

func TestToHTML_Keeps(t *testing.T) {
	tests := []struct{ in, want string }{
		{"## Water and power", `<h2 id="water-and-power">Water and power</h2>`},
		{"*em* and **strong**", "<em>em</em> and <strong>strong</strong>"},
		{"[report](https://example.org/r)", `<a href="https://example.org/r">report</a>`},
		{"[rel](/region/iran/)", `<a href="/region/iran/">rel</a>`},
		{"> quoted", "<blockquote>"},
		{"| a | b |\n|---|---|\n| 1 | 2 |", "<table>"},
		{`<iframe src="https://www.youtube-nocookie.com/embed/abc" width="560" height="315" title="Interview"></iframe>`, `src="https://www.youtube-nocookie.com/embed/abc"`},
		{"<figure><img src=\"/media/a.jpg\" alt=\"A\"><figcaption>Cap</figcaption></figure>", "<figcaption>Cap</figcaption>"},
		{"سیاست آب", "<p>سیاست آب</p>"},
		// Alt text keeps its punctuation and the zero-width non-joiner of Persian.
		{`<img src="/media/a.svg" alt="Peaks; a glacier — retreating">`, `alt="Peaks; a glacier — retreating"`},
		{"<img src=\"/media/a.svg\" alt=\"تپه\u200cهای شنی\">", "alt=\"تپه\u200cهای شنی\""},
		{`<img src="/media/a.svg" alt="x" onerror="alert(1)">`, `alt="x"`},
	}
	for _, tt := range tests {
		out, err := ToHTML(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, tt.want) {
			t.Errorf("ToHTML(%q) = %q, want it to contain %q", tt.in, out, tt.want)
		}
	}
}

func TestToHTML_DropsForeignIframe(t *testing.T) {
	out, _ := ToHTML(`<iframe src="https://evil.example/x" width="1"></iframe>after`)
	if strings.Contains(out, "iframe") {
		t.Fatalf("foreign iframe kept: %q", out)
	}
}

func TestExcerpt(t *testing.T) {
	h := "<p>The river <em>Amu Darya</em> feeds five countries and their quarrels.</p><sup>1</sup>"
	if got := Excerpt(h, 200); got != "The river Amu Darya feeds five countries and their quarrels." {
		t.Errorf("got %q", got)
	}
	if got := Excerpt(h, 20); got != "The river Amu Darya…" {
		t.Errorf("got %q", got)
	}
	if got := WordCount(h); got != 10 {
		t.Errorf("WordCount = %d", got)
	}
}

// TestExcerpt_Skips leaves tables, code blocks, footnote marks and bare
// addresses out of excerpts and never leaves a space before punctuation.
func TestExcerpt_Skips(t *testing.T) {
	for _, tc := range []struct{ name, html, want string }{
		{"InlineElementBeforeComma", `<p>The <a href="/x/">canal</a>, the <em>dam</em>. And <strong>more</strong>.</p>`,
			"The canal, the dam. And more."},
		{"FootnoteMark", `<p>The flow fell by a fifth<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup>.</p>` +
			`<div class="footnotes" role="doc-endnotes"><hr><ol><li id="fn:1"><p>Basin authority, 2025.</p></li></ol></div>`,
			"The flow fell by a fifth."},
		{"Table", `<p>Before the table.</p><table><thead><tr><th>Year</th><th>Flow</th></tr></thead><tbody><tr><td>2020</td><td>61</td></tr></tbody></table><p>After it.</p>`,
			"Before the table. After it."},
		{"CodeBlock", "<p>Run this:</p><pre><code>folio serve --demo\n</code></pre><p>Then open it.</p>",
			"Run this: Then open it."},
		{"BareURL", `<p>Data from https://data.example.org/flows.csv. See also (www.example.org) and <a href="https://x.example">https://x.example</a>, then read on.</p>`,
			"Data from. See also and, then read on."},
		{"RenderedFootnote", mustHTML(t, "The flow fell[^1].\n\n[^1]: Basin authority.\n"), "The flow fell."},
		{"RenderedTable", mustHTML(t, "Flows:\n\n| year | flow |\n|---|---|\n| 2020 | 61 |\n\nThey fall."), "Flows: They fall."},
		{"TwoParagraphs", `<p>One.</p><p>Two.</p>`, "One. Two."},
		{"WordSplitByInlineTag", `<p>over<em>flow</em> ahead</p>`, "overflow ahead"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Excerpt(tc.html, 200); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func mustHTML(t *testing.T, md string) string {
	t.Helper()
	h, err := ToHTML(md)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

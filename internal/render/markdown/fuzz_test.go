package markdown

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Seeds beyond testdata/fuzz: a few of each family of trick, so a plain
// `go test` replays them and a fuzzing run starts from them.
var fuzzSeeds = []string{
	"Plain *text* with a [link](https://example.org/).",
	"<script>alert(1)</script>",
	"<img src=x onerror=alert(1)>",
	"[x](javascript:alert(1))",
	"[x](JaVaScRiPt&#58;alert(1))",
	"[x](&#x6a;avascript:alert(1))",
	"![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
	"<svg><script>alert(1)</script></svg>",
	"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
	"<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
	"<a href=\"vbscript:msgbox(1)\">v</a>",
	"<iframe src=\"javascript:alert(1)\"></iframe>",
	"<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
	"<form action=javascript:alert(1)><button>go</button></form>",
	"<base href=\"javascript:/\">",
	"<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
	"<div style=\"background:url(javascript:alert(1))\">x</div>",
	"<<script>script>alert(1)<</script>/script>",
	"<a href=\"https://example.org/\" onclick=\"alert(1)\">x</a>",
	"<details open ontoggle=alert(1)>",
	"<https://example.org/?q=<script>>",
	"[a]: javascript:alert(1)\n\n[a]",
	"```\n<script>alert(1)</script>\n```",
	"<object data=\"data:text/html,<script>alert(1)</script>\"></object>",
	"<embed src=\"javascript:alert(1)\">",
	"<a href=\"java\tscript:alert(1)\">tab</a>",
	"<a href=\" javascript:alert(1)\">space</a>",
	"<img src=\"x\" alt=\"``onerror=alert(1)\">",
}

// scriptCapable reports the first way h could run script in a browser:
// an element that runs or loads code or changes where the page points, an
// event-handler or style attribute, or a URL attribute whose scheme is not
// http, https or mailto (or a relative URL). It parses h as a browser does.
func scriptCapable(h string) string {
	z := html.NewTokenizer(strings.NewReader(h))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			switch t.Data {
			case "script", "style", "object", "embed", "applet", "base", "meta", "link", "form", "svg", "math",
				"frame", "frameset", "template", "noscript", "xmp", "plaintext", "noembed", "noframes":
				return "element <" + t.Data + ">"
			}
			for _, a := range t.Attr {
				k := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(k, "on"):
					return "event handler " + k + " on <" + t.Data + ">"
				case k == "style", k == "srcdoc", k == "formaction", k == "action", k == "xlink:href", k == "srcset" && t.Data != "img":
					return "attribute " + k + " on <" + t.Data + ">"
				case k == "href", k == "src", k == "cite", k == "poster", k == "background", k == "data":
					if bad := unsafeURL(a.Val); bad != "" {
						return k + "=" + bad + " on <" + t.Data + ">"
					}
				}
			}
		}
	}
}

// unsafeURL returns u when a browser would run it as something other than
// an http(s), mailto or relative link, after the browser's own cleaning
// (leading spaces and control characters, tabs and newlines anywhere).
func unsafeURL(u string) string {
	clean := strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, strings.TrimLeft(u, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "))
	i := strings.IndexAny(clean, ":/?#")
	if i <= 0 || clean[i] != ':' {
		return "" // relative
	}
	switch strings.ToLower(clean[:i]) {
	case "http", "https", "mailto":
		return ""
	}
	return u
}

func FuzzToHTML(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out, err := ToHTML(src)
		if err != nil {
			if utf8.ValidString(src) {
				t.Fatalf("valid UTF-8 refused: %v", err)
			}
			return
		}
		if bad := scriptCapable(out); bad != "" {
			t.Fatalf("script-capable output (%s)\n in: %q\nout: %q", bad, src, out)
		}
		// Sanitizing the sanitized output changes nothing that matters:
		// a second pass must not find anything either.
		if bad := scriptCapable(Sanitize(out)); bad != "" {
			t.Fatalf("second pass is script-capable (%s): %q", bad, out)
		}
	})
}

func FuzzComment(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out, links, err := Comment(src)
		if err != nil {
			return
		}
		if bad := scriptCapable(out); bad != "" {
			t.Fatalf("script-capable comment (%s)\n in: %q\nout: %q", bad, src, out)
		}
		if strings.Contains(out, "<img") || strings.Contains(out, "<iframe") {
			t.Fatalf("comment kept an image or frame: %q", out)
		}
		if links != strings.Count(out, "<a ") {
			t.Fatalf("%d links counted in %q", links, out)
		}
	})
}

// FuzzFromHTML converts arbitrary pasted HTML. No input may panic; the
// Markdown it gives renders to nothing script-capable.
func FuzzFromHTML(f *testing.F) {
	for _, s := range append(fuzzSeeds, `<b style="font-weight:normal"><p><span style="font-weight:700">x</span></p></b>`,
		`<p class=MsoListParagraph><span style='mso-list:Ignore'>1.</span>a</p>`, `<table><tr><td>a<td>b</table>`,
		`<a href="https://www.google.com/url?q=javascript:alert(1)">x</a>`) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		md, _, err := FromHTML(src)
		if err != nil {
			return
		}
		out, err := ToHTML(md)
		if err != nil {
			t.Fatalf("converted Markdown does not render: %v\n%q", err, md)
		}
		if bad := scriptCapable(out); bad != "" {
			t.Fatalf("script-capable output (%s)\n in: %q\n md: %q\nout: %q", bad, src, md, out)
		}
	})
}

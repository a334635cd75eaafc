package translate

import (
	"regexp"
	"strings"
	"testing"
)

// upper "translates" by upper-casing character data, leaving tags and
// placeholder numbers alone, as a provider in HTML mode does.
func upper(s string) string {
	return reAnyTagOrVar.ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasPrefix(m, "<") {
			return m
		}
		return strings.ToUpper(m)
	})
}

var reAnyTagOrVar = regexp.MustCompile(`<var>\d+</var>|<[^>]*>|[^<]+`)

func translateDoc(d *Doc, f func(string) string) string {
	out := make([]string, len(d.Segments))
	for i, s := range d.Segments {
		out[i] = f(s.Text)
	}
	return d.Join(out)
}

func TestSplitMarkdown_RoundTrip(t *testing.T) {
	tests := []struct {
		name, in, upper string
	}{
		{"paragraph", "The cat sat.\n", "THE CAT SAT.\n"},
		{"emphasis", "A *small* and **big** and _under_ and __double__ cat.\n",
			"A *SMALL* AND **BIG** AND _UNDER_ AND __DOUBLE__ CAT.\n"},
		{"link", "See [the report](https://example.org/a_b?x=1&y=2 \"Title\") now.\n",
			"SEE [THE REPORT](https://example.org/a_b?x=1&y=2 \"Title\") NOW.\n"},
		{"link with emphasis", "Read [*this* one](/x/) today.\n", "READ [*THIS* ONE](/x/) TODAY.\n"},
		{"reference link", "Read [the page][ref].\n\n[ref]: https://example.org/\n",
			"READ [THE PAGE][ref].\n\n[ref]: https://example.org/\n"},
		{"code", "Run `go test ./...` and `x*y` now.\n", "RUN `go test ./...` AND `x*y` NOW.\n"},
		{"escapes and entities", "Price \\*not\\* 5 &amp; more &copy; a_b_c.\n", "PRICE \\*NOT\\* 5 &amp; MORE &copy; A_B_C.\n"},
		{"heading", "## A heading ##\n\nText.\n", "## A HEADING ##\n\nTEXT.\n"},
		{"lists", "- one\n- two *x*\n  1. nested\n\n3) three\n- [ ] task\n", "- ONE\n- TWO *X*\n  1. NESTED\n\n3) THREE\n- [ ] TASK\n"},
		{"blockquote", "> quoted text\n> > deeper\n", "> QUOTED TEXT\n> > DEEPER\n"},
		{"fenced code", "Intro.\n\n```go\nfunc main() { fmt.Println(\"hi\") }\n```\n\nOutro.\n",
			"INTRO.\n\n```go\nfunc main() { fmt.Println(\"hi\") }\n```\n\nOUTRO.\n"},
		{"indented code", "Intro.\n\n    code here\n\nOutro.\n", "INTRO.\n\n    code here\n\nOUTRO.\n"},
		{"image", "![A red door](/media/door.jpg \"Door\")\n", "![A RED DOOR](/media/door.jpg \"Door\")\n"},
		{"blocks", "Intro.\n\n::: figure 42\n![Boats in a harbour](/media/h.jpg)\nThe harbour at dawn.\nCredit: Photo Desk\n:::\n\n::: callout What we know\n- one\n:::\n\n::: pullquote\nWe are overdrawn.\n— Farida\n:::\n",
			"INTRO.\n\n::: figure 42\n![BOATS IN A HARBOUR](/media/h.jpg)\nTHE HARBOUR AT DAWN.\nCredit: PHOTO DESK\n:::\n\n::: callout WHAT WE KNOW\n- ONE\n:::\n\n::: pullquote\nWE ARE OVERDRAWN.\n— FARIDA\n:::\n"},
		{"html block", "<figure>\n<img src=\"x.png\">\n</figure>\n\nText.\n", "<figure>\n<img src=\"x.png\">\n</figure>\n\nTEXT.\n"},
		{"inline html and autolink", "Mail <mailto:a@b.org> or <span class=\"x\">here</span>.\n",
			"MAIL <mailto:a@b.org> OR <span class=\"x\">HERE</span>.\n"},
		{"table", "| Name | Value |\n|------|------:|\n| one | `1` |\n", "| NAME | VALUE |\n|------|------:|\n| ONE | `1` |\n"},
		{"hard break", "Line one  \nline two\\\nthree\n", "LINE ONE  \nLINE TWO\\\nTHREE\n"},
		{"thematic break", "A.\n\n* * *\n\nB.\n", "A.\n\n* * *\n\nB.\n"},
		{"no trailing newline", "Just text", "JUST TEXT"},
		{"crlf", "One.\r\n\r\nTwo.\r\n", "ONE.\r\n\r\nTWO.\r\n"},
		{"unbalanced emphasis", "2 * 3 = 6 and a*b\n", "2 * 3 = 6 AND A*B\n"},
		{"quotes and brackets", "He said \"yes\" [sic] > no.\n", "HE SAID \"YES\" [SIC] > NO.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := SplitMarkdown(tt.in)
			if got := translateDoc(d, func(s string) string { return s }); got != tt.in {
				t.Errorf("identity round trip:\n got %q\nwant %q\nsegments %q", got, tt.in, d.Segments)
			}
			if got := translateDoc(d, upper); got != tt.upper {
				t.Errorf("upper round trip:\n got %q\nwant %q\nsegments %q", got, tt.upper, d.Segments)
			}
		})
	}
}

func TestSplitMarkdown_WrappedParagraphIsOneSegment(t *testing.T) {
	d := SplitMarkdown("The first line\ncontinues here.\n\n- item one\n  still item one\n")
	if len(d.Segments) != 2 {
		t.Fatalf("segments = %q, want 2", d.Segments)
	}
	got := translateDoc(d, func(s string) string { return s })
	if want := "The first line continues here.\n\n- item one still item one\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// A provider that moves, splits or drops markup must still give valid
// Markdown with every link target and code span.
func TestFromInline_ProviderReordering(t *testing.T) {
	tests := []struct {
		name, md, out, want string
	}{
		{"moved emphasis", "The *old* dog", "El perro <i>viejo</i>", "El perro *viejo*"},
		{"split bold", "Use **the red house**", "Uso <b>la casa</b> <b>roja</b>", "Uso **la casa** **roja**"},
		{"spaces inside tags", "a **b** c", "x<b> y </b>z", "x **y** z"},
		{"dropped close", "a **b** c", "x <b>y z", "x y z"},
		{"dropped code", "run `ls` now", "corre ahora", "corre ahora `ls`"},
		{"markdown chars in output", "a b", "a * b_c [x]", "a \\* b\\_c \\[x\\]"},
		{"entities", "fish & chips", "pescado &amp; patatas &lt;3", "pescado & patatas \\<3"},
		{"link kept", "[home](/) page", "página <a href=\"0\">inicio</a>", "página [inicio](/)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := toInline(tt.md)
			if got := in.fromInline(tt.out, nil); got != tt.want {
				t.Fatalf("fromInline(%q) of %q = %q, want %q", tt.out, in.html, got, tt.want)
			}
		})
	}
}

package translate

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSplitMarkdown checks the segmenter's promise: putting the segments
// back untranslated gives the input again. Some rewrites of white space
// are made on purpose: a paragraph's soft-wrapped lines become one line,
// spaces at the ends of its lines go, and spaces inside the ends of
// emphasis or a link move outside it (where Markdown needs them). So text
// without inner line breaks must come back with the same characters in
// the same order and the same words, and a second split and join must
// keep them too (whatever the line structure).
func FuzzSplitMarkdown(f *testing.F) {
	for _, s := range []string{
		"The cat sat.\n",
		"A *small* and **big** cat with `code` and [a link](/x/ \"T\").\n",
		"## Heading ##\n\n- one\n- two\n\n> quote\n",
		"| a | b |\n|---|---|\n| 1 | 2 |\n",
		"```go\nfunc main() {}\n```\n",
		"![Alt text](/m.jpg) and text\n",
		"<div>\nraw html\n</div>\n\nAfter.\n",
		"One\r\n\r\nTwo\r\n",
		"Wrapped line\ncontinues.\n",
		"* * *\n",
		"[ref]: https://example.org/\n",
		"Escapes \\* and &amp; entities",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, md string) {
		if !utf8.ValidString(md) {
			return // bodies are checked for UTF-8 before they are stored
		}
		if strings.Contains(strings.ReplaceAll(md, "\r\n", ""), "\r") {
			// A lone CR (old Mac line ends) is a line end to CommonMark
			// but not to the segmenter, which splits on LF; forms send
			// CRLF. Known limitation: see testdata/fuzz/FuzzSplitMarkdown.
			return
		}
		d := SplitMarkdown(md)
		for i, s := range d.Segments {
			if s.Text == "" {
				t.Fatalf("segment %d is empty: %q", i, d.Segments)
			}
		}
		once := identity(d)
		if !strings.Contains(strings.TrimRight(md, "\r\n"), "\n") && !sameText(once, md) {
			t.Fatalf("single-line text changed:\n in: %q\nout: %q\nsegments %q", md, once, d.Segments)
		}
		if twice := identity(SplitMarkdown(once)); !sameText(twice, once) {
			t.Fatalf("re-joined text is not stable:\n in: %q\nonce: %q\ntwice: %q", md, once, twice)
		}
	})
}

func identity(d *Doc) string {
	out := make([]string, len(d.Segments))
	for i, s := range d.Segments {
		out[i] = s.Text
	}
	return d.Join(out)
}

// sameText reports whether a and b hold the same characters but for white
// space and backslash escapes, and the same words once Markdown's inline punctuation is read as
// a word break.
func sameText(a, b string) bool {
	// Backslashes come and go: the join escapes what would otherwise read
	// as markup, which renders the same.
	noSpace := func(s string) string { return strings.Join(strings.Fields(strings.ReplaceAll(s, "\\", "")), "") }
	words := func(s string) string {
		return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
			if strings.ContainsRune("*_[]()`~<>!\\", r) {
				return ' '
			}
			return r
		}, s)), " ")
	}
	return noSpace(a) == noSpace(b) && words(a) == words(b)
}

package markdown_test

import (
	"strings"
	"testing"

	"folio/internal/render/markdown"
)

func TestToHTML_Blocks(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // substrings of the output, in order
		not       []string
	}{
		{"Figure", "Intro.\n\n::: figure 42\n![Boats? In a grey harbour; dawn](/media/2026/12/harbour-a1b2c3.png)\nThe harbour *at dawn*.\nCredit: Photo Desk\n:::\n\nAfter.",
			[]string{`<p>Intro.</p>`, `<figure class="figure" data-media-id="42"><img src="/media/2026/12/harbour-a1b2c3.png" alt="Boats? In a grey harbour; dawn" loading="lazy">`,
				`<figcaption>The harbour <em>at dawn</em>. <span class="figure-credit">Photo Desk</span></figcaption></figure>`, `<p>After.</p>`}, nil},
		{"FigureWithoutID", "::: figure\n![Map](https://example.org/map.png)\n:::",
			[]string{`<figure class="figure"><img src="https://example.org/map.png" alt="Map" loading="lazy"></figure>`}, []string{"data-media-id", "figcaption"}},
		{"FigureTitleIsCaption", "::: figure 3\n![Map](/media/m.png \"Where the river bends\")\n:::",
			[]string{`<figcaption>Where the river bends</figcaption>`}, nil},
		{"PullQuote", "::: pullquote\nThe glaciers are our **bank account**.\n— Farida Akbari, hydrologist\n:::",
			[]string{`<figure class="pullquote"><blockquote><p>The glaciers are our <strong>bank account</strong>.</p></blockquote><figcaption>Farida Akbari, hydrologist</figcaption></figure>`}, nil},
		{"Callout", "::: callout What we know\n- one\n- two\n:::",
			[]string{`<aside class="callout"><p class="callout-title"><strong>What we know</strong></p><ul>`, `<li>two</li>`, `</ul></aside>`}, nil},
		{"Audio", "::: audio 7\n[Interview with the mayor](/media/2026/12/mayor.mp3)\nRecorded in Herat.\n:::",
			[]string{`<figure class="audio" data-media-id="7"><audio controls="" preload="none" src="/media/2026/12/mayor.mp3"><a href="/media/2026/12/mayor.mp3">Interview with the mayor</a></audio>`,
				`<figcaption><strong class="media-title">Interview with the mayor</strong> Recorded in Herat.</figcaption>`}, nil},
		{"Document", "::: document 8\n[The annual report](/media/2026/12/report.pdf)\n:::",
			[]string{`<figure class="document" data-media-id="8"><a class="document-link" href="/media/2026/12/report.pdf"><span class="media-title">The annual report</span></a></figure>`}, nil},
		{"InListItem", "- item\n\n  ::: callout\n  inside\n  :::\n", []string{`<li>`, `<aside class="callout"><p>inside</p></aside>`}, nil},
		{"InCodeFenceStaysCode", "```\n::: figure 1\n```", []string{"<pre><code>::: figure 1\n</code></pre>"}, []string{"<figure"}},
		{"UnknownKindStaysText", "::: sidebar\ntext\n:::", []string{"<p>::: sidebar"}, []string{"<aside", "<figure"}},
		{"BadMediaIDDropped", "::: figure 4x\n![a](/media/a.png)\n:::", []string{`<figure class="figure"><img`}, []string{"data-media-id"}},
		// Hostile content inside blocks is sanitized like any other.
		{"ScriptInCaption", "::: figure 1\n![a](/media/a.png)\n<script>alert(1)</script> <img src=x onerror=alert(1)>\nCredit: <a href=\"javascript:alert(1)\">x</a>\n:::",
			[]string{`<figure class="figure" data-media-id="1">`}, []string{"<script", "onerror", "javascript:"}},
		{"JavaScriptImage", "::: figure\n![a](javascript:alert(1))\n:::", nil, []string{"javascript:"}},
		{"AudioFromData", "::: audio\n[x](data:audio/mp3;base64,AAAA)\n:::", nil, []string{"data:", "<audio controls=\"\" preload=\"none\" src="}},
		{"AudioFromHTTP", "::: audio\nhttp://example.org/a.mp3\n:::", nil, []string{`src="http://`}},
		{"CalloutTitleEscaped", "::: callout <b onmouseover=x>Hi</b>\nbody\n:::", []string{`&lt;b onmouseover=x&gt;Hi&lt;/b&gt;`}, []string{"<b "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := markdown.ToHTML(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			rest := out
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("output lacks %q (in order):\n%s", w, out)
				}
				rest = rest[i+len(w):]
			}
			for _, n := range tt.not {
				if strings.Contains(out, n) {
					t.Errorf("output has %q:\n%s", n, out)
				}
			}
			// A second sanitizing (imports, the API) keeps the blocks.
			if again := markdown.Sanitize(out); again != out {
				t.Errorf("sanitizing again changed the output:\n%s\n%s", out, again)
			}
		})
	}
}

func TestBlockNotes(t *testing.T) {
	src := "::: figure 1\nno image here\n:::\n\n::: audio\njust words\n:::\n\n```\n::: figure\n```\n\n::: callout\nfine\n:::\n\n::: document 2\n[r](/media/r.pdf)\n"
	notes := markdown.EmbedNotes(src)
	want := []string{
		"Line 1: the figure block has no image line",
		"Line 5: the audio block has no link",
		"Line 17: the document block is not closed",
	}
	if len(notes) != len(want) {
		t.Fatalf("notes = %q, want %d", notes, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(notes[i], w) {
			t.Errorf("note %d = %q, want it to start %q", i, notes[i], w)
		}
	}
}

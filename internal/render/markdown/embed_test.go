package markdown_test

import (
	"strings"
	"testing"

	"folio/internal/render/markdown"
)

func TestToHTML_EmbedFacade(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // substrings of the output
		not       []string
	}{
		{"YouTube", "Before.\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\nAfter.",
			[]string{`<figure class="embed" data-embed-provider="YouTube"><a class="embed-load" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"`},
			[]string{"<iframe"}},
		{"Autolink", "<https://vimeo.com/76979871>", []string{`data-embed-src="https://player.vimeo.com/video/76979871"`}, nil},
		{"InSentenceStaysLink", "See https://www.youtube.com/watch?v=dQw4w9WgXcQ for more.", []string{`<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">`}, []string{"embed"}},
		{"NotAllowedStaysLink", "https://example.org/video/1", []string{`<p><a href="https://example.org/video/1">https://example.org/video/1</a></p>`}, []string{"embed"}},
		{"LabelledLinkStaysLink", "[our video](https://www.youtube.com/watch?v=dQw4w9WgXcQ)", []string{`>our video</a>`}, []string{"embed"}},
		{"SoundCloudQueryEscaped", "https://soundcloud.com/artist/track-name",
			[]string{`data-embed-src="https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fartist%2Ftrack-name&amp;visual=true&amp;show_comments=false"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := markdown.ToHTML(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %s\n%s", w, out)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(out, n) {
					t.Errorf("output has %s\n%s", n, out)
				}
			}
			// The facade survives a second pass of the sanitizer unchanged.
			if again := markdown.Sanitize(out); again != out {
				t.Errorf("sanitizing again changed the facade:\n%s\n%s", out, again)
			}
		})
	}
}

func TestEmbedNotes(t *testing.T) {
	src := "https://example.org/map\n\n<iframe src=\"https://maps.example.com/embed?x=1\"></iframe>\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n```\nhttps://in.code/block\n```\n"
	notes := markdown.EmbedNotes(src)
	if len(notes) != 2 {
		t.Fatalf("notes = %q, want two", notes)
	}
	if !strings.Contains(notes[0], "https://maps.example.com/embed?x=1") || !strings.Contains(notes[0], "removed") {
		t.Errorf("iframe note = %q", notes[0])
	}
	if !strings.Contains(notes[1], "https://example.org/map stays a link") || !strings.Contains(notes[1], "YouTube") {
		t.Errorf("link note = %q", notes[1])
	}
}

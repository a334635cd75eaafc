package render

import (
	"strings"
	"testing"

	"folio/internal/render/markdown"
)

// TestWordCount_Remembered checks the memo answers what counting does, for
// a body seen before and for an edited one.
func TestWordCount_Remembered(t *testing.T) {
	body := "<p>" + strings.Repeat("water policy in long form ", 50) + "</p>"
	for range 2 {
		if got, want := wordCount(body), markdown.WordCount(body); got != want {
			t.Fatalf("wordCount = %d, want %d", got, want)
		}
	}
	edited := body + "<p>one more line here</p>"
	if got, want := wordCount(edited), markdown.WordCount(edited); got != want || got == wordCount(body) {
		t.Errorf("edited body: wordCount = %d, want %d (before the edit %d)", got, want, wordCount(body))
	}
}

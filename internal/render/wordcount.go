package render

import (
	"hash/maphash"
	"sync"

	"folio/internal/render/markdown"
)

// wordCounts remembers the word count of article bodies: counting walks the
// whole body's HTML and was an eighth of an uncached article render. Keyed
// by a hash of the body itself, so an edit can never reuse a stale count.
var wordCounts = struct {
	sync.Mutex
	seed maphash.Seed
	m    map[uint64]int
}{seed: maphash.MakeSeed(), m: make(map[uint64]int)}

// maxWordCounts bounds the memo (16 bytes an entry); past it, it starts
// over.
const maxWordCounts = 1 << 17

// wordCount returns markdown.WordCount(html), remembered.
func wordCount(html string) int {
	h := maphash.String(wordCounts.seed, html)
	wordCounts.Lock()
	n, ok := wordCounts.m[h]
	wordCounts.Unlock()
	if ok {
		return n
	}
	n = markdown.WordCount(html)
	wordCounts.Lock()
	if len(wordCounts.m) >= maxWordCounts {
		clear(wordCounts.m)
	}
	wordCounts.m[h] = n
	wordCounts.Unlock()
	return n
}

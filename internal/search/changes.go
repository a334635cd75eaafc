package search

import (
	"strconv"
	"strings"

	"folio/internal/editorial"
)

// work is what a set of changes asks of the index.
type work struct {
	articles map[int64]bool
	authors  map[int64]bool
	terms    map[int64]bool
}

func newWork() *work {
	return &work{articles: map[int64]bool{}, authors: map[int64]bool{}, terms: map[int64]bool{}}
}

func (w *work) empty() bool { return len(w.articles)+len(w.authors)+len(w.terms) == 0 }

// Prefixes of the change keys the index follows, in the editorial
// vocabulary's own spelling.
var (
	articlePrefix = strings.TrimSuffix(editorial.ArticleDep(0), "0")
	authorPrefix  = strings.TrimSuffix(editorial.AuthorDep(0), "0")
	termPrefix    = strings.TrimSuffix(editorial.TermDep(0), "0")
)

// add is the one adapter from change keys to index work: an article key
// means "reindex or drop this article", an author or term key "reindex
// the articles that carry it" (a rename changes nothing indexed, but a
// deletion changes their facets). Listing and settings keys change no
// document and are ignored.
func (w *work) add(deps ...string) {
	for _, d := range deps {
		for prefix, set := range map[string]map[int64]bool{articlePrefix: w.articles, authorPrefix: w.authors, termPrefix: w.terms} {
			if rest, ok := strings.CutPrefix(d, prefix); ok {
				if id, err := strconv.ParseInt(rest, 10, 64); err == nil && id > 0 {
					set[id] = true
				}
			}
		}
	}
}

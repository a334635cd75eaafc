package search

import (
	"folio/internal/cache/key"
)

// work is what a set of change events asks of the index.
type work struct {
	articles map[int64]bool
	authors  map[int64]bool
	terms    map[int64]bool
}

func newWork() *work {
	return &work{articles: map[int64]bool{}, authors: map[int64]bool{}, terms: map[int64]bool{}}
}

// add is the one adapter from change events to index work: a changed
// article means "reindex or drop this article"; a changed author or term
// means "reindex the articles that carry it" (a rename changes nothing
// indexed, but a deletion changes their facets). Other entities (settings,
// media, redirects, users ...) change no document and are ignored.
func (w *work) add(ev key.Event) {
	for _, c := range ev.Changes {
		if c.ID <= 0 {
			continue
		}
		switch c.Entity {
		case key.EntityArticle:
			w.articles[c.ID] = true
		case key.EntityAuthor:
			w.authors[c.ID] = true
		case key.EntityTerm:
			w.terms[c.ID] = true
		}
	}
}

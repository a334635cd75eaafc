package search

import (
	"context"
	"html/template"
	"time"
)

// Index is a full-text index of public articles. Implementations are safe
// for concurrent use.
type Index interface {
	// Upsert adds or replaces documents by ID.
	Upsert(ctx context.Context, docs ...*Doc) error
	// Delete removes documents by article ID; unknown IDs are ignored.
	Delete(ctx context.Context, ids ...int64) error
	// Search runs q. An empty q.Text matches nothing and returns no error.
	// It returns an invalid content.Error for a malformed query.
	Search(ctx context.Context, q Query) (*Results, error)
	// Count returns the number of documents in the index.
	Count() (uint64, error)

	// Apply writes documents, deletions and the index's position in the
	// change log as one atomic step: after a crash the index holds the
	// documents of the position it reports, never more or less.
	Apply(ctx context.Context, u Update) error
	// State returns the stored position; ok is false for a new index.
	State() (s State, ok bool, err error)
	// DocsWith returns the IDs of documents carrying value in a facet or
	// the "tag" filter.
	DocsWith(ctx context.Context, facet, value string) ([]int64, error)
	// IDs returns every document ID.
	IDs() ([]int64, error)
	// Close flushes and releases the index.
	Close() error
}

// Doc is what the index knows of one article.
type Doc struct {
	ID          int64
	Language    string // BCP 47 tag; picks the analyzer
	Title       string
	Deck        string
	Body        string // plain text
	Authors     []int64
	Regions     []int64
	Themes      []int64
	Dossiers    []int64
	Tags        []int64
	PublishedAt time.Time
	// Year is the year of PublishedAt in the site's time zone, what the
	// year facet counts (an article of 31 December 23:30 in Kabul is of
	// that year, not the next); 0 takes it in UTC.
	Year int
}

// Sort orders results.
type Sort string

// Sort orders.
const (
	ByRelevance Sort = "relevance"
	ByDate      Sort = "date"
)

// Facet names, which are also the query-string parameters that filter by them.
const (
	FacetRegion   = "region"
	FacetTheme    = "theme"
	FacetDossier  = "dossier"
	FacetAuthor   = "author"
	FacetYear     = "year"
	FacetLanguage = "language"
)

// Facets lists the facets in the order pages show them.
var Facets = []string{FacetRegion, FacetTheme, FacetDossier, FacetAuthor, FacetYear, FacetLanguage}

// Query is one search. Filters keep only documents carrying the value (term
// and author IDs as decimal strings, years as "2026", languages as tags).
type Query struct {
	Text    string
	Filters map[string]string // facet name → value
	Sort    Sort
	Offset  int
	Limit   int // 1 to MaxLimit; DefaultLimit when 0
}

// Page sizes.
const (
	DefaultLimit = 10
	MaxLimit     = 100
	// MaxQuery is the longest query text accepted, in bytes.
	MaxQuery = 200
)

// Results is one page of hits.
type Results struct {
	Total      int
	Hits       []Hit
	Facets     map[string][]FacetValue // by facet name, most frequent first
	Suggestion string                  // a corrected query when the text looks misspelt; "" otherwise
	Took       time.Duration
}

// Hit is one matching article.
type Hit struct {
	ID       int64
	Language string
	Score    float64
	// Title and Snippet are HTML: the text escaped, matches in <mark>.
	Title   template.HTML
	Snippet template.HTML
}

// FacetValue is one value of a facet with the number of matching documents.
type FacetValue struct {
	Value string
	Count int
}

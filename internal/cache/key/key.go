// Package key is the one vocabulary of invalidation keys and change events.
//
// A rendered page records the keys of everything it read; a committed write
// names the keys of everything it changed; the page cache drops the pages
// whose keys meet. The same event carries the entities a write changed, so
// the search index, other nodes and webhooks follow writes without asking
// the writer. Readers (internal/site) and the writer (internal/editorial)
// both spell keys through this package, so the spelling cannot drift.
//
// It imports only content.
package key

import (
	"strconv"
	"time"

	"folio/internal/content"
)

// Keys read by whole classes of pages.
const (
	// Settings is read by every page; a settings change drops all.
	Settings = "settings"
	// All is read by pages listing everything (sitemaps); emitted by any
	// change to the set of public articles, authors or terms.
	All = "list:all"
	// Terms is read by pages showing the set of terms (navigation, dossier
	// blocks); emitted when a term is created, renamed or removed.
	Terms = "terms"
	// Pages is read by pages showing the page tree (a page's breadcrumb
	// and its children); emitted by any change to a public page.
	Pages = "list:pages"
	// Corrections is read by the public corrections log; emitted when a
	// correction or update note is added or withdrawn.
	Corrections = "list:corrections"
)

// Article is the key of one article's own fields.
func Article(id int64) string { return "article:" + strconv.FormatInt(id, 10) }

// Author is the key of one author's own fields.
func Author(id int64) string { return "author:" + strconv.FormatInt(id, 10) }

// Term is the key of one term's own fields.
func Term(id int64) string { return "term:" + strconv.FormatInt(id, 10) }

// Media is read by pages showing a media-library image; emitted when the
// image's record or its responsive variants change.
func Media(id int64) string { return "media:" + strconv.FormatInt(id, 10) }

// LangList is read by listings of every article in one language (home, feeds).
func LangList(lang string) string { return "list:lang:" + lang }

// AuthorList is read by listings of one author's articles.
func AuthorList(id int64) string { return "list:author:" + strconv.FormatInt(id, 10) }

// TermList is read by listings of one term's articles, and by article pages
// whose related articles come from that term.
func TermList(id int64) string { return "list:term:" + strconv.FormatInt(id, 10) }

// Group is read by pages listing the translations of one group.
func Group(id int64) string { return "group:" + strconv.FormatInt(id, 10) }

// ArticleKeys is what a change to a (in this state) touches. A state readers
// saw (published) touches its page and every listing it is or may be in; a
// state they never saw (draft, review, scheduled) touches only the article's
// own key, so editing a draft drops nothing public. Writers name the old and
// the new state, so lists an article left are dropped too.
func ArticleKeys(a *content.Article) []string {
	if a.Status != content.StatusPublished {
		return []string{Article(a.ID)}
	}
	if a.IsPage() {
		// A page is in no listing or feed: its own page, its translations,
		// the page tree and the general sitemap read it.
		return []string{Article(a.ID), Group(a.TranslationGroup), Pages, All}
	}
	keys := make([]string, 0, 4+len(a.Authors)+len(a.Terms))
	keys = append(keys, Article(a.ID), LangList(a.Language), Group(a.TranslationGroup), All)
	for _, au := range a.Authors {
		keys = append(keys, AuthorList(au.ID))
	}
	for _, t := range a.Terms {
		keys = append(keys, TermList(t.ID))
	}
	return keys
}

// Entities a change event names.
const (
	EntityArticle  = "article"
	EntityAuthor   = "author"
	EntityTerm     = "term"
	EntityMedia    = "media"
	EntitySettings = "settings"
	EntityRedirect = "redirect"
	EntityComment  = "comment"
	EntityImport   = "import_record"
	EntityToken    = "token"
	EntityUser     = "user"
)

// Operations a change names.
const (
	OpCreate    = "create"
	OpUpdate    = "update"
	OpPublish   = "publish"
	OpSchedule  = "schedule"
	OpUnpublish = "unpublish"
	OpDelete    = "delete"
)

// Change is one entity one write changed. ID is 0 for singletons (settings);
// Ref names entities whose identity is not a number (a redirect's path).
// State is the status an update moved the entity to, where a consumer must
// tell updates apart (a comment approved or marked spam, a member blocked):
// read later from the store, the status may have moved on. Parent is the
// ID of what the entity belongs to, for consumers that need it once the
// entity is gone (a comment's article).
type Change struct {
	Entity string `json:"entity"`
	ID     int64  `json:"id,omitempty"`
	Ref    string `json:"ref,omitempty"`
	Op     string `json:"op"`
	State  string `json:"state,omitempty"`
	Parent int64  `json:"parent,omitempty"`
}

// Event is what one committed write (or one committed batch) changed: the
// entities, and the keys of every page that may show them. It is published
// once, after the commit, by the editorial service; Origin is filled by the
// relay that carries it between processes.
type Event struct {
	At      time.Time `json:"at"`
	Origin  string    `json:"origin,omitempty"`
	Changes []Change  `json:"changes"`
	Keys    []string  `json:"keys"`
}

// Set collects keys once each, in first-seen order.
type Set struct {
	keys []string
	seen map[string]struct{}
}

// Add adds keys not yet in the set.
func (s *Set) Add(keys ...string) {
	if s.seen == nil {
		s.seen = make(map[string]struct{}, len(keys))
	}
	for _, k := range keys {
		if _, ok := s.seen[k]; ok {
			continue
		}
		s.seen[k] = struct{}{}
		s.keys = append(s.keys, k)
	}
}

// Keys returns the collected keys.
func (s *Set) Keys() []string { return s.keys }

// Len returns how many keys the set holds.
func (s *Set) Len() int { return len(s.keys) }

package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"folio/internal/content"
)

// Store is the whole persistence API. Methods return *content.Error with
// code not_found for missing rows, conflict for unique violations (such as a
// slug taken in the same language) and invalid for references to missing
// authors or terms. Writes are atomic: a failed call changes nothing.
type Store interface {
	ArticleStore
	AuthorStore
	TermStore
	SettingsStore
	RedirectStore
	MediaStore
	TokenStore
	CorrectionStore
	Close() error
}

// ArticleStore persists articles with their ordered authors and terms.
type ArticleStore interface {
	// FindArticleByID returns the article with its authors and terms, or not_found.
	FindArticleByID(ctx context.Context, id int64) (*content.Article, error)
	// FindArticleBySlug returns the article with slug in lang, or not_found.
	FindArticleBySlug(ctx context.Context, lang, slug string) (*content.Article, error)
	// FindArticles returns one page of articles matching f, newest first
	// (by PublishedAt, then CreatedAt, then ID), and the total matching f
	// ignoring Limit, Offset and After.
	FindArticles(ctx context.Context, f ArticleFilter) ([]*content.Article, int, error)
	// CreateArticle inserts a, which must be valid, and sets its ID,
	// TranslationGroup (its own ID when zero), CreatedAt and UpdatedAt.
	// Authors and Terms are referenced by ID and are reloaded in full. The
	// write is attributed to w.UserID (also the article's CreatedBy) and
	// recorded as the first revision.
	CreateArticle(ctx context.Context, a *content.Article, w ArticleWrite) error
	// UpdateArticle replaces every field of the stored article a.ID with a's,
	// including its authors and terms, sets a.UpdatedAt and records a
	// revision attributed to w.UserID. conflict (with field "version") when
	// w.ExpectedVersion is set and differs from the stored version. When the
	// slug of a public article changes, a 301 redirect from the old path is
	// added.
	UpdateArticle(ctx context.Context, a *content.Article, w ArticleWrite) error
	// DeleteArticle removes the article. If it was ever public, its path is
	// recorded as gone (410).
	DeleteArticle(ctx context.Context, id int64) error
	// PublishDue moves scheduled articles whose time has come to published
	// and returns their IDs.
	PublishDue(ctx context.Context, now time.Time) ([]int64, error)
	// SlugTaken reports whether slug is used by another article in lang.
	SlugTaken(ctx context.Context, lang, slug string, exceptID int64) (bool, error)
}

// CorrectionStore persists the correction and update notes of articles.
type CorrectionStore interface {
	// AddCorrection stores a valid note and sets its ID; invalid when the
	// article does not exist.
	AddCorrection(ctx context.Context, c *content.Correction) error
	// DeleteCorrection removes a note, or returns not_found.
	DeleteCorrection(ctx context.Context, id int64) error
	// FindCorrections returns notes newest first, and how many match.
	FindCorrections(ctx context.Context, f CorrectionFilter) ([]*content.Correction, int, error)
}

// CorrectionFilter selects notes. Zero fields do not filter.
type CorrectionFilter struct {
	ArticleID int64
	Limit     int
	Offset    int
}

// ArticleFilter selects articles. Zero fields do not filter, except Type.
type ArticleFilter struct {
	// Type selects articles or pages. Empty means articles, so a listing,
	// feed or sitemap never shows a page by forgetting to exclude it; a
	// lookup by IDs or TranslationGroup names its rows and returns either
	// type. AnyType returns both.
	Type       content.Type
	ParentID   *int64 // pages under this page (0: top-level pages)
	IDs        []int64
	Statuses   []content.Status
	Public     bool      // only published articles with PublishedAt <= Now
	Now        time.Time // reference time for Public; time.Now when zero
	Language   string
	AuthorID   int64
	TermID     int64   // articles carrying this term
	AnyTermIDs []int64 // articles carrying at least one of these terms
	ExcludeIDs []int64
	Featured   *bool
	// Reviewed leaves out unreviewed machine translations: listings, feeds
	// and sitemaps use it unless the site publishes them (settings
	// PublishMachineTranslations).
	Reviewed         bool
	TranslationGroup int64
	PublishedSince   time.Time // PublishedAt >= this
	// Accesses keeps articles with one of these access levels (public
	// matches articles stored without one too).
	Accesses []content.Access
	Search   string // case-insensitive substring of the title
	// SearchBody makes Search match the Markdown body too. It reads every
	// candidate's body, so it is for the editors' lists (which must find
	// drafts, unlike the reader index), not for public pages.
	SearchBody bool
	Limit      int // 0 means no limit
	Offset     int
	After      *Cursor // keyset pagination: only articles after this position
	// NoTotal skips counting the matches, and FindArticles returns -1 as
	// the total: callers that show no page count save a scan.
	NoTotal bool
	// NoBody leaves BodyMarkdown and BodyHTML empty: listings show cards
	// (title, deck, excerpt, image), and reading two bodies per card was
	// most of the bytes a listing page read.
	NoBody bool
}

// AnyType is the ArticleFilter.Type that selects articles and pages.
const AnyType content.Type = "*"

// TypeOf returns the type f selects: content.TypeArticle, content.TypePage,
// or "" for both.
func (f ArticleFilter) TypeOf() content.Type {
	switch {
	case f.Type == AnyType:
		return ""
	case f.Type != "":
		return f.Type
	case len(f.IDs) > 0 || f.TranslationGroup != 0:
		return ""
	}
	return content.TypeArticle
}

// Cursor marks a position in the newest-first article order.
type Cursor struct {
	Time time.Time // PublishedAt, or CreatedAt when never published
	ID   int64
}

// String encodes the cursor for URLs.
func (c Cursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.Time.UnixNano(), 10) + "." + strconv.FormatInt(c.ID, 10)))
}

// ParseCursor decodes a cursor made by Cursor.String.
func ParseCursor(s string) (*Cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, content.Errorf(content.EINVALID, "cursor %q is not valid", s)
	}
	ts, id, ok := strings.Cut(string(b), ".")
	n, err1 := strconv.ParseInt(ts, 10, 64)
	i, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return nil, content.Errorf(content.EINVALID, "cursor %q is not valid", s)
	}
	return &Cursor{Time: time.Unix(0, n).UTC(), ID: i}, nil
}

// CursorOf returns the position of a in the article order.
func CursorOf(a *content.Article) Cursor {
	t := a.PublishedAt
	if t.IsZero() {
		t = a.CreatedAt
	}
	return Cursor{Time: t.UTC(), ID: a.ID}
}

// AuthorStore persists authors.
type AuthorStore interface {
	FindAuthorByID(ctx context.Context, id int64) (*content.Author, error)
	FindAuthorBySlug(ctx context.Context, slug string) (*content.Author, error)
	// FindAuthors returns authors ordered by name.
	FindAuthors(ctx context.Context, f AuthorFilter) ([]*content.Author, int, error)
	// CreateAuthor inserts a valid author; conflict when the slug is taken.
	CreateAuthor(ctx context.Context, a *content.Author) error
	// UpdateAuthor replaces the stored author a.ID.
	UpdateAuthor(ctx context.Context, a *content.Author) error
	// DeleteAuthor removes the author and their bylines; conflict if they are
	// the only author of any article.
	DeleteAuthor(ctx context.Context, id int64) error
}

// AuthorFilter selects authors.
type AuthorFilter struct {
	IDs    []int64
	Limit  int
	Offset int
}

// TermStore persists regions, themes, dossiers and tags.
type TermStore interface {
	FindTermByID(ctx context.Context, id int64) (*content.Term, error)
	FindTermBySlug(ctx context.Context, kind content.TermKind, slug string) (*content.Term, error)
	// FindTerms returns terms ordered by kind then name.
	FindTerms(ctx context.Context, f TermFilter) ([]*content.Term, int, error)
	// CreateTerm inserts a valid term; conflict when kind+slug is taken.
	CreateTerm(ctx context.Context, t *content.Term) error
	UpdateTerm(ctx context.Context, t *content.Term) error
	// DeleteTerm removes the term and its links to articles.
	DeleteTerm(ctx context.Context, id int64) error
}

// TermFilter selects terms.
type TermFilter struct {
	IDs    []int64
	Kind   content.TermKind
	Active *bool
	Limit  int
	Offset int
}

// SettingsStore persists the single settings record.
type SettingsStore interface {
	// Settings returns the stored settings, or content.DefaultSettings() if none were saved.
	Settings(ctx context.Context) (*content.Settings, error)
	// UpdateSettings stores s, which must be valid.
	UpdateSettings(ctx context.Context, s *content.Settings) error
}

// RedirectStore persists old paths.
type RedirectStore interface {
	// FindRedirect returns the redirect or gone marker for path, or not_found.
	FindRedirect(ctx context.Context, path string) (*content.Redirect, error)
	// PutRedirect adds or replaces the redirect for r.From.
	PutRedirect(ctx context.Context, r *content.Redirect) error
	DeleteRedirect(ctx context.Context, path string) error
}

// MediaStore persists media records (the files live in the media directory).
type MediaStore interface {
	CreateMedia(ctx context.Context, m *content.Media) error
	FindMediaByID(ctx context.Context, id int64) (*content.Media, error)
	// FindMedia returns media newest first.
	FindMedia(ctx context.Context, limit, offset int) ([]*content.Media, int, error)
	UpdateMedia(ctx context.Context, m *content.Media) error
	DeleteMedia(ctx context.Context, id int64) error
}

// TokenStore persists API tokens by the hash of their secret.
type TokenStore interface {
	CreateToken(ctx context.Context, t *content.Token) error
	// FindTokenByHash returns the token or not_found, and records its use.
	FindTokenByHash(ctx context.Context, hash string) (*content.Token, error)
	FindTokens(ctx context.Context) ([]*content.Token, error)
	DeleteToken(ctx context.Context, id int64) error
}

// NotFound returns a not_found error naming what was looked for.
func NotFound(what string, key any) error {
	return content.Errorf(content.ENOTFOUND, "%s %v not found", what, key)
}

// Wrap adds context to err, keeping its code.
func Wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("store: "+format+": %w", append(args, err)...)
}

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

// countPublic answers the total of a public listing (a language's home, an
// author's or a term's archive) from public_counts, kept by triggers, in
// place of a COUNT(*) over the listing. ok is false for filters it does not
// cover; they are counted by scanning.
//
// public_counts counts published articles with a publish time; the filter
// also wants that time not after now, so the published articles whose time
// is still ahead (rare: a publish time set in the future) are counted with
// an index range scan from now, and subtracted.
func countPublic(ctx context.Context, tx *Tx, f store.ArticleFilter) (n int, ok bool, err error) {
	if !f.Public || f.Language == "" || (f.AuthorID != 0 && f.TermID != 0) ||
		len(f.IDs) > 0 || len(f.Statuses) > 0 || len(f.AnyTermIDs) > 0 || len(f.ExcludeIDs) > 0 ||
		f.Featured != nil || f.TranslationGroup != 0 || !f.PublishedSince.IsZero() || f.Search != "" ||
		f.TypeOf() != content.TypeArticle || f.ParentID != nil {
		return 0, false, nil
	}
	now := f.Now
	if now.IsZero() {
		now = tx.now
	}
	if now.IsZero() {
		now = time.Now()
	}
	err = tx.QueryRowContext(ctx, `SELECT n FROM public_counts WHERE author_id = ? AND term_id = ? AND language = ?`,
		f.AuthorID, f.TermID, f.Language).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		n, err = 0, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("count listing: %w", err)
	}
	// sort_time is the publish time of a published article. public_counts
	// counts pages too (its triggers predate them); pages are few and are
	// counted out through their partial index.
	scope := ""
	var scopeArg []any
	switch {
	case f.AuthorID != 0:
		scope = ` AND a.id IN (SELECT x.article_id FROM article_authors x WHERE x.author_id = ?)`
		scopeArg = []any{f.AuthorID}
	case f.TermID != 0:
		scope = ` AND a.id IN (SELECT x.article_id FROM article_terms x WHERE x.term_id = ?)`
		scopeArg = []any{f.TermID}
	}
	const published = `SELECT COUNT(*) FROM articles a WHERE a.status = 'published' AND a.language = ? AND a.published_at IS NOT NULL`
	var ahead, pagesIn int
	args := append([]any{f.Language, formatTime(now)}, scopeArg...)
	if err := tx.QueryRowContext(ctx, published+` AND a.sort_time > ? AND a.type = 'article'`+scope, args...).Scan(&ahead); err != nil {
		return 0, false, fmt.Errorf("count listing: %w", err)
	}
	args = append([]any{f.Language}, scopeArg...)
	// The planner would walk every published article of the language for
	// this (reading each row's type past its body); the partial index of
	// pages holds only the few pages.
	const pages = `SELECT COUNT(*) FROM articles a INDEXED BY articles_pages WHERE a.type = 'page' AND a.status = 'published' AND a.language = ? AND a.published_at IS NOT NULL`
	if err := tx.QueryRowContext(ctx, pages+scope, args...).Scan(&pagesIn); err != nil {
		return 0, false, fmt.Errorf("count listing pages: %w", err)
	}
	return max(n-ahead-pagesIn, 0), true, nil
}

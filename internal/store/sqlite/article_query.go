package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

// The article reads every query shares: the row scan, the filter's WHERE
// clause, and loading authors and terms for a page of articles at once.

type scanner interface{ Scan(dest ...any) error }

func scanArticle(sc scanner) (*content.Article, error) {
	var a content.Article
	var image sql.NullString
	var createdBy sql.NullInt64
	err := sc.Scan(&a.ID, &a.Language, &a.TranslationGroup, &a.Title, &a.Deck, &a.Slug,
		&a.BodyMarkdown, &a.BodyHTML, &a.Excerpt, &a.Status, &a.Featured, &image, &a.License,
		&a.SourceURL, &a.SourceName, timeDst(&a.PublishedAt), timeDst(&a.CreatedAt), timeDst(&a.UpdatedAt),
		&a.Version, &createdBy, &a.Access, &a.AccessTier, timeDst(&a.FreeAt))
	if err != nil {
		return nil, err
	}
	a.CreatedBy = createdBy.Int64
	if image.Valid {
		a.Image = new(content.Image)
		if err := json.Unmarshal([]byte(image.String), a.Image); err != nil {
			return nil, fmt.Errorf("article %d: image: %w", a.ID, err)
		}
	}
	a.Authors = []*content.Author{}
	a.Terms = []*content.Term{}
	return &a, nil
}

// findArticleRow loads the article row alone, without authors and terms.
func findArticleRow(ctx context.Context, tx *Tx, where string, args ...any) (*content.Article, error) {
	return scanArticle(tx.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM articles a WHERE `+where, args...))
}

func findArticle(ctx context.Context, tx *Tx, where string, args ...any) (*content.Article, error) {
	a, err := findArticleRow(ctx, tx, where, args...)
	if err != nil {
		return nil, err
	}
	if err := attachRelations(ctx, tx, []*content.Article{a}); err != nil {
		return nil, err
	}
	return a, nil
}

// articleWhere builds the conditions of f shared by the count and the page
// query; the keyset cursor is added by the caller because the total ignores it.
func articleWhere(f store.ArticleFilter, now time.Time) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, a ...any) {
		conds = append(conds, cond)
		args = append(args, a...)
	}
	if len(f.IDs) > 0 {
		add(`a.id IN (SELECT value FROM json_each(?))`, idsJSON(f.IDs))
	}
	if len(f.Statuses) > 0 {
		ss := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			ss[i] = string(s)
		}
		b, _ := json.Marshal(ss)
		add(`a.status IN (SELECT value FROM json_each(?))`, string(b))
	}
	if f.Public {
		if !f.Now.IsZero() {
			now = f.Now
		}
		// A lookup by group or by IDs touches a handful of rows; the unary
		// + keeps the planner (which has no statistics) from scanning the
		// whole status index for it.
		status := "a.status"
		if f.TranslationGroup != 0 || len(f.IDs) > 0 {
			status = "+a.status"
		}
		add(status+` = 'published' AND a.published_at IS NOT NULL AND a.published_at <= ?`, formatTime(now))
	}
	if f.Language != "" {
		add(`a.language = ?`, f.Language)
	}
	if f.AuthorID != 0 {
		// IN (list) is built once per query as an in-memory set, probed for
		// each index entry; EXISTS would walk the b-tree for every entry.
		add(`a.id IN (SELECT x.article_id FROM article_authors x WHERE x.author_id = ?)`, f.AuthorID)
	}
	if f.TermID != 0 {
		add(`a.id IN (SELECT x.article_id FROM article_terms x WHERE x.term_id = ?)`, f.TermID)
	}
	if len(f.AnyTermIDs) > 0 {
		add(`EXISTS (SELECT 1 FROM article_terms x WHERE x.article_id = a.id AND x.term_id IN (SELECT value FROM json_each(?)))`, idsJSON(f.AnyTermIDs))
	}
	if len(f.ExcludeIDs) > 0 {
		add(`a.id NOT IN (SELECT value FROM json_each(?))`, idsJSON(f.ExcludeIDs))
	}
	if f.Featured != nil {
		add(`a.featured = ?`, *f.Featured)
	}
	if f.TranslationGroup != 0 {
		add(`a.translation_group = ?`, f.TranslationGroup)
	}
	if !f.PublishedSince.IsZero() {
		add(`a.published_at >= ?`, formatTime(f.PublishedSince))
	}
	if f.Search != "" {
		// instr on folded text, not LIKE: SQLite's LIKE folds ASCII only, and
		// a substring test needs no escaping of % and _.
		if f.SearchBody {
			add(`(instr(folio_fold(a.title), folio_fold(?)) > 0 OR instr(folio_fold(a.body_markdown), folio_fold(?)) > 0)`, f.Search, f.Search)
		} else {
			add(`instr(folio_fold(a.title), folio_fold(?)) > 0`, f.Search)
		}
	}
	if len(conds) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func findArticles(ctx context.Context, tx *Tx, f store.ArticleFilter) ([]*content.Article, int, error) {
	where, args := articleWhere(f, tx.now)
	total := -1
	if !f.NoTotal {
		n, ok, err := countPublic(ctx, tx, f)
		if err != nil {
			return nil, 0, err
		}
		total = n
		if !ok {
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles a`+where, args...).Scan(&total); err != nil {
				return nil, 0, err
			}
		}
	}
	if f.After != nil {
		if where == "" {
			where = " WHERE "
		} else {
			where += " AND "
		}
		where += `(a.sort_time, a.id) < (?, ?)`
		args = append(args, formatTime(f.After.Time), f.After.ID)
	}
	args = append(args, limitArg(f.Limit), max(f.Offset, 0))
	rows, err := tx.QueryContext(ctx, `SELECT `+articleColumns+` FROM articles a`+where+
		` ORDER BY a.sort_time DESC, a.id DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	as := []*content.Article{}
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, 0, err
		}
		as = append(as, a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if err := attachRelations(ctx, tx, as); err != nil {
		return nil, 0, err
	}
	return as, total, nil
}

// attachRelations loads the authors and terms of every article in as with
// one query each, whatever the page size.
func attachRelations(ctx context.Context, tx *Tx, as []*content.Article) error {
	if len(as) == 0 {
		return nil
	}
	byID := make(map[int64]*content.Article, len(as))
	ids := make([]int64, len(as))
	for i, a := range as {
		byID[a.ID] = a
		ids[i] = a.ID
	}
	arg := idsJSON(ids)

	rows, err := tx.QueryContext(ctx, `SELECT x.article_id, `+authorColumns+`
		FROM article_authors x JOIN authors au ON au.id = x.author_id
		WHERE x.article_id IN (SELECT value FROM json_each(?))
		ORDER BY x.article_id, x.position`, arg)
	if err != nil {
		return fmt.Errorf("load authors: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var aid int64
		au, err := scanAuthor(rows, &aid)
		if err != nil {
			return fmt.Errorf("load authors: %w", err)
		}
		byID[aid].Authors = append(byID[aid].Authors, au)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load authors: %w", err)
	}
	rows.Close()

	rows, err = tx.QueryContext(ctx, `SELECT x.article_id, `+termColumns+`
		FROM article_terms x JOIN terms t ON t.id = x.term_id
		WHERE x.article_id IN (SELECT value FROM json_each(?))
		ORDER BY x.article_id, x.position`, arg)
	if err != nil {
		return fmt.Errorf("load terms: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var aid int64
		t, err := scanTerm(rows, &aid)
		if err != nil {
			return fmt.Errorf("load terms: %w", err)
		}
		byID[aid].Terms = append(byID[aid].Terms, t)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load terms: %w", err)
	}
	rows.Close()
	return attachTranslations(ctx, tx, byID, arg)
}

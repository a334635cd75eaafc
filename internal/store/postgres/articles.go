package postgres

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

const articleColumns = `a.id, a.language, a.translation_group, a.title, a.deck, a.slug,
	a.body_markdown, a.body_html, a.excerpt, a.status, a.featured, a.image, a.license,
	a.source_url, a.source_name, a.published_at, a.created_at, a.updated_at, a.version, a.created_by,
	a.access, a.access_tier, a.free_at`

// FindArticleByID returns the article with its authors and terms, or not_found.
func (db *DB) FindArticleByID(ctx context.Context, id int64) (*content.Article, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, store.Wrap(err, "find article %d", id)
	}
	defer tx.rollback()
	a, err := findArticle(ctx, tx, "a.id = ?", id)
	if err != nil {
		return nil, store.Wrap(mapError(err, func() error { return store.NotFound("article", id) }), "find article %d", id)
	}
	return a, nil
}

// FindArticleBySlug returns the article with slug in lang, or not_found.
func (db *DB) FindArticleBySlug(ctx context.Context, lang, slug string) (*content.Article, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, store.Wrap(err, "find article %s/%s", lang, slug)
	}
	defer tx.rollback()
	a, err := findArticle(ctx, tx, "a.language = ? AND a.slug = ?", lang, slug)
	if err != nil {
		return nil, store.Wrap(mapError(err, func() error {
			return content.Errorf(content.ENOTFOUND, "article %q not found in language %q", slug, lang)
		}), "find article %s/%s", lang, slug)
	}
	return a, nil
}

// FindArticles returns one page of articles matching f, newest first, and
// the number matching f without Limit, Offset and After.
func (db *DB) FindArticles(ctx context.Context, f store.ArticleFilter) ([]*content.Article, int, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, store.Wrap(err, "find articles")
	}
	defer tx.rollback()
	as, n, err := findArticles(ctx, tx, f)
	if err != nil {
		return nil, 0, store.Wrap(err, "find articles")
	}
	return as, n, nil
}

// CreateArticle validates and inserts a, then fills its ID, TranslationGroup,
// times and the full authors and terms, and records the first revision
// attributed to w.UserID.
func (db *DB) CreateArticle(ctx context.Context, a *content.Article, w store.ArticleWrite) error {
	if err := a.Validate(); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "create article")
	}
	defer tx.rollback()
	if err := createArticle(ctx, tx, a, w); err != nil {
		return store.Wrap(err, "create article %q", a.Slug)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "create article %q", a.Slug)
	}
	return nil
}

// UpdateArticle replaces the stored article a.ID with a, including authors and
// terms, checked against w.ExpectedVersion, and keeps old public paths
// working through redirects.
func (db *DB) UpdateArticle(ctx context.Context, a *content.Article, w store.ArticleWrite) error {
	if err := a.Validate(); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "update article %d", a.ID)
	}
	defer tx.rollback()
	if err := updateArticle(ctx, tx, a, w); err != nil {
		return store.Wrap(err, "update article %d", a.ID)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "update article %d", a.ID)
	}
	return nil
}

// DeleteArticle removes the article; a path readers have seen is marked gone.
func (db *DB) DeleteArticle(ctx context.Context, id int64) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "delete article %d", id)
	}
	defer tx.rollback()
	if err := deleteArticle(ctx, tx, id); err != nil {
		return store.Wrap(err, "delete article %d", id)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "delete article %d", id)
	}
	return nil
}

// PublishDue publishes scheduled articles whose time is at or before now and
// returns their IDs, oldest first.
func (db *DB) PublishDue(ctx context.Context, now time.Time) ([]int64, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, store.Wrap(err, "publish due articles")
	}
	defer tx.rollback()
	ids, err := publishDue(ctx, tx, now)
	if err != nil {
		return nil, store.Wrap(err, "publish due articles")
	}
	if err := tx.Commit(); err != nil {
		return nil, store.Wrap(err, "publish due articles")
	}
	return ids, nil
}

// SlugTaken reports whether another article than exceptID uses slug in lang.
func (db *DB) SlugTaken(ctx context.Context, lang, slug string, exceptID int64) (bool, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return false, store.Wrap(err, "check slug %q", slug)
	}
	defer tx.rollback()
	var taken bool
	err = tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM articles WHERE language = ? AND slug = ? AND id <> ?)`,
		lang, slug, exceptID).Scan(&taken)
	if err != nil {
		return false, store.Wrap(err, "check slug %q", slug)
	}
	return taken, nil
}

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
		add(`a.id = ANY(?)`, f.IDs)
	}
	if len(f.Statuses) > 0 {
		ss := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			ss[i] = string(s)
		}
		add(`a.status = ANY(?)`, ss)
	}
	if f.Public {
		if !f.Now.IsZero() {
			now = f.Now
		}
		add(`a.status = 'published' AND a.published_at IS NOT NULL AND a.published_at <= ?`, dbTime(now))
	}
	if f.Language != "" {
		add(`a.language = ?`, f.Language)
	}
	if f.AuthorID != 0 {
		add(`a.id IN (SELECT x.article_id FROM article_authors x WHERE x.author_id = ?)`, f.AuthorID)
	}
	if f.TermID != 0 {
		add(`a.id IN (SELECT x.article_id FROM article_terms x WHERE x.term_id = ?)`, f.TermID)
	}
	if len(f.AnyTermIDs) > 0 {
		add(`EXISTS (SELECT 1 FROM article_terms x WHERE x.article_id = a.id AND x.term_id = ANY(?))`, f.AnyTermIDs)
	}
	if len(f.ExcludeIDs) > 0 {
		add(`a.id <> ALL(?)`, f.ExcludeIDs)
	}
	if f.Featured != nil {
		add(`a.featured = ?`, *f.Featured)
	}
	if f.TranslationGroup != 0 {
		add(`a.translation_group = ?`, f.TranslationGroup)
	}
	if !f.PublishedSince.IsZero() {
		add(`a.published_at >= ?`, dbTime(f.PublishedSince))
	}
	if f.Search != "" {
		// strpos, not LIKE, so % and _ need no escaping; lower() folds any
		// script under the database's UTF-8 character type.
		if f.SearchBody {
			add(`(strpos(lower(a.title), lower(?)) > 0 OR strpos(lower(a.body_markdown), lower(?)) > 0)`, f.Search, f.Search)
		} else {
			add(`strpos(lower(a.title), lower(?)) > 0`, f.Search)
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
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles a`+where, args...).Scan(&total); err != nil {
			return nil, 0, err
		}
	}
	if f.After != nil {
		if where == "" {
			where = " WHERE "
		} else {
			where += " AND "
		}
		where += `(a.sort_time, a.id) < (?, ?)`
		args = append(args, dbTime(f.After.Time), f.After.ID)
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
	arg := ids

	rows, err := tx.QueryContext(ctx, `SELECT x.article_id, `+authorColumns+`
		FROM article_authors x JOIN authors au ON au.id = x.author_id
		WHERE x.article_id = ANY(?)
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
		WHERE x.article_id = ANY(?)
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

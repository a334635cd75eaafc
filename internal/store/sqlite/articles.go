package sqlite

import (
	"context"
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

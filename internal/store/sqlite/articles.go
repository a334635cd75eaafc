package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

const articleColumns = `a.id, a.language, a.translation_group, a.title, a.deck, a.slug,
	a.body_markdown, a.body_html, a.excerpt, a.status, a.featured, a.image, a.license,
	a.source_url, a.source_name, a.published_at, a.created_at, a.updated_at, a.version, a.created_by`

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
		&a.Version, &createdBy)
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
		add(`instr(folio_fold(a.title), folio_fold(?)) > 0`, f.Search)
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

// checkReferences verifies inside the write transaction that every author and
// term exists, so the error can name the missing ID; a foreign key failure
// could not say which one it was.
func checkReferences(ctx context.Context, tx *Tx, a *content.Article) error {
	p := content.Problems{}
	authorIDs := make([]int64, len(a.Authors))
	for i, au := range a.Authors {
		authorIDs[i] = au.ID
	}
	missing, err := missingIDs(ctx, tx, "authors", authorIDs)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		p.Add("authors", "%s", describeMissing("author", missing))
	}
	termIDs := make([]int64, len(a.Terms))
	for i, t := range a.Terms {
		termIDs[i] = t.ID
	}
	missing, err = missingIDs(ctx, tx, "terms", termIDs)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		p.Add("terms", "%s", describeMissing("term", missing))
	}
	return p.Err("article")
}

func describeMissing(what string, ids []int64) string {
	if len(ids) == 1 {
		return fmt.Sprintf("%s %d does not exist", what, ids[0])
	}
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return fmt.Sprintf("%ss %s do not exist", what, strings.Join(s, ", "))
}

// missingIDs returns the ids, in the given order, that have no row in table.
func missingIDs(ctx context.Context, tx *Tx, table string, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM `+table+` WHERE id IN (SELECT value FROM json_each(?))`, idsJSON(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	found := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		found[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var missing []int64
	for _, id := range ids {
		if !found[id] {
			missing = append(missing, id)
		}
	}
	return missing, nil
}

// articleArgs returns the stored values of a's own columns, in the order of
// the INSERT and UPDATE statements below.
func articleArgs(a *content.Article) ([]any, error) {
	var image any
	if a.Image != nil {
		b, err := json.Marshal(a.Image)
		if err != nil {
			return nil, fmt.Errorf("encode image: %w", err)
		}
		image = string(b)
	}
	return []any{a.Language, a.TranslationGroup, a.Title, a.Deck, a.Slug, a.BodyMarkdown, a.BodyHTML,
		a.Excerpt, string(a.Status), a.Featured, image, a.License, a.SourceURL, a.SourceName,
		nullTime(a.PublishedAt)}, nil
}

// sortTime is the listing position: the publish time, or the creation time
// for pieces never given one.
func sortTime(a *content.Article) string {
	if !a.PublishedAt.IsZero() {
		return formatTime(a.PublishedAt)
	}
	return formatTime(a.CreatedAt)
}

func slugConflict(a *content.Article) error {
	return conflict("slug", "slug %q is already used in language %q", a.Slug, a.Language)
}

func createArticle(ctx context.Context, tx *Tx, a *content.Article, w store.ArticleWrite) error {
	if err := checkReferences(ctx, tx, a); err != nil {
		return err
	}
	args, err := articleArgs(a)
	if err != nil {
		return err
	}
	created := *a
	created.CreatedAt, created.UpdatedAt = tx.now, tx.now
	created.Version, created.CreatedBy = 1, w.UserID
	args = append(args, sortTime(&created), formatTime(tx.now), formatTime(tx.now), optionalID(w.UserID))
	res, err := tx.ExecContext(ctx, `INSERT INTO articles (language, translation_group, title, deck, slug,
		body_markdown, body_html, excerpt, status, featured, image, license, source_url, source_name,
		published_at, sort_time, created_at, updated_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
	if isUnique(err) {
		return slugConflict(a)
	} else if err != nil {
		return mapError(err, nil)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	created.ID = id
	if created.TranslationGroup == 0 {
		created.TranslationGroup = id
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET translation_group = ? WHERE id = ?`, id, id); err != nil {
			return err
		}
	}
	if err := setArticleRelations(ctx, tx, &created); err != nil {
		return err
	}
	if err := setArticleTranslation(ctx, tx, &created); err != nil {
		return err
	}
	// A path that lives again must not keep answering 410 or redirecting away.
	path, err := articlePath(ctx, tx, &created)
	if err != nil {
		return err
	}
	if err := deleteRedirectFrom(ctx, tx, path); err != nil {
		return err
	}
	if err := reloadRelations(ctx, tx, &created); err != nil {
		return err
	}
	if err := insertRevision(ctx, tx, &created, w); err != nil {
		return err
	}
	*a = created
	return nil
}

func updateArticle(ctx context.Context, tx *Tx, a *content.Article, w store.ArticleWrite) error {
	old, err := findArticleRow(ctx, tx, "a.id = ?", a.ID)
	if err != nil {
		return mapError(err, func() error { return store.NotFound("article", a.ID) })
	}
	if err := checkVersion(old, w); err != nil {
		return err
	}
	if err := checkReferences(ctx, tx, a); err != nil {
		return err
	}
	updated := *a
	updated.CreatedAt, updated.UpdatedAt = old.CreatedAt, tx.now
	updated.Version, updated.CreatedBy = old.Version+1, old.CreatedBy
	if updated.TranslationGroup == 0 {
		updated.TranslationGroup = old.TranslationGroup
	}
	args, err := articleArgs(&updated)
	if err != nil {
		return err
	}
	args = append(args, sortTime(&updated), formatTime(tx.now), updated.Version, a.ID)
	_, err = tx.ExecContext(ctx, `UPDATE articles SET language = ?, translation_group = ?, title = ?,
		deck = ?, slug = ?, body_markdown = ?, body_html = ?, excerpt = ?, status = ?, featured = ?,
		image = ?, license = ?, source_url = ?, source_name = ?, published_at = ?, sort_time = ?,
		updated_at = ?, version = ? WHERE id = ?`, args...)
	if isUnique(err) {
		return slugConflict(a)
	} else if err != nil {
		return mapError(err, nil)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM article_authors WHERE article_id = ?`, a.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM article_terms WHERE article_id = ?`, a.ID); err != nil {
		return err
	}
	if err := setArticleRelations(ctx, tx, &updated); err != nil {
		return err
	}
	if err := setArticleTranslation(ctx, tx, &updated); err != nil {
		return err
	}
	if err := redirectMovedArticle(ctx, tx, old, &updated); err != nil {
		return err
	}
	if err := reloadRelations(ctx, tx, &updated); err != nil {
		return err
	}
	if err := insertRevision(ctx, tx, &updated, w); err != nil {
		return err
	}
	*a = updated
	return nil
}

// redirectMovedArticle keeps links to a public article working after its
// path changed (new slug or language) and frees its new path of any old
// redirect or gone marker.
func redirectMovedArticle(ctx context.Context, tx *Tx, old, updated *content.Article) error {
	oldPath, err := articlePath(ctx, tx, old)
	if err != nil {
		return err
	}
	newPath, err := articlePath(ctx, tx, updated)
	if err != nil {
		return err
	}
	if err := deleteRedirectFrom(ctx, tx, newPath); err != nil {
		return err
	}
	if oldPath == newPath || !wasPublic(old, tx.now) {
		return nil
	}
	// Point earlier redirects straight at the new path so readers never
	// follow a chain.
	if _, err := tx.ExecContext(ctx, `UPDATE redirects SET to_path = ? WHERE to_path = ? AND status <> 410`,
		newPath, oldPath); err != nil {
		return err
	}
	return putRedirect(ctx, tx, &content.Redirect{From: oldPath, To: newPath, Status: 301})
}

// wasPublic reports whether readers may have seen a at its path: it is
// published (or archived after publication) and its time has come.
func wasPublic(a *content.Article, now time.Time) bool {
	if a.Status != content.StatusPublished && a.Status != content.StatusArchived {
		return false
	}
	return !a.PublishedAt.IsZero() && !a.PublishedAt.After(now)
}

func setArticleRelations(ctx context.Context, tx *Tx, a *content.Article) error {
	for i, au := range a.Authors {
		_, err := tx.ExecContext(ctx, `INSERT INTO article_authors (article_id, author_id, position) VALUES (?, ?, ?)`,
			a.ID, au.ID, i)
		if err != nil {
			return fmt.Errorf("set author %d: %w", au.ID, mapError(err, nil))
		}
	}
	for i, t := range a.Terms {
		_, err := tx.ExecContext(ctx, `INSERT INTO article_terms (article_id, term_id, position) VALUES (?, ?, ?)`,
			a.ID, t.ID, i)
		if err != nil {
			return fmt.Errorf("set term %d: %w", t.ID, mapError(err, nil))
		}
	}
	return nil
}

// reloadRelations replaces the ID-only authors and terms the caller gave with
// the stored records.
func reloadRelations(ctx context.Context, tx *Tx, a *content.Article) error {
	a.Authors = []*content.Author{}
	a.Terms = []*content.Term{}
	return attachRelations(ctx, tx, []*content.Article{a})
}

func deleteArticle(ctx context.Context, tx *Tx, id int64) error {
	old, err := findArticleRow(ctx, tx, "a.id = ?", id)
	if err != nil {
		return mapError(err, func() error { return store.NotFound("article", id) })
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE id = ?`, id); err != nil {
		return err
	}
	if !wasPublic(old, tx.now) {
		return nil
	}
	path, err := articlePath(ctx, tx, old)
	if err != nil {
		return err
	}
	// Redirects that led here now lead nowhere: they are gone too, which
	// tells crawlers more than dropping them (404) would.
	if _, err := tx.ExecContext(ctx, `UPDATE redirects SET to_path = '', status = 410 WHERE to_path = ?`, path); err != nil {
		return err
	}
	return putRedirect(ctx, tx, &content.Redirect{From: path, Status: 410})
}

func publishDue(ctx context.Context, tx *Tx, now time.Time) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM articles
		WHERE status = 'scheduled' AND published_at <= ? ORDER BY published_at, id`, formatTime(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return ids, nil
	}
	_, err = tx.ExecContext(ctx, `UPDATE articles SET status = 'published', updated_at = ?, version = version + 1
		WHERE id IN (SELECT value FROM json_each(?))`, formatTime(tx.now), idsJSON(ids))
	if err != nil {
		return nil, err
	}
	return ids, insertRevisionsOf(ctx, tx, ids)
}

// articlePath returns the public path of a: "/{slug}/" in the site's default
// language, "/{lang}/{slug}/" otherwise.
func articlePath(ctx context.Context, tx *Tx, a *content.Article) (string, error) {
	def, err := defaultLanguage(ctx, tx)
	if err != nil {
		return "", err
	}
	if a.Language == def {
		return "/" + a.Slug + "/", nil
	}
	return "/" + a.Language + "/" + a.Slug + "/", nil
}

// idsJSON encodes ids as a JSON array for json_each, so any number of IDs
// binds as one parameter.
func idsJSON(ids []int64) string {
	b := make([]byte, 0, len(ids)*8+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

// The article writes, on one transaction: references checked, relations
// replaced, redirects kept for moved and removed public paths.

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
		nullTime(a.PublishedAt), string(a.Access.OrPublic()), a.AccessTier, nullTime(a.FreeAt)}, nil
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
		published_at, access, access_tier, free_at, sort_time, created_at, updated_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
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
	if err := store.CheckVersion(old, w); err != nil {
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
		image = ?, license = ?, source_url = ?, source_name = ?, published_at = ?, access = ?, access_tier = ?, free_at = ?, sort_time = ?,
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

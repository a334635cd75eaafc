package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"folio/internal/content"
	"folio/internal/store"
)

var _ store.RevisionStore = (*DB)(nil)

// checkVersion refuses a write based on a version other than the stored
// one. The check runs inside the write transaction, which holds SQLite's
// write lock, so two saves of the same version cannot both pass it.
func checkVersion(old *content.Article, w store.ArticleWrite) error {
	if w.ExpectedVersion == 0 || w.ExpectedVersion == old.Version {
		return nil
	}
	return conflict("version", "the article was changed by someone else (version %d, you edited version %d)",
		old.Version, w.ExpectedVersion)
}

// optionalID stores 0 as NULL for optional references.
func optionalID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func snapshotOf(a *content.Article) store.RevisionSnapshot {
	s := store.RevisionSnapshot{Language: a.Language, Featured: a.Featured, Image: a.Image, License: a.License,
		SourceURL: a.SourceURL, SourceName: a.SourceName, PublishedAt: a.PublishedAt,
		AuthorIDs: []int64{}, TermIDs: []int64{}}
	for _, au := range a.Authors {
		s.AuthorIDs = append(s.AuthorIDs, au.ID)
	}
	for _, t := range a.Terms {
		s.TermIDs = append(s.TermIDs, t.ID)
	}
	return s
}

// insertRevision records a as stored by the write w.
func insertRevision(ctx context.Context, tx *Tx, a *content.Article, w store.ArticleWrite) error {
	snap, err := json.Marshal(snapshotOf(a))
	if err != nil {
		return fmt.Errorf("encode revision snapshot: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO article_revisions (article_id, version, user_id, at, title,
		deck, slug, body_markdown, excerpt, status, snapshot, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.Version, optionalID(w.UserID), formatTime(tx.now), a.Title, a.Deck, a.Slug, a.BodyMarkdown,
		a.Excerpt, string(a.Status), string(snap), w.Note)
	if err != nil {
		return fmt.Errorf("record revision: %w", mapError(err, nil))
	}
	return nil
}

// insertRevisionsOf records the current state of the articles ids, for
// writes (scheduled publishing) that change rows without loading them.
func insertRevisionsOf(ctx context.Context, tx *Tx, ids []int64) error {
	as, _, err := findArticles(ctx, tx, store.ArticleFilter{IDs: ids})
	if err != nil {
		return err
	}
	for _, a := range as {
		if err := insertRevision(ctx, tx, a, store.ArticleWrite{Note: "published on schedule"}); err != nil {
			return err
		}
	}
	return nil
}

const revisionColumns = `id, article_id, version, user_id, at, title, deck, slug, body_markdown,
	excerpt, status, snapshot, note`

func scanRevision(sc scanner) (*store.Revision, error) {
	var r store.Revision
	var user sql.NullInt64
	var snap string
	err := sc.Scan(&r.ID, &r.ArticleID, &r.Version, &user, timeDst(&r.At), &r.Title, &r.Deck, &r.Slug,
		&r.BodyMarkdown, &r.Excerpt, &r.Status, &snap, &r.Note)
	if err != nil {
		return nil, err
	}
	r.UserID = user.Int64
	if err := json.Unmarshal([]byte(snap), &r.Snapshot); err != nil {
		return nil, fmt.Errorf("revision %d: snapshot: %w", r.ID, err)
	}
	return &r, nil
}

// FindRevisions returns the article's revisions, newest first.
func (db *DB) FindRevisions(ctx context.Context, articleID int64) ([]*store.Revision, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, store.Wrap(err, "find revisions of article %d", articleID)
	}
	defer tx.rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+revisionColumns+` FROM article_revisions
		WHERE article_id = ? ORDER BY version DESC, id DESC`, articleID)
	if err != nil {
		return nil, store.Wrap(err, "find revisions of article %d", articleID)
	}
	defer rows.Close()
	out := []*store.Revision{}
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, store.Wrap(err, "find revisions of article %d", articleID)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, store.Wrap(err, "find revisions of article %d", articleID)
	}
	return out, nil
}

// FindRevision returns one revision, or not_found.
func (db *DB) FindRevision(ctx context.Context, id int64) (*store.Revision, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, store.Wrap(err, "find revision %d", id)
	}
	defer tx.rollback()
	r, err := scanRevision(tx.QueryRowContext(ctx, `SELECT `+revisionColumns+` FROM article_revisions WHERE id = ?`, id))
	if err != nil {
		return nil, store.Wrap(mapError(err, func() error { return store.NotFound("revision", id) }), "find revision %d", id)
	}
	return r, nil
}

// PutAutosave stores or replaces the user's autosave of the article.
func (db *DB) PutAutosave(ctx context.Context, s *store.Autosave) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "autosave article %d", s.ArticleID)
	}
	defer tx.rollback()
	s.At = tx.now
	_, err = tx.ExecContext(ctx, `INSERT INTO article_autosaves (article_id, user_id, base_version, at, title, body_markdown)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (article_id, user_id) DO UPDATE SET base_version = excluded.base_version,
			at = excluded.at, title = excluded.title, body_markdown = excluded.body_markdown`,
		s.ArticleID, s.UserID, s.BaseVersion, formatTime(s.At), s.Title, s.BodyMarkdown)
	if err != nil {
		return store.Wrap(mapError(err, nil), "autosave article %d", s.ArticleID)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "autosave article %d", s.ArticleID)
	}
	return nil
}

// FindAutosave returns the user's autosave of the article, or not_found.
func (db *DB) FindAutosave(ctx context.Context, articleID, userID int64) (*store.Autosave, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, store.Wrap(err, "find autosave of article %d", articleID)
	}
	defer tx.rollback()
	s := store.Autosave{ArticleID: articleID, UserID: userID}
	err = tx.QueryRowContext(ctx, `SELECT base_version, at, title, body_markdown FROM article_autosaves
		WHERE article_id = ? AND user_id = ?`, articleID, userID).Scan(&s.BaseVersion, timeDst(&s.At), &s.Title, &s.BodyMarkdown)
	if err != nil {
		return nil, store.Wrap(mapError(err, func() error { return store.NotFound("autosave of article", articleID) }),
			"find autosave of article %d", articleID)
	}
	return &s, nil
}

// DeleteAutosave removes the user's autosave of the article.
func (db *DB) DeleteAutosave(ctx context.Context, articleID, userID int64) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "delete autosave of article %d", articleID)
	}
	defer tx.rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM article_autosaves WHERE article_id = ? AND user_id = ?`, articleID, userID); err != nil {
		return store.Wrap(err, "delete autosave of article %d", articleID)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "delete autosave of article %d", articleID)
	}
	return nil
}

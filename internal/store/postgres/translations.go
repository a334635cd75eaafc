package postgres

import (
	"context"
	"fmt"

	"folio/internal/content"
	"folio/internal/store"
)

var _ store.TranslationStore = (*DB)(nil)

// attachTranslations loads the TranslationInfo of the articles in byID
// (whose IDs are the JSON array arg) with one query.
func attachTranslations(ctx context.Context, tx *Tx, byID map[int64]*content.Article, ids []int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT article_id, source_id, source_lang, machine, reviewed,
		outdated, provider, source_version, translated_by
		FROM article_translations WHERE article_id = ANY(?)`, ids)
	if err != nil {
		return fmt.Errorf("load translations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t content.TranslationInfo
		if err := rows.Scan(&id, &t.SourceID, &t.SourceLang, &t.Machine, &t.Reviewed, &t.Outdated,
			&t.Provider, &t.SourceVersion, &t.TranslatedBy); err != nil {
			return fmt.Errorf("load translations: %w", err)
		}
		byID[id].Translation = &t
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load translations: %w", err)
	}
	return nil
}

// setArticleTranslation makes the stored TranslationInfo of a match
// a.Translation: written when set, removed when nil.
func setArticleTranslation(ctx context.Context, tx *Tx, a *content.Article) error {
	t := a.Translation
	if t == nil {
		_, err := tx.ExecContext(ctx, `DELETE FROM article_translations WHERE article_id = ?`, a.ID)
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO article_translations (article_id, source_id, source_lang,
		machine, reviewed, outdated, provider, source_version, translated_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (article_id) DO UPDATE SET source_id = excluded.source_id,
		source_lang = excluded.source_lang, machine = excluded.machine, reviewed = excluded.reviewed,
		outdated = excluded.outdated, provider = excluded.provider,
		source_version = excluded.source_version, translated_by = excluded.translated_by`,
		a.ID, t.SourceID, t.SourceLang, t.Machine, t.Reviewed, t.Outdated, t.Provider, t.SourceVersion, t.TranslatedBy)
	if err != nil {
		return fmt.Errorf("set translation: %w", err)
	}
	return nil
}

// LookupMemory returns the stored targets of the given hashes and counts a
// hit on each.
func (db *DB) LookupMemory(ctx context.Context, from, to, provider string, hashes []string) (map[string]string, error) {
	out := make(map[string]string, len(hashes))
	if len(hashes) == 0 {
		return out, nil
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, store.Wrap(err, "look up translation memory")
	}
	defer tx.rollback()
	const where = ` WHERE source_lang = ? AND target_lang = ? AND provider = ?
		AND source_hash = ANY(?)`
	rows, err := tx.QueryContext(ctx, `SELECT source_hash, target_text FROM translation_memory`+where,
		from, to, provider, hashes)
	if err != nil {
		return nil, store.Wrap(err, "look up translation memory")
	}
	defer rows.Close()
	for rows.Next() {
		var h, text string
		if err := rows.Scan(&h, &text); err != nil {
			return nil, store.Wrap(err, "look up translation memory")
		}
		out[h] = text
	}
	if err := rows.Err(); err != nil {
		return nil, store.Wrap(err, "look up translation memory")
	}
	rows.Close()
	if len(out) > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE translation_memory SET hits = hits + 1`+where,
			from, to, provider, hashes); err != nil {
			return nil, store.Wrap(err, "count translation memory hits")
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, store.Wrap(err, "look up translation memory")
	}
	return out, nil
}

// PutMemory stores entries, replacing equal keys but keeping their hit count.
func (db *DB) PutMemory(ctx context.Context, entries []*store.MemoryEntry) error {
	if len(entries) == 0 {
		return nil
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "store translation memory")
	}
	defer tx.rollback()
	for _, e := range entries {
		if e.SourceHash == "" || e.SourceLang == "" || e.TargetLang == "" {
			return content.Errorf(content.EINVALID, "translation memory entry needs languages and a source hash")
		}
		e.CreatedAt = tx.now
		_, err := tx.ExecContext(ctx, `INSERT INTO translation_memory (source_lang, target_lang, provider,
			source_hash, source_text, target_text, created_at, hits) VALUES (?, ?, ?, ?, ?, ?, ?, 0)
			ON CONFLICT (source_lang, target_lang, provider, source_hash) DO UPDATE SET
			source_text = excluded.source_text, target_text = excluded.target_text, created_at = excluded.created_at`,
			e.SourceLang, e.TargetLang, e.Provider, e.SourceHash, e.SourceText, e.TargetText, dbTime(tx.now))
		if err != nil {
			return store.Wrap(err, "store translation memory")
		}
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "store translation memory")
	}
	return nil
}

// FindMemory returns one translation memory entry, or not_found.
func (db *DB) FindMemory(ctx context.Context, from, to, provider, hash string) (*store.MemoryEntry, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, store.Wrap(err, "find translation memory")
	}
	defer tx.rollback()
	e := &store.MemoryEntry{}
	err = tx.QueryRowContext(ctx, `SELECT source_lang, target_lang, provider, source_hash, source_text,
		target_text, created_at, hits FROM translation_memory
		WHERE source_lang = ? AND target_lang = ? AND provider = ? AND source_hash = ?`,
		from, to, provider, hash).Scan(&e.SourceLang, &e.TargetLang, &e.Provider, &e.SourceHash,
		&e.SourceText, &e.TargetText, timeDst(&e.CreatedAt), &e.Hits)
	if err != nil {
		return nil, store.Wrap(mapError(err, func() error {
			return store.NotFound("translation memory entry", from+">"+to+" "+hash)
		}), "find translation memory")
	}
	return e, nil
}

const jobColumns = `id, article_id, target_lang, provider, requested_by, state, segments_done,
	segments_total, result_id, error, created_at, updated_at`

func scanJob(sc scanner) (*store.TranslationJob, error) {
	j := &store.TranslationJob{}
	err := sc.Scan(&j.ID, &j.ArticleID, &j.TargetLang, &j.Provider, &j.RequestedBy, &j.State,
		&j.SegmentsDone, &j.SegmentsTotal, &j.ResultID, &j.Error, timeDst(&j.CreatedAt), timeDst(&j.UpdatedAt))
	return j, err
}

// CreateTranslationJob inserts j, queued unless a state is given.
func (db *DB) CreateTranslationJob(ctx context.Context, j *store.TranslationJob) error {
	if j.ArticleID == 0 || j.TargetLang == "" {
		return content.Errorf(content.EINVALID, "a translation job needs an article and a target language")
	}
	if j.State == "" {
		j.State = store.JobQueued
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "create translation job")
	}
	defer tx.rollback()
	id, err := tx.insertID(ctx, `INSERT INTO translation_jobs (article_id, target_lang, provider,
		requested_by, state, segments_done, segments_total, result_id, error, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, j.ArticleID, j.TargetLang, j.Provider, j.RequestedBy,
		j.State, j.SegmentsDone, j.SegmentsTotal, j.ResultID, j.Error, dbTime(tx.now), dbTime(tx.now))
	if err != nil {
		return store.Wrap(err, "create translation job")
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "create translation job")
	}
	j.ID, j.CreatedAt, j.UpdatedAt = id, tx.now, tx.now
	return nil
}

// UpdateTranslationJob stores j's mutable fields.
func (db *DB) UpdateTranslationJob(ctx context.Context, j *store.TranslationJob) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "update translation job %d", j.ID)
	}
	defer tx.rollback()
	res, err := tx.ExecContext(ctx, `UPDATE translation_jobs SET provider = ?, state = ?, segments_done = ?,
		segments_total = ?, result_id = ?, error = ?, updated_at = ? WHERE id = ?`,
		j.Provider, j.State, j.SegmentsDone, j.SegmentsTotal, j.ResultID, j.Error, dbTime(tx.now), j.ID)
	if err != nil {
		return store.Wrap(err, "update translation job %d", j.ID)
	}
	if n, err := res.RowsAffected(); err != nil {
		return store.Wrap(err, "update translation job %d", j.ID)
	} else if n == 0 {
		return store.Wrap(store.NotFound("translation job", j.ID), "update translation job %d", j.ID)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "update translation job %d", j.ID)
	}
	j.UpdatedAt = tx.now
	return nil
}

// FindTranslationJob returns the job, or not_found.
func (db *DB) FindTranslationJob(ctx context.Context, id int64) (*store.TranslationJob, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, store.Wrap(err, "find translation job %d", id)
	}
	defer tx.rollback()
	j, err := scanJob(tx.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM translation_jobs WHERE id = ?`, id))
	if err != nil {
		return nil, store.Wrap(mapError(err, func() error { return store.NotFound("translation job", id) }),
			"find translation job %d", id)
	}
	return j, nil
}

// FindTranslationJobs returns the jobs of a source article, newest first.
func (db *DB) FindTranslationJobs(ctx context.Context, articleID int64) ([]*store.TranslationJob, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, store.Wrap(err, "find translation jobs of article %d", articleID)
	}
	defer tx.rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+jobColumns+` FROM translation_jobs
		WHERE article_id = ? ORDER BY id DESC`, articleID)
	if err != nil {
		return nil, store.Wrap(err, "find translation jobs of article %d", articleID)
	}
	defer rows.Close()
	js := []*store.TranslationJob{}
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, store.Wrap(err, "find translation jobs of article %d", articleID)
		}
		js = append(js, j)
	}
	if err := rows.Err(); err != nil {
		return nil, store.Wrap(err, "find translation jobs of article %d", articleID)
	}
	return js, nil
}

// CreateTranslationNotice records a notice and sets its ID and CreatedAt.
func (db *DB) CreateTranslationNotice(ctx context.Context, n *store.TranslationNotice) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "create translation notice")
	}
	defer tx.rollback()
	id, err := tx.insertID(ctx, `INSERT INTO translation_notices (user_id, article_id, source_id,
		message, created_at, delivered_at) VALUES (?, ?, ?, ?, ?, ?)`,
		n.UserID, n.ArticleID, n.SourceID, n.Message, dbTime(tx.now), nullTime(n.DeliveredAt))
	if err != nil {
		return store.Wrap(err, "create translation notice")
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "create translation notice")
	}
	n.ID, n.CreatedAt = id, tx.now
	return nil
}

// MarkTranslationNoticeDelivered sets the notice's delivery time; not_found.
func (db *DB) MarkTranslationNoticeDelivered(ctx context.Context, id int64) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return store.Wrap(err, "mark translation notice %d", id)
	}
	defer tx.rollback()
	res, err := tx.ExecContext(ctx, `UPDATE translation_notices SET delivered_at = ? WHERE id = ?`, dbTime(tx.now), id)
	if err != nil {
		return store.Wrap(err, "mark translation notice %d", id)
	}
	if n, err := res.RowsAffected(); err != nil {
		return store.Wrap(err, "mark translation notice %d", id)
	} else if n == 0 {
		return store.Wrap(store.NotFound("translation notice", id), "mark translation notice %d", id)
	}
	if err := tx.Commit(); err != nil {
		return store.Wrap(err, "mark translation notice %d", id)
	}
	return nil
}

// FindTranslationNotices returns a user's notices (everyone's for 0), newest first.
func (db *DB) FindTranslationNotices(ctx context.Context, userID int64) ([]*store.TranslationNotice, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, store.Wrap(err, "find translation notices")
	}
	defer tx.rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, user_id, article_id, source_id, message, created_at,
		delivered_at FROM translation_notices WHERE ? = 0 OR user_id = ? ORDER BY id DESC`, userID, userID)
	if err != nil {
		return nil, store.Wrap(err, "find translation notices")
	}
	defer rows.Close()
	ns := []*store.TranslationNotice{}
	for rows.Next() {
		n := &store.TranslationNotice{}
		if err := rows.Scan(&n.ID, &n.UserID, &n.ArticleID, &n.SourceID, &n.Message,
			timeDst(&n.CreatedAt), timeDst(&n.DeliveredAt)); err != nil {
			return nil, store.Wrap(err, "find translation notices")
		}
		ns = append(ns, n)
	}
	if err := rows.Err(); err != nil {
		return nil, store.Wrap(err, "find translation notices")
	}
	return ns, nil
}

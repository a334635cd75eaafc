package postgres

import (
	"context"
	"strings"

	"folio/internal/content"
	"folio/internal/store"
)

var _ store.CommentStore = (*DB)(nil)

const commentColumns = `id, article_id, parent_id, author_name, author_email, author_url, body_html, status, created_at, source_id, member_id`

func scanComment(sc interface{ Scan(...any) error }) (*store.Comment, error) {
	var c store.Comment
	err := sc.Scan(&c.ID, &c.ArticleID, &c.ParentID, &c.AuthorName, &c.AuthorEmail, &c.AuthorURL,
		&c.BodyHTML, &c.Status, timeDst(&c.CreatedAt), &c.SourceID, &c.MemberID)
	return &c, err
}

// CreateComment inserts a comment written on the site.
func (db *DB) CreateComment(ctx context.Context, c *store.Comment) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		if c.ParentID != 0 {
			var art int64
			err := tx.QueryRowContext(ctx, `SELECT article_id FROM comments WHERE id = ?`, c.ParentID).Scan(&art)
			if err != nil || art != c.ArticleID {
				return content.Errorf(content.EINVALID, "the comment replied to (%d) is not on this article", c.ParentID)
			}
		}
		c.CreatedAt = tx.now
		c.SourceID = ""
		if err := putComment(ctx, tx, c, false); err != nil {
			if isForeignKey(err) {
				return content.Errorf(content.EINVALID, "article %d does not exist", c.ArticleID)
			}
			return err
		}
		return nil
	}, "create comment on article %d", c.ArticleID)
}

// FindCommentByID returns the comment, or not_found.
func (db *DB) FindCommentByID(ctx context.Context, id int64) (*store.Comment, error) {
	c, err := scanComment(db.queryRow(ctx, `SELECT `+commentColumns+` FROM comments WHERE id = ?`, id))
	if err != nil {
		return nil, store.Wrap(mapError(err, func() error { return store.NotFound("comment", id) }), "find comment %d", id)
	}
	return c, nil
}

// FindCommentQueue returns comments matching f, newest first.
func (db *DB) FindCommentQueue(ctx context.Context, f store.CommentFilter) ([]*store.Comment, int, error) {
	var where []string
	var args []any
	if f.ArticleID != 0 {
		where, args = append(where, `article_id = ?`), append(args, f.ArticleID)
	}
	if f.MemberID != 0 {
		where, args = append(where, `member_id = ?`), append(args, f.MemberID)
	}
	if len(f.Statuses) > 0 {
		where = append(where, `status IN (?`+strings.Repeat(", ?", len(f.Statuses)-1)+`)`)
		for _, s := range f.Statuses {
			args = append(args, s)
		}
	}
	cond := "true"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	var out []*store.Comment
	var total int
	err := db.inRead(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM comments WHERE `+cond, args...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+commentColumns+` FROM comments WHERE `+cond+
			` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, append(args, limitArg(f.Limit), f.Offset)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanComment(rows)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	}, "find comment queue")
	return out, total, err
}

// ApprovedComments returns an article's approved comments, oldest first.
func (db *DB) ApprovedComments(ctx context.Context, articleID int64) ([]*store.Comment, error) {
	rows, err := db.query(ctx, `SELECT `+commentColumns+` FROM comments WHERE article_id = ? AND status = ?
		ORDER BY created_at, id`, articleID, store.CommentApproved)
	if err != nil {
		return nil, store.Wrap(err, "approved comments of article %d", articleID)
	}
	defer rows.Close()
	var out []*store.Comment
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, store.Wrap(err, "approved comments of article %d", articleID)
		}
		out = append(out, c)
	}
	return out, store.Wrap(rows.Err(), "approved comments of article %d", articleID)
}

// CountApprovedComments returns the approved comments of each article, for
// the counts on cards; articles without any are absent.
func (db *DB) CountApprovedComments(ctx context.Context, articleIDs []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(articleIDs) == 0 {
		return out, nil
	}
	rows, err := db.query(ctx, `SELECT article_id, COUNT(*) FROM comments WHERE status = ? AND article_id = ANY(?)
		GROUP BY article_id`, store.CommentApproved, articleIDs)
	if err != nil {
		return nil, store.Wrap(err, "count comments")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, store.Wrap(err, "count comments")
		}
		out[id] = n
	}
	return out, store.Wrap(rows.Err(), "count comments")
}

// SetCommentStatus changes one comment's status.
func (db *DB) SetCommentStatus(ctx context.Context, id int64, status string) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE comments SET status = ? WHERE id = ?`, status, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.NotFound("comment", id)
		}
		return nil
	}, "set status of comment %d", id)
}

// SetMemberCommentsStatus moves the member's comments from one status to another.
func (db *DB) SetMemberCommentsStatus(ctx context.Context, memberID int64, from, to string) ([]int64, error) {
	var arts []int64
	err := db.inWrite(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE comments SET status = ? WHERE member_id = ? AND status = ? RETURNING article_id`,
			to, memberID, from)
		if err != nil {
			return err
		}
		defer rows.Close()
		seen := map[int64]bool{}
		for rows.Next() {
			var a int64
			if err := rows.Scan(&a); err != nil {
				return err
			}
			if !seen[a] {
				seen[a] = true
				arts = append(arts, a)
			}
		}
		return rows.Err()
	}, "set status of comments of member %d", memberID)
	return arts, err
}

// CountMemberComments counts the member's comments with status.
func (db *DB) CountMemberComments(ctx context.Context, memberID int64, status string) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM comments WHERE member_id = ? AND status = ?`, memberID, status).Scan(&n)
	return n, store.Wrap(err, "count comments of member %d", memberID)
}

// CommentMode returns the article's comment mode.
func (db *DB) CommentMode(ctx context.Context, articleID int64) (string, error) {
	var mode string
	err := db.queryRow(ctx, `SELECT mode FROM comment_modes WHERE article_id = ?`, articleID).Scan(&mode)
	if err != nil {
		if err = mapError(err, func() error { return nil }); err == nil {
			return store.CommentsMembers, nil
		}
		return "", store.Wrap(err, "comment mode of article %d", articleID)
	}
	return mode, nil
}

// SetCommentMode stores the article's comment mode.
func (db *DB) SetCommentMode(ctx context.Context, articleID int64, mode string) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO comment_modes (article_id, mode) VALUES (?, ?)
			ON CONFLICT (article_id) DO UPDATE SET mode = excluded.mode`, articleID, mode)
		if isForeignKey(err) {
			return store.NotFound("article", articleID)
		}
		return err
	}, "set comment mode of article %d", articleID)
}

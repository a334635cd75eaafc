package postgres

import (
	"context"
	"strings"

	"folio/internal/store"
)

// RecordAudit inserts e, setting its ID and, when zero, At.
func (db *DB) RecordAudit(ctx context.Context, e *store.AuditEntry) error {
	return db.inWrite(ctx, func(tx *Tx) error {
		if e.At.IsZero() {
			e.At = tx.now
		}
		e.At = e.At.UTC()
		id, err := tx.insertID(ctx, `INSERT INTO audit_log (at, user_id, actor, action, item_kind, item_id, summary, ip)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, dbTime(e.At), nullID(e.UserID), e.Actor, e.Action, e.ItemKind, e.ItemID, e.Summary, e.IP)
		if err != nil {
			return mapError(err, nil)
		}
		e.ID = id
		return nil
	}, "record audit %s", e.Action)
}

// FindAudit returns entries newest first and the total matching f.
func (db *DB) FindAudit(ctx context.Context, f store.AuditFilter) ([]*store.AuditEntry, int, error) {
	var conds []string
	var args []any
	if f.UserID != 0 {
		conds, args = append(conds, "user_id = ?"), append(args, f.UserID)
	}
	if f.Action != "" {
		conds, args = append(conds, "action = ?"), append(args, f.Action)
	}
	if f.ItemKind != "" {
		conds, args = append(conds, "item_kind = ?"), append(args, f.ItemKind)
	}
	if f.ItemID != 0 {
		conds, args = append(conds, "item_id = ?"), append(args, f.ItemID)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	es := []*store.AuditEntry{}
	var total int
	err := db.inRead(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`+where, args...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, at, COALESCE(user_id, 0), actor, action, item_kind, item_id, summary, ip
			FROM audit_log`+where+` ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`, append(args, limitArg(f.Limit), max(f.Offset, 0))...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e store.AuditEntry
			if err := rows.Scan(&e.ID, timeDst(&e.At), &e.UserID, &e.Actor, &e.Action, &e.ItemKind, &e.ItemID, &e.Summary, &e.IP); err != nil {
				return err
			}
			es = append(es, &e)
		}
		return rows.Err()
	}, "find audit entries")
	return es, total, err
}

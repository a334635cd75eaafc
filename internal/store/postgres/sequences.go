package postgres

import (
	"context"
	"fmt"
)

// identityTables are the tables whose id column is an identity. Rows
// written with their own IDs (a restore, a move from SQLite) leave the
// sequence behind, and the next insert would collide.
var identityTables = []string{
	"articles", "authors", "terms", "media", "tokens", "users", "login_attempts", "one_time_tokens",
	"audit_log", "article_revisions", "comments", "translation_jobs", "translation_notices",
	"members", "newsletters", "newsletter_sends",
}

// resetSequences moves every identity sequence past its table's largest ID.
func resetSequences(ctx context.Context, tx *Tx) error {
	for _, t := range identityTables {
		// setval(…, max, true) makes the next value max+1; an empty table
		// starts again at 1.
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%[1]s', 'id'),
			COALESCE((SELECT MAX(id) FROM %[1]s), 0) + 1, false)`, t)
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("reset sequence of %s: %w", t, err)
		}
	}
	return nil
}

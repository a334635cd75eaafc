package postgres

import (
	"context"

	"folio/internal/store"
)

var _ store.TOTPStepStore = (*DB)(nil)

// AcceptTOTPStep moves the user's last TOTP step forward to step in a
// single conditional UPDATE, so two sign-ins racing with the same code
// cannot both win.
func (db *DB) AcceptTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	var accepted bool
	err := db.inWrite(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, userID, step)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 1 {
			accepted = true
			return nil
		}
		var one int
		return mapError(tx.QueryRowContext(ctx, `SELECT 1 FROM users WHERE id = ?`, userID).Scan(&one),
			func() error { return store.NotFound("user", userID) })
	}, "accept totp step of user %d", userID)
	return accepted, err
}

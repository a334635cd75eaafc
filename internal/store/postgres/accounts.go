package postgres

import (
	"context"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

var (
	_ store.UserStore    = (*DB)(nil)
	_ store.SessionStore = (*DB)(nil)
	_ store.AuditStore   = (*DB)(nil)
)

const userColumns = `id, email, name, role, COALESCE(author_id, 0), password_hash, totp_secret, disabled, created_at, updated_at`

// CreateUser validates and inserts u; conflict when the email is taken.
func (db *DB) CreateUser(ctx context.Context, u *content.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return db.inWrite(ctx, func(tx *Tx) error {
		id, err := tx.insertID(ctx, `INSERT INTO users (email, name, role, author_id, password_hash, totp_secret, disabled, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.Email, u.Name, string(u.Role), nullID(u.AuthorID), u.PasswordHash, u.TOTPSecret,
			u.Disabled, dbTime(tx.now), dbTime(tx.now))
		if err != nil {
			return userError(err, u)
		}
		u.ID, u.CreatedAt, u.UpdatedAt = id, tx.now, tx.now
		return nil
	}, "create user %q", u.Email)
}

// FindUserByID returns the user, or not_found.
func (db *DB) FindUserByID(ctx context.Context, id int64) (*content.User, error) {
	var u *content.User
	err := db.inRead(ctx, func(tx *Tx) (err error) {
		u, err = scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
		return mapError(err, func() error { return store.NotFound("user", id) })
	}, "find user %d", id)
	return u, err
}

// FindUserByEmail returns the user with email, compared after trimming and
// lower-casing as Validate stores it, or not_found.
func (db *DB) FindUserByEmail(ctx context.Context, email string) (*content.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var u *content.User
	err := db.inRead(ctx, func(tx *Tx) (err error) {
		u, err = scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email))
		return mapError(err, func() error { return content.Errorf(content.ENOTFOUND, "user not found") })
	}, "find user by email")
	return u, err
}

// FindUsers returns every user ordered by email.
func (db *DB) FindUsers(ctx context.Context) ([]*content.User, error) {
	us := []*content.User{}
	err := db.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY email, id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				return err
			}
			us = append(us, u)
		}
		return rows.Err()
	}, "find users")
	return us, err
}

// UpdateUser validates u and replaces the stored row.
func (db *DB) UpdateUser(ctx context.Context, u *content.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return db.inWrite(ctx, func(tx *Tx) error {
		var created time.Time
		if err := tx.QueryRowContext(ctx, `SELECT created_at FROM users WHERE id = ? FOR UPDATE`, u.ID).Scan(timeDst(&created)); err != nil {
			return mapError(err, func() error { return store.NotFound("user", u.ID) })
		}
		_, err := tx.ExecContext(ctx, `UPDATE users SET email = ?, name = ?, role = ?, author_id = ?, password_hash = ?,
			totp_secret = ?, disabled = ?, updated_at = ? WHERE id = ?`, u.Email, u.Name, string(u.Role), nullID(u.AuthorID),
			u.PasswordHash, u.TOTPSecret, u.Disabled, dbTime(tx.now), u.ID)
		if err != nil {
			return userError(err, u)
		}
		u.CreatedAt = created
		u.UpdatedAt = tx.now
		return nil
	}, "update user %d", u.ID)
}

func userError(err error, u *content.User) error {
	switch {
	case isUnique(err):
		return conflict("email", "a user with email %q already exists", u.Email)
	case isForeignKey(err):
		e := content.Errorf(content.EINVALID, "author %d does not exist", u.AuthorID)
		e.Fields = map[string]string{"author_id": e.Message}
		return e
	}
	return err
}

func scanUser(sc scanner) (*content.User, error) {
	var u content.User
	var role string
	if err := sc.Scan(&u.ID, &u.Email, &u.Name, &role, &u.AuthorID, &u.PasswordHash, &u.TOTPSecret, &u.Disabled,
		timeDst(&u.CreatedAt), timeDst(&u.UpdatedAt)); err != nil {
		return nil, err
	}
	u.Role = content.Role(role)
	return &u, nil
}

// nullID stores 0 as NULL, for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

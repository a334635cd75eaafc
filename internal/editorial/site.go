package editorial

import (
	"context"
	"strings"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/render/markdown"
)

// UpdateSettings validates and stores the site settings (admins). Every page
// reads them.
func (e *Editor) UpdateSettings(ctx context.Context, st *content.Settings) error {
	if err := e.require(content.ActManageSettings, "change the site settings"); err != nil {
		return err
	}
	if err := e.outsideBatch("the settings"); err != nil {
		return err
	}
	if err := st.Validate(); err != nil {
		return err
	}
	for _, n := range []string{st.Notices.NoteToReaders, st.Notices.RepublishingPolicy, st.Notices.Disclaimer,
		st.Notices.FairUse, st.Notices.MediaContact, st.Notices.MembershipCall} {
		if _, err := markdown.ToHTML(n); err != nil {
			return content.Errorf(content.EINVALID, "notices: %v", err)
		}
	}
	if err := e.s.store.UpdateSettings(ctx, st); err != nil {
		return wrap(err, "update settings")
	}
	e.changed(key.Change{Entity: key.EntitySettings, Op: key.OpUpdate}, key.Settings)
	return nil
}

// CreateToken stores an API token whose secret the caller hashed (admins).
// Tokens are on no page.
func (e *Editor) CreateToken(ctx context.Context, t *content.Token) error {
	if err := e.require(content.ActManageTokens, "manage API tokens"); err != nil {
		return err
	}
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" || len(t.Name) > 200 {
		return &content.Error{Code: content.EINVALID, Message: "token is invalid",
			Fields: map[string]string{"name": "is required (at most 200 bytes)"}}
	}
	if err := e.s.store.CreateToken(ctx, t); err != nil {
		return wrap(err, "create token")
	}
	e.changed(key.Change{Entity: key.EntityToken, ID: t.ID, Op: key.OpCreate})
	return nil
}

// DeleteToken revokes an API token (admins).
func (e *Editor) DeleteToken(ctx context.Context, id int64) error {
	if err := e.require(content.ActManageTokens, "manage API tokens"); err != nil {
		return err
	}
	if err := e.s.store.DeleteToken(ctx, id); err != nil {
		return wrap(err, "delete token %d", id)
	}
	e.changed(key.Change{Entity: key.EntityToken, ID: id, Op: key.OpDelete})
	return nil
}

// CreateUser stores a new staff account (admins); conflict when the email
// is taken. Accounts are on no page.
func (e *Editor) CreateUser(ctx context.Context, u *content.User) error {
	if err := e.require(content.ActManageUsers, "manage users"); err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	if err := e.s.store.CreateUser(ctx, u); err != nil {
		return wrap(err, "create user")
	}
	e.changed(key.Change{Entity: key.EntityUser, ID: u.ID, Op: key.OpCreate})
	return nil
}

// UpdateUser stores a changed staff account (admins). Admins cannot demote
// or disable themselves, so a site never loses its last way in by accident.
func (e *Editor) UpdateUser(ctx context.Context, u *content.User) error {
	if err := e.require(content.ActManageUsers, "manage users"); err != nil {
		return err
	}
	if e.u != nil && u.ID == e.u.ID && (u.Disabled || u.Role != e.u.Role) {
		return content.Errorf(content.EINVALID, "you cannot change your own role or disable yourself")
	}
	if err := u.Validate(); err != nil {
		return err
	}
	if err := e.s.store.UpdateUser(ctx, u); err != nil {
		return wrap(err, "update user %d", u.ID)
	}
	e.changed(key.Change{Entity: key.EntityUser, ID: u.ID, Op: key.OpUpdate})
	return nil
}

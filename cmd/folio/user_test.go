package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"folio/internal/auth"
	"folio/internal/content"
	"folio/internal/store"
	"folio/internal/store/sqlite"
	"folio/internal/store/storetest"
)

func TestUserCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	const pw = "a long enough passphrase"
	withPW := env(map[string]string{"FOLIO_DATA": dir, "FOLIO_USER_PASSWORD": pw})

	// An author to link, created through the store the CLI opens.
	db, err := sqlite.Open(ctx, filepath.Join(dir, "folio.db"))
	if err != nil {
		t.Fatal(err)
	}
	author := storetest.MustCreateAuthor(t, db, "Ana Writer")
	db.Close()

	userCmd := func(getenv func(string) string, args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, append([]string{"user"}, args...), getenv, &out, io.Discard)
		return out.String(), err
	}

	t.Run("AddOK", func(t *testing.T) {
		out, err := userCmd(withPW, "add", "--email", "Ana@Example.org", "--name", "Ana", "--role", "editor", "--author-slug", author.Slug)
		if err != nil {
			t.Fatalf("user add: %v", err)
		}
		if !strings.Contains(out, "ana@example.org (editor)") {
			t.Fatalf("output = %q", out)
		}
	})
	t.Run("ErrDuplicate", func(t *testing.T) {
		if _, err := userCmd(withPW, "add", "--email", "ana@example.org", "--name", "Ana", "--role", "editor"); err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Fatalf("err = %v, want already exists", err)
		}
	})
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"ErrWeakPassword", map[string]string{"FOLIO_DATA": dir, "FOLIO_USER_PASSWORD": "short"}, []string{"--email", "b@example.org", "--name", "B", "--role", "author"}, "password"},
		{"ErrNoPassword", map[string]string{"FOLIO_DATA": dir}, []string{"--email", "b@example.org", "--name", "B", "--role", "author"}, "FOLIO_USER_PASSWORD"},
		{"ErrRole", map[string]string{"FOLIO_DATA": dir, "FOLIO_USER_PASSWORD": pw}, []string{"--email", "b@example.org", "--name", "B", "--role", "boss"}, "role"},
		{"ErrMissingFlags", map[string]string{"FOLIO_DATA": dir, "FOLIO_USER_PASSWORD": pw}, []string{"--email", "b@example.org"}, "required"},
		{"ErrAuthor", map[string]string{"FOLIO_DATA": dir, "FOLIO_USER_PASSWORD": pw}, []string{"--email", "b@example.org", "--name", "B", "--role", "author", "--author-slug", "nobody"}, "not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := userCmd(env(tc.env), append([]string{"add"}, tc.args...)...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
	t.Run("SetRoleAndList", func(t *testing.T) {
		if _, err := userCmd(withPW, "set-role", "--email", "ana@example.org", "--role", "admin"); err != nil {
			t.Fatal(err)
		}
		out, err := userCmd(withPW, "list")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "ana@example.org") || !strings.Contains(out, "admin") || strings.Contains(out, "b@example.org") {
			t.Fatalf("list = %q", out)
		}
	})
	t.Run("ResetPassword", func(t *testing.T) {
		getenv := env(map[string]string{"FOLIO_DATA": dir, "FOLIO_USER_PASSWORD": "another long passphrase"})
		if _, err := userCmd(getenv, "reset-password", "--email", "ana@example.org"); err != nil {
			t.Fatal(err)
		}
	})

	// What the commands stored, read back through the store and auth.
	db, err = sqlite.Open(ctx, filepath.Join(dir, "folio.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.FindUserByEmail(ctx, "ana@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if u.Role != content.RoleAdmin || u.AuthorID != author.ID || u.Disabled {
		t.Fatalf("stored user = %+v", u)
	}
	if ok, err := auth.CheckPassword(u.PasswordHash, "another long passphrase"); err != nil || !ok {
		t.Fatalf("new password does not match: %v %v", ok, err)
	}
	entries, _, err := db.FindAudit(ctx, store.AuditFilter{ItemKind: "user", ItemID: u.ID})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		if e.Actor != "cli" {
			t.Errorf("audit actor = %q, want cli", e.Actor)
		}
		actions = append(actions, e.Action)
	}
	if got, want := strings.Join(actions, ","), "user.password_reset,user.set_role,user.create"; got != want {
		t.Fatalf("audit actions = %s, want %s", got, want)
	}
}

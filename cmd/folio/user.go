package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"folio/internal/auth"
	"folio/internal/changes"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store"
	"folio/internal/store/sqlite"
)

const userUsage = `usage:
  folio user add --email E --name N --role R [--author-slug S] [--password-stdin]
  folio user list
  folio user set-role --email E --role R
  folio user reset-password --email E [--password-stdin]

The password is asked on a terminal, or read from FOLIO_USER_PASSWORD, or
with --password-stdin from the first line of standard input.`

// cliActor labels audit entries written from the command line.
const cliActor = "cli"

// userFlags are the flags of the user subcommands; each uses some.
type userFlags struct {
	email, name, role, authorSlug string
	passwordStdin                 bool
}

func cmdUser(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(strings.TrimSpace(userUsage))
	}
	sub := args[0]
	var f userFlags
	cfg, err := loadConfig("user "+sub, args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		switch sub {
		case "add", "set-role", "reset-password":
			fs.StringVar(&f.email, "email", "", "the user's email address")
		}
		switch sub {
		case "add":
			fs.StringVar(&f.name, "name", "", "the user's name")
			fs.StringVar(&f.authorSlug, "author-slug", "", "slug of the author whose byline the user writes under")
			fallthrough
		case "set-role":
			fs.StringVar(&f.role, "role", "", "contributor, author, editor or admin")
		}
		switch sub {
		case "add", "reset-password":
			fs.BoolVar(&f.passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
		}
	})
	if err != nil {
		return err
	}
	var do func(context.Context, *sqlite.DB, userFlags, func(string) string, io.Writer, io.Writer) error
	switch sub {
	case "add":
		do = userAdd
	case "list":
		do = userList
	case "set-role":
		do = userSetRole
	case "reset-password":
		do = userResetPassword
	default:
		return fmt.Errorf("unknown user command %q\n%s", sub, userUsage)
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := do(ctx, db, f, getenv, stdout, stderr); err != nil {
		return fmt.Errorf("user %s: %w", sub, describe(err))
	}
	return nil
}

// describe adds a content error's field messages to its text, so the
// command line says which flag was wrong.
func describe(err error) error {
	fields := content.ErrorFields(err)
	if len(fields) == 0 || content.ErrorCode(err) == content.EINTERNAL {
		return err
	}
	parts := make([]string, 0, len(fields))
	for k, v := range fields {
		parts = append(parts, k+" "+v)
	}
	return fmt.Errorf("%s (%s)", content.ErrorMessage(err), strings.Join(parts, "; "))
}

func userAdd(ctx context.Context, db *sqlite.DB, f userFlags, getenv func(string) string, stdout, stderr io.Writer) error {
	if f.email == "" || f.name == "" || f.role == "" {
		return errors.New("--email, --name and --role are required")
	}
	u := &content.User{Email: f.email, Name: f.name, Role: content.Role(f.role)}
	if err := u.Validate(); err != nil {
		return err
	}
	if f.authorSlug != "" {
		a, err := db.FindAuthorBySlug(ctx, f.authorSlug)
		if err != nil {
			return err
		}
		u.AuthorID = a.ID
	}
	if _, err := db.FindUserByEmail(ctx, u.Email); err == nil {
		return fmt.Errorf("a user with email %q already exists", u.Email)
	}
	hash, err := readNewPassword(f, getenv, stderr)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	if err := systemEditor(db, stderr).CreateUser(ctx, u); err != nil {
		return err
	}
	recordCLI(ctx, db, stderr, "user.create", u.ID, fmt.Sprintf("created %s as %s", u.Email, u.Role))
	fmt.Fprintf(stdout, "created user %d %s (%s)\n", u.ID, u.Email, u.Role)
	return nil
}

func userList(ctx context.Context, db *sqlite.DB, _ userFlags, _ func(string) string, stdout, _ io.Writer) error {
	us, err := db.FindUsers(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tSTATUS\t2FA")
	for _, u := range us {
		status := "active"
		switch {
		case u.Disabled && u.PasswordHash == "":
			status = "invited"
		case u.Disabled:
			status = "disabled"
		}
		twoFA := "off"
		if u.TOTPSecret != "" {
			twoFA = "on"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, status, twoFA)
	}
	return tw.Flush()
}

func userSetRole(ctx context.Context, db *sqlite.DB, f userFlags, _ func(string) string, stdout, stderr io.Writer) error {
	if f.email == "" || f.role == "" {
		return errors.New("--email and --role are required")
	}
	u, err := db.FindUserByEmail(ctx, f.email)
	if err != nil {
		return err
	}
	old := u.Role
	u.Role = content.Role(f.role)
	if err := systemEditor(db, stderr).UpdateUser(ctx, u); err != nil {
		return err
	}
	recordCLI(ctx, db, stderr, "user.set_role", u.ID, fmt.Sprintf("role of %s changed from %s to %s", u.Email, old, u.Role))
	fmt.Fprintf(stdout, "%s is now %s\n", u.Email, u.Role)
	return nil
}

func userResetPassword(ctx context.Context, db *sqlite.DB, f userFlags, getenv func(string) string, stdout, stderr io.Writer) error {
	if f.email == "" {
		return errors.New("--email is required")
	}
	u, err := db.FindUserByEmail(ctx, f.email)
	if err != nil {
		return err
	}
	hash, err := readNewPassword(f, getenv, stderr)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	if err := systemEditor(db, stderr).UpdateUser(ctx, u); err != nil {
		return err
	}
	// A reset usually means the old password leaked: sign out everywhere.
	n, err := db.DeleteUserSessions(ctx, u.ID, "")
	if err != nil {
		return err
	}
	recordCLI(ctx, db, stderr, "user.password_reset", u.ID, "password set from the command line")
	fmt.Fprintf(stdout, "password of %s changed; %d session(s) ended\n", u.Email, n)
	if u.Disabled {
		fmt.Fprintf(stderr, "note: %s is disabled and still cannot sign in\n", u.Email)
	}
	return nil
}

// readNewPassword gets a password from FOLIO_USER_PASSWORD, standard input
// (--password-stdin) or a terminal prompt, in that order, validates it and
// returns its hash. It never echoes or logs the password.
func readNewPassword(f userFlags, getenv func(string) string, stderr io.Writer) (string, error) {
	pw := getenv("FOLIO_USER_PASSWORD")
	switch {
	case pw != "":
	case f.passwordStdin:
		line, err := bufio.NewReader(io.LimitReader(os.Stdin, auth.MaxPasswordBytes+2)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read password from standard input: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
	case term.IsTerminal(int(os.Stdin.Fd())):
		var err error
		if pw, err = prompt(stderr, "Password: "); err != nil {
			return "", err
		}
		again, err := prompt(stderr, "Password again: ")
		if err != nil {
			return "", err
		}
		if again != pw {
			return "", errors.New("the passwords do not match")
		}
	default:
		return "", errors.New("no password: set FOLIO_USER_PASSWORD, use --password-stdin, or run on a terminal")
	}
	if err := auth.ValidatePassword(pw); err != nil {
		return "", err
	}
	return auth.HashPassword(pw)
}

func prompt(stderr io.Writer, label string) (string, error) {
	fmt.Fprint(stderr, label)
	b, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	return string(b), nil
}

// recordCLI writes an audit entry for a command-line change; a failure is
// reported but does not undo the change.
func recordCLI(ctx context.Context, db *sqlite.DB, stderr io.Writer, action string, userID int64, summary string) {
	e := &store.AuditEntry{Actor: cliActor, Action: action, ItemKind: "user", ItemID: userID, Summary: summary}
	if err := db.RecordAudit(ctx, e); err != nil {
		fmt.Fprintf(stderr, "warning: audit log: %v\n", err)
	}
}

// systemEditor is the editorial service acting for the command line, whose
// change events reach running servers through the change log.
func systemEditor(db *sqlite.DB, stderr io.Writer) *editorial.Editor {
	relay := changes.New(db, slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	return editorial.New(db, editorial.OnChange(relay.Publish)).System("cli")
}

package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

// AccountsStore is what the accounts contract needs: the account stores
// plus authors, which users link to.
type AccountsStore interface {
	store.Store
	store.UserStore
	store.SessionStore
	store.AuditStore
}

// RunAccounts runs the contract of UserStore, SessionStore and AuditStore.
func RunAccounts(t *testing.T, newStore func(t *testing.T) AccountsStore) {
	t.Run("UserStore", func(t *testing.T) { testUsers(t, newStore(t)) })
	t.Run("SessionStore_Sessions", func(t *testing.T) { testSessions(t, newStore(t)) })
	t.Run("SessionStore_Attempts", func(t *testing.T) { testAttempts(t, newStore(t)) })
	t.Run("SessionStore_OneTimeTokens", func(t *testing.T) { testOneTimeTokens(t, newStore(t)) })
	t.Run("SessionStore_Prune", func(t *testing.T) { testPrune(t, newStore(t)) })
	t.Run("AuditStore", func(t *testing.T) { testAudit(t, newStore(t)) })
}

// MustCreateUser stores a user with email and role and fails the test on error.
func MustCreateUser(tb testing.TB, s store.UserStore, email string, role content.Role) *content.User {
	tb.Helper()
	u := &content.User{Email: email, Name: "User " + email, Role: role, PasswordHash: "$argon2id$placeholder"}
	if err := s.CreateUser(context.Background(), u); err != nil {
		tb.Fatalf("create user %q: %v", email, err)
	}
	return u
}

func testUsers(t *testing.T, s AccountsStore) {
	ctx := context.Background()
	au := MustCreateAuthor(t, s, "Byline")
	u := &content.User{Email: " Ana@Example.ORG ", Name: "Ana", Role: content.RoleEditor, AuthorID: au.ID, PasswordHash: "h", TOTPSecret: "S"}
	t.Run("CreateOK", func(t *testing.T) {
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 || u.CreatedAt.IsZero() || u.Email != "ana@example.org" {
			t.Fatalf("created = %+v", u)
		}
		got, err := s.FindUserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Email != u.Email || got.AuthorID != au.ID || got.PasswordHash != "h" || got.TOTPSecret != "S" || got.Role != content.RoleEditor || !got.CreatedAt.Equal(u.CreatedAt) {
			t.Fatalf("found = %+v, want %+v", got, u)
		}
		got, err = s.FindUserByEmail(ctx, "ANA@example.org")
		if err != nil || got.ID != u.ID {
			t.Fatalf("by email = %+v, %v", got, err)
		}
	})
	t.Run("ErrEmailTaken", func(t *testing.T) {
		err := s.CreateUser(ctx, &content.User{Email: "ana@example.org", Name: "Other", Role: content.RoleAuthor})
		wantCode(t, err, content.ECONFLICT)
		if content.ErrorFields(err)["email"] == "" {
			t.Fatalf("conflict does not name the email field: %v", err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		wantCode(t, s.CreateUser(ctx, &content.User{Email: "nope", Name: "X", Role: "boss"}), content.EINVALID)
		wantCode(t, s.CreateUser(ctx, &content.User{Email: "x@example.org", Name: "X", Role: content.RoleAuthor, AuthorID: 999999}), content.EINVALID)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.FindUserByID(ctx, 999999)
		wantCode(t, err, content.ENOTFOUND)
		_, err = s.FindUserByEmail(ctx, "nobody@example.org")
		wantCode(t, err, content.ENOTFOUND)
		wantCode(t, s.UpdateUser(ctx, &content.User{ID: 999999, Email: "z@example.org", Name: "Z", Role: content.RoleAuthor}), content.ENOTFOUND)
	})
	t.Run("Update", func(t *testing.T) {
		b := MustCreateUser(t, s, "bo@example.org", content.RoleContributor)
		b.Role, b.Disabled, b.TOTPSecret, b.Name = content.RoleAdmin, true, "T", "Bo"
		if err := s.UpdateUser(ctx, b); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindUserByID(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Role != content.RoleAdmin || !got.Disabled || got.TOTPSecret != "T" || got.Name != "Bo" || got.CreatedAt.IsZero() || !got.CreatedAt.Equal(b.CreatedAt) {
			t.Fatalf("updated = %+v", got)
		}
		b.Email = "ana@example.org"
		wantCode(t, s.UpdateUser(ctx, b), content.ECONFLICT)
	})
	t.Run("AuthorDeleted", func(t *testing.T) {
		if err := s.DeleteAuthor(ctx, au.ID); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindUserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.AuthorID != 0 {
			t.Fatalf("AuthorID = %d after the author was deleted, want 0", got.AuthorID)
		}
	})
	t.Run("FindUsers", func(t *testing.T) {
		us, err := s.FindUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(us) != 2 || us[0].Email != "ana@example.org" || us[1].Email != "bo@example.org" {
			t.Fatalf("users = %v", us)
		}
	})
}

func testSessions(t *testing.T, s AccountsStore) {
	ctx := context.Background()
	u := MustCreateUser(t, s, "s@example.org", content.RoleAuthor)
	other := MustCreateUser(t, s, "o@example.org", content.RoleAuthor)
	sess := func(id string, uid int64) *store.Session {
		return &store.Session{ID: id, UserID: uid, CSRFToken: "csrf-" + id, CreatedAt: base, LastSeenAt: base,
			ExpiresAt: base.Add(7 * 24 * time.Hour), IP: "192.0.2.1", UserAgent: "test", TOTPOK: true}
	}
	for _, x := range []*store.Session{sess("a", u.ID), sess("b", u.ID), sess("c", other.ID)} {
		if err := s.CreateSession(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, s.CreateSession(ctx, sess("a", u.ID)), content.ECONFLICT)
	wantCode(t, s.CreateSession(ctx, sess("z", 999999)), content.EINVALID)
	got, err := s.FindSession(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if want := sess("a", u.ID); *got != *want {
		t.Fatalf("session = %+v, want %+v", got, want)
	}
	if err := s.TouchSession(ctx, "a", base.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindSession(ctx, "a"); !got.LastSeenAt.Equal(base.Add(time.Hour)) {
		t.Fatalf("LastSeenAt = %v after touch", got.LastSeenAt)
	}
	wantCode(t, s.TouchSession(ctx, "missing", base), content.ENOTFOUND)
	n, err := s.DeleteUserSessions(ctx, u.ID, "b")
	if err != nil || n != 1 {
		t.Fatalf("DeleteUserSessions = %d, %v; want 1", n, err)
	}
	_, err = s.FindSession(ctx, "a")
	wantCode(t, err, content.ENOTFOUND)
	if err := s.DeleteSession(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSession(ctx, "b"); err != nil {
		t.Fatalf("deleting a missing session: %v", err)
	}
	if _, err := s.FindSession(ctx, "c"); err != nil {
		t.Fatalf("another user's session went: %v", err)
	}
}

func testAttempts(t *testing.T, s AccountsStore) {
	ctx := context.Background()
	rec := func(kind, email, ip string, min int, ok bool) {
		t.Helper()
		if err := s.RecordAttempt(ctx, &store.LoginAttempt{Kind: kind, Email: email, IP: ip, At: base.Add(time.Duration(min) * time.Minute), OK: ok}); err != nil {
			t.Fatal(err)
		}
	}
	rec("login", "a@x.org", "ip1", 0, false)
	rec("login", "a@x.org", "ip1", 1, false)
	rec("login", "a@x.org", "ip2", 2, true)
	rec("login", "a@x.org", "ip2", 3, false)
	rec("login", "b@x.org", "ip1", 4, false)
	rec("reset", "a@x.org", "ip1", 5, false)
	for _, tc := range []struct {
		name string
		f    store.AttemptFilter
		want []int // minutes after base
	}{
		{"FailuresByEmail", store.AttemptFilter{Kind: "login", Email: "a@x.org", FailuresOnly: true}, []int{0, 1, 3}},
		{"AfterSuccess", store.AttemptFilter{Kind: "login", Email: "a@x.org", FailuresOnly: true, AfterSuccess: true}, []int{3}},
		{"ByIP", store.AttemptFilter{Kind: "login", IP: "ip1", FailuresOnly: true}, []int{0, 1, 4}},
		{"Since", store.AttemptFilter{Kind: "login", IP: "ip1", Since: base.Add(time.Minute)}, []int{1, 4}},
		{"AllOfKind", store.AttemptFilter{Kind: "reset", Email: "a@x.org"}, []int{5}},
		// Both set: the pair of an email and an address, which sign-in
		// throttles separately from either alone.
		{"ByEmailAndIP", store.AttemptFilter{Kind: "login", Email: "a@x.org", IP: "ip1", FailuresOnly: true}, []int{0, 1}},
		{"ByEmailAndIPAfterSuccess", store.AttemptFilter{Kind: "login", Email: "a@x.org", IP: "ip1", FailuresOnly: true, AfterSuccess: true}, []int{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.FindAttemptTimes(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want minutes %v", got, tc.want)
			}
			for i, m := range tc.want {
				if !got[i].Equal(base.Add(time.Duration(m) * time.Minute)) {
					t.Fatalf("got %v, want minutes %v", got, tc.want)
				}
			}
		})
	}
}

func testOneTimeTokens(t *testing.T, s AccountsStore) {
	ctx := context.Background()
	u := MustCreateUser(t, s, "t@example.org", content.RoleAuthor)
	mk := func(purpose, hash string, life time.Duration) *store.OneTimeToken {
		t.Helper()
		tok := &store.OneTimeToken{Purpose: purpose, Hash: hash, UserID: u.ID, CreatedAt: base, ExpiresAt: base.Add(life)}
		if err := s.CreateOneTimeToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		return tok
	}
	r1 := mk(store.TokenReset, "h1", time.Hour)
	mk(store.TokenReset, "h2", time.Hour)
	mk(store.TokenInvite, "h3", time.Hour)
	wantCode(t, s.CreateOneTimeToken(ctx, &store.OneTimeToken{Purpose: store.TokenReset, Hash: "h1", UserID: u.ID, ExpiresAt: base}), content.ECONFLICT)
	wantCode(t, s.CreateOneTimeToken(ctx, &store.OneTimeToken{Purpose: store.TokenReset, Hash: "h9", UserID: 999999, ExpiresAt: base}), content.EINVALID)

	t.Run("WrongPurpose", func(t *testing.T) {
		_, err := s.UseOneTimeToken(ctx, store.TokenInvite, "h1", base)
		wantCode(t, err, content.ENOTFOUND)
	})
	t.Run("UseOnce", func(t *testing.T) {
		got, err := s.UseOneTimeToken(ctx, store.TokenReset, "h1", base.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != r1.ID || got.UserID != u.ID || !got.UsedAt.Equal(base.Add(time.Minute)) {
			t.Fatalf("used = %+v", got)
		}
		_, err = s.UseOneTimeToken(ctx, store.TokenReset, "h1", base.Add(time.Minute))
		wantCode(t, err, content.ENOTFOUND)
	})
	t.Run("Expired", func(t *testing.T) {
		_, err := s.UseOneTimeToken(ctx, store.TokenReset, "h2", base.Add(time.Hour))
		wantCode(t, err, content.ENOTFOUND)
	})
	t.Run("Revoke", func(t *testing.T) {
		mk(store.TokenReset, "h4", time.Hour)
		if err := s.RevokeOneTimeTokens(ctx, u.ID, store.TokenReset, base); err != nil {
			t.Fatal(err)
		}
		_, err := s.UseOneTimeToken(ctx, store.TokenReset, "h4", base)
		wantCode(t, err, content.ENOTFOUND)
		if _, err := s.UseOneTimeToken(ctx, store.TokenInvite, "h3", base); err != nil {
			t.Fatalf("revoking resets touched an invitation: %v", err)
		}
	})
}

func testPrune(t *testing.T, s AccountsStore) {
	ctx := context.Background()
	u := MustCreateUser(t, s, "p@example.org", content.RoleAuthor)
	old, live := base.Add(-48*time.Hour), base
	for i, at := range []time.Time{old, live} {
		id := fmt.Sprint("s", i)
		if err := s.CreateSession(ctx, &store.Session{ID: id, UserID: u.ID, CSRFToken: "c", CreatedAt: at, LastSeenAt: at, ExpiresAt: at.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordAttempt(ctx, &store.LoginAttempt{Kind: "login", Email: "p@example.org", IP: "ip", At: at}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateOneTimeToken(ctx, &store.OneTimeToken{Purpose: store.TokenReset, Hash: fmt.Sprint("p", i), UserID: u.ID, CreatedAt: at, ExpiresAt: at.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PruneAccounts(ctx, base.Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindSession(ctx, "s0"); content.ErrorCode(err) != content.ENOTFOUND {
		t.Fatalf("old session kept: %v", err)
	}
	if _, err := s.FindSession(ctx, "s1"); err != nil {
		t.Fatalf("live session pruned: %v", err)
	}
	ts, err := s.FindAttemptTimes(ctx, store.AttemptFilter{Kind: "login", IP: "ip"})
	if err != nil || len(ts) != 1 || !ts[0].Equal(live) {
		t.Fatalf("attempts after prune = %v, %v", ts, err)
	}
	if _, err := s.UseOneTimeToken(ctx, store.TokenReset, "p1", base); err != nil {
		t.Fatalf("live token pruned: %v", err)
	}
}

func testAudit(t *testing.T, s AccountsStore) {
	ctx := context.Background()
	u := MustCreateUser(t, s, "audit@example.org", content.RoleAdmin)
	es := []*store.AuditEntry{
		{At: base, UserID: u.ID, Actor: u.Email, Action: "article.publish", ItemKind: "article", ItemID: 7, Summary: "published", IP: "192.0.2.9"},
		{At: base.Add(time.Minute), UserID: u.ID, Actor: u.Email, Action: "article.update", ItemKind: "article", ItemID: 8},
		{At: base.Add(2 * time.Minute), Actor: "cli", Action: "user.create", ItemKind: "user", ItemID: u.ID},
		{Actor: "system", Action: "now"}, // At from the store's clock
	}
	for _, e := range es {
		if err := s.RecordAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
		if e.ID == 0 || e.At.IsZero() {
			t.Fatalf("recorded = %+v", e)
		}
	}
	for _, tc := range []struct {
		name      string
		f         store.AuditFilter
		wantIDs   []int64
		wantTotal int
	}{
		{"All", store.AuditFilter{}, []int64{es[3].ID, es[2].ID, es[1].ID, es[0].ID}, 4},
		{"ByUser", store.AuditFilter{UserID: u.ID}, []int64{es[1].ID, es[0].ID}, 2},
		{"ByItem", store.AuditFilter{ItemKind: "article", ItemID: 7}, []int64{es[0].ID}, 1},
		{"ByAction", store.AuditFilter{Action: "user.create"}, []int64{es[2].ID}, 1},
		{"Page", store.AuditFilter{Limit: 2, Offset: 1}, []int64{es[2].ID, es[1].ID}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := s.FindAudit(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, e := range got {
				ids = append(ids, e.ID)
			}
			if fmt.Sprint(ids) != fmt.Sprint(tc.wantIDs) || total != tc.wantTotal {
				t.Fatalf("ids = %v total %d, want %v total %d", ids, total, tc.wantIDs, tc.wantTotal)
			}
		})
	}
	got, _, err := s.FindAudit(ctx, store.AuditFilter{ItemID: 7})
	if err != nil || len(got) != 1 || *got[0] != *es[0] {
		t.Fatalf("entry = %+v, want %+v (%v)", got, es[0], err)
	}
}

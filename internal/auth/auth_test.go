package auth_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/pquerna/otp/totp"

	"folio/internal/auth"
	"folio/internal/content"
	"folio/internal/mail"
	"folio/internal/mail/mailtest"
	"folio/internal/store"
	"folio/internal/store/sqlite"
	"folio/internal/store/sqlite/sqlitetest"
	"folio/internal/store/storetest"
)

func TestMain(m *testing.M) {
	auth.UseFastHashes()
	auth.CountChecks()
	os.Exit(m.Run())
}

// clock is a settable fixed clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type env struct {
	a     *auth.Auth
	db    *sqlite.DB
	clock *clock
	mail  *mailtest.Server
}

const goodPW = "correct horse battery"

func newEnv(t *testing.T, mailer bool) *env {
	t.Helper()
	c := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	db := sqlitetest.New(t, sqlite.WithClock(c.Now))
	e := &env{db: db, clock: c}
	cfg := auth.Config{Users: db, Sessions: db, Audit: db, Now: c.Now, SecureCookies: true,
		BaseURL: func() string { return "https://news.example.org" }}
	if mailer {
		e.mail = mailtest.Start(t)
		cfg.Mailer = &mail.SMTP{Host: e.mail.SMTPHost, Port: e.mail.SMTPPort, From: "Folio <folio@example.org>", TLS: mail.TLSNone}
	}
	e.a = auth.New(cfg)
	return e
}

func (e *env) user(t *testing.T, email string, role content.Role) *content.User {
	t.Helper()
	h, err := auth.HashPassword(goodPW)
	if err != nil {
		t.Fatal(err)
	}
	u := &content.User{Email: email, Name: "User " + email, Role: role, PasswordHash: h}
	if err := e.db.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := content.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func TestPassword_RoundTrip(t *testing.T) {
	h, err := auth.HashWithDefaults(goodPW)
	if err != nil {
		t.Fatal(err)
	}
	p, _, _, err := argon2id.DecodeHash(h)
	if err != nil {
		t.Fatal(err)
	}
	// RFC 9106's second recommendation: 64 MiB, 3 passes, 4 lanes.
	if p.Memory < 64*1024 || p.Iterations < 1 || p.Iterations > 3 || p.Parallelism < 1 || !strings.HasPrefix(h, "$argon2id$") {
		t.Fatalf("params = %+v in %s", p, h)
	}
	if *p != *auth.DefaultParams {
		t.Fatalf("hash params %+v differ from the defaults %+v", p, auth.DefaultParams)
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{goodPW, true}, {"correct horse batterY", false}, {"", false}} {
		ok, err := auth.CheckPassword(h, tc.pw)
		if err != nil || ok != tc.want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	if ok, err := auth.CheckPassword("", goodPW); ok || err != nil {
		t.Errorf("empty hash matched: %v %v", ok, err)
	}
	if _, err := auth.CheckPassword("not a hash", goodPW); err == nil {
		t.Error("malformed hash gave no error")
	}
	h2, _ := auth.HashPassword(goodPW)
	h3, _ := auth.HashPassword(goodPW)
	if h2 == h3 {
		t.Error("two hashes of one password are equal: salt missing")
	}
}

func TestValidatePassword(t *testing.T) {
	for _, tc := range []struct {
		name, pw string
		ok       bool
	}{
		{"OK", "twelve chars", true},
		{"OKUnicode", "ژاله و باران!", true},
		{"ErrEmpty", "", false},
		{"ErrShort", "elevenchars", false},
		{"ErrShortRunes", "ééééééééééé", false}, // 22 bytes, 11 characters
		{"ErrRepeated", strings.Repeat("a", 20), false},
		{"ErrRepeatedRune", strings.Repeat("ж", 20), false},
		{"OKMax", strings.Repeat("ab", 128), true},
		{"ErrTooLong", strings.Repeat("ab", 128) + "c", false},
		{"ErrInvalidUTF8", "abcdefghijkl\xff", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := auth.ValidatePassword(tc.pw)
			if tc.ok {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			wantCode(t, err, content.EINVALID)
			if content.ErrorFields(err)["password"] == "" {
				t.Fatalf("no password field in %v", err)
			}
		})
	}
}

func TestAuthenticate(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, false)
	u := e.user(t, "ana@example.org", content.RoleEditor)

	t.Run("OK", func(t *testing.T) {
		got, err := e.a.Authenticate(ctx, " ANA@example.org ", goodPW, "", "192.0.2.1")
		if err != nil || got.ID != u.ID {
			t.Fatalf("got %v, %v", got, err)
		}
	})
	t.Run("ErrSameMessage", func(t *testing.T) {
		_, err1 := e.a.Authenticate(ctx, "ana@example.org", "wrong password!", "", "192.0.2.2")
		_, err2 := e.a.Authenticate(ctx, "nobody@example.org", goodPW, "", "192.0.2.2")
		wantCode(t, err1, content.EUNAUTHORIZED)
		if err1.Error() != err2.Error() {
			t.Fatalf("wrong password %q and unknown email %q answer differently", err1, err2)
		}
	})
	t.Run("ErrDisabled", func(t *testing.T) {
		d := e.user(t, "off@example.org", content.RoleAuthor)
		d.Disabled = true
		if err := e.db.UpdateUser(ctx, d); err != nil {
			t.Fatal(err)
		}
		_, err := e.a.Authenticate(ctx, "off@example.org", goodPW, "", "192.0.2.3")
		wantCode(t, err, content.EUNAUTHORIZED)
	})
}

func TestAuthenticate_UnknownEmailHashes(t *testing.T) {
	// An unknown email, a pending invitation and a wrong password each cost
	// exactly one password check, so response time does not tell them apart.
	ctx := context.Background()
	e := newEnv(t, false)
	e.user(t, "known@example.org", content.RoleAuthor)
	if err := e.db.CreateUser(ctx, &content.User{Email: "invited@example.org", Name: "I", Role: content.RoleAuthor, Disabled: true}); err != nil {
		t.Fatal(err)
	}
	_, _ = e.a.Authenticate(ctx, "warm@example.org", "x", "", "198.51.100.1") // builds the dummy hash once
	for _, email := range []string{"unknown@example.org", "known@example.org", "invited@example.org"} {
		before := auth.Checks.Load()
		_, err := e.a.Authenticate(ctx, email, "whatever password", "", "198.51.100.1")
		wantCode(t, err, content.EUNAUTHORIZED)
		if n := auth.Checks.Load() - before; n != 1 {
			t.Errorf("%s: %d password checks, want 1", email, n)
		}
	}
}

func TestAuthenticate_Throttle(t *testing.T) {
	ctx := context.Background()
	t.Run("PerEmailAndAddress", func(t *testing.T) {
		e := newEnv(t, false)
		e.user(t, "ana@example.org", content.RoleEditor)
		for range auth.MaxPairFailures {
			_, err := e.a.Authenticate(ctx, "ana@example.org", "wrong password", "", "192.0.2.1")
			wantCode(t, err, content.EUNAUTHORIZED)
			e.clock.Add(time.Minute)
		}
		// Five failures at minutes 0..4; now is minute 5. The first ages out at 15.
		_, err := e.a.Authenticate(ctx, "ana@example.org", goodPW, "", "192.0.2.1")
		wantCode(t, err, content.EFORBIDDEN)
		if got, want := content.ErrorMessage(err), "Too many failed sign-ins. Try again in 10 minutes."; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
		// The owner, from another address, is not locked out by them.
		if _, err := e.a.Authenticate(ctx, "ana@example.org", goodPW, "", "192.0.2.2"); err != nil {
			t.Fatalf("the right password from another address was refused: %v", err)
		}
		// Another email from the same address is not locked either.
		e.user(t, "bo@example.org", content.RoleAuthor)
		if _, err := e.a.Authenticate(ctx, "bo@example.org", goodPW, "", "192.0.2.1"); err != nil {
			t.Fatalf("other account locked: %v", err)
		}
	})
	t.Run("ManyAddressesDoNotLockTheOwnerOut", func(t *testing.T) {
		// The old rule locked an account for everyone after five failures
		// from anywhere. Now a distributed guesser stays below the
		// per-email limit and the owner still signs in.
		e := newEnv(t, false)
		e.user(t, "ana@example.org", content.RoleEditor)
		for i := range MaxEmailFailuresBelow() {
			_, err := e.a.Authenticate(ctx, "ana@example.org", "wrong password", "", fmt.Sprintf("198.51.100.%d", i%200))
			wantCode(t, err, content.EUNAUTHORIZED)
		}
		if _, err := e.a.Authenticate(ctx, "ana@example.org", goodPW, "", "192.0.2.99"); err != nil {
			t.Fatalf("owner locked out by failures from other addresses: %v", err)
		}
	})
	t.Run("PerIP", func(t *testing.T) {
		e := newEnv(t, false)
		e.user(t, "ana@example.org", content.RoleEditor)
		for i := range auth.MaxIPFailures {
			_, err := e.a.Authenticate(ctx, "guess"+string(rune('a'+i))+"@example.org", "wrong password", "", "203.0.113.7")
			wantCode(t, err, content.EUNAUTHORIZED)
		}
		_, err := e.a.Authenticate(ctx, "ana@example.org", goodPW, "", "203.0.113.7")
		wantCode(t, err, content.EFORBIDDEN)
		if got, want := content.ErrorMessage(err), "Too many failed sign-ins. Try again in 15 minutes."; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
		if _, err := e.a.Authenticate(ctx, "ana@example.org", goodPW, "", "203.0.113.8"); err != nil {
			t.Fatalf("another address is locked too: %v", err)
		}
		e.clock.Add(auth.ThrottleWindow)
		if _, err := e.a.Authenticate(ctx, "ana@example.org", goodPW, "", "203.0.113.7"); err != nil {
			t.Fatalf("still locked after the window: %v", err)
		}
	})
	t.Run("SuccessClearsEmailFailures", func(t *testing.T) {
		e := newEnv(t, false)
		e.user(t, "ana@example.org", content.RoleEditor)
		for range auth.MaxPairFailures - 1 {
			_, _ = e.a.Authenticate(ctx, "ana@example.org", "wrong password", "", "192.0.2.1")
		}
		if _, err := e.a.Authenticate(ctx, "ana@example.org", goodPW, "", "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		e.clock.Add(time.Second)
		for range auth.MaxPairFailures - 1 {
			_, err := e.a.Authenticate(ctx, "ana@example.org", "wrong password", "", "192.0.2.1")
			wantCode(t, err, content.EUNAUTHORIZED)
		}
	})
}

// MaxEmailFailuresBelow is one failure short of the per-email limit.
func MaxEmailFailuresBelow() int { return auth.MaxEmailFailures - 1 }

// failFromMany makes n failed sign-ins for email, each from a different
// address so that neither the per-address nor the pair limit is reached.
func failFromMany(t *testing.T, e *env, email string, n int) {
	t.Helper()
	for i := range n {
		_, err := e.a.Authenticate(context.Background(), email, "wrong password", "", fmt.Sprintf("198.51.%d.%d", i/200, i%200))
		wantCode(t, err, content.EUNAUTHORIZED)
	}
}

func TestAuthenticate_PerEmailLockMailsUnlockLink(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, true)
	e.user(t, "ana@example.org", content.RoleEditor)
	failFromMany(t, e, "ana@example.org", auth.MaxEmailFailures)

	_, err := e.a.Authenticate(ctx, "ana@example.org", goodPW, "", "192.0.2.99")
	wantCode(t, err, content.EFORBIDDEN)
	if got, want := content.ErrorMessage(err), "Too many failed sign-ins. Try again in 60 minutes."; got != want {
		t.Fatalf("message = %q, want %q", got, want)
	}
	if n := e.mail.Count(t, "ana@example.org"); n != 1 {
		t.Fatalf("%d unlock mails, want exactly 1", n)
	}
	m := e.mail.Last(t, "ana@example.org")
	i := strings.Index(m.Text, "https://news.example.org/admin/unlock?token=")
	if i < 0 {
		t.Fatalf("no unlock link in %q", m.Text)
	}
	lu, err := url.Parse(strings.Fields(m.Text[i:])[0])
	if err != nil {
		t.Fatal(err)
	}
	tok := lu.Query().Get("token")

	// Further refused attempts while locked send nothing more.
	_, _ = e.a.Authenticate(ctx, "ana@example.org", "wrong password", "", "192.0.2.98")
	if n := e.mail.Count(t, "ana@example.org"); n != 1 {
		t.Fatalf("%d unlock mails after more attempts, want 1", n)
	}
	wantCode(t, e.a.Unlock(ctx, "not the token", "192.0.2.99"), content.EINVALID)
	if err := e.a.Unlock(ctx, tok, "192.0.2.99"); err != nil {
		t.Fatalf("unlock: %v", err)
	}
	wantCode(t, e.a.Unlock(ctx, tok, "192.0.2.99"), content.EINVALID) // once only
	if _, err := e.a.Authenticate(ctx, "ana@example.org", goodPW, "", "192.0.2.99"); err != nil {
		t.Fatalf("still locked after the unlock link: %v", err)
	}
	// Unlocking does not give the password away: a wrong one still fails.
	_, err = e.a.Authenticate(ctx, "ana@example.org", "wrong password", "", "192.0.2.99")
	wantCode(t, err, content.EUNAUTHORIZED)

	// An unknown email is locked the same way but nobody is mailed.
	before := len(e.mail.Messages(t))
	failFromMany(t, e, "ghost@example.org", auth.MaxEmailFailures)
	_, err = e.a.Authenticate(ctx, "ghost@example.org", goodPW, "", "192.0.2.97")
	wantCode(t, err, content.EFORBIDDEN)
	if got := len(e.mail.Messages(t)); got != before {
		t.Fatalf("%d mails for an unknown account", got-before)
	}
}

// TestUnlock_LinkExpires: a mailed unlock link older than UnlockLifetime
// lifts nothing, and a second lock mails a fresh link that works.
func TestUnlock_LinkExpires(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, true)
	e.user(t, "ana@example.org", content.RoleEditor)
	lock := func() string {
		t.Helper()
		n := e.mail.Count(t, "ana@example.org")
		failFromMany(t, e, "ana@example.org", auth.MaxEmailFailures)
		if got := e.mail.Count(t, "ana@example.org"); got != n+1 {
			t.Fatalf("%d unlock mails, want %d", got, n+1)
		}
		m := e.mail.Last(t, "ana@example.org")
		i := strings.Index(m.Text, "/admin/unlock?token=")
		if i < 0 {
			t.Fatalf("no unlock link in %q", m.Text)
		}
		u, err := url.Parse("https://x" + strings.Fields(m.Text[i:])[0])
		if err != nil {
			t.Fatal(err)
		}
		return u.Query().Get("token")
	}
	old := lock()
	e.clock.Add(auth.UnlockLifetime + time.Second)
	wantCode(t, e.a.Unlock(ctx, old, "192.0.2.99"), content.EINVALID)

	fresh := lock()
	_, err := e.a.Authenticate(ctx, "ana@example.org", goodPW, "", "192.0.2.99")
	wantCode(t, err, content.EFORBIDDEN)
	if err := e.a.Unlock(ctx, fresh, "192.0.2.99"); err != nil {
		t.Fatalf("fresh link: %v", err)
	}
	if _, err := e.a.Authenticate(ctx, "ana@example.org", goodPW, "", "192.0.2.99"); err != nil {
		t.Fatalf("still locked after the fresh link: %v", err)
	}
}

func TestTOTP_Replay(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, false)
	u := e.user(t, "ana@example.org", content.RoleEditor)
	secret, _, err := e.a.EnableTOTP(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	codeAt := func(d time.Duration) string {
		c, err := totp.GenerateCode(secret, e.clock.Now().Add(d))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if err := e.a.ConfirmTOTP(ctx, u, secret, codeAt(0)); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(2 * time.Minute)
	// Each step is relative to the clock at the time of the attempt; the
	// steps run in order and share the user's last accepted step.
	for _, tc := range []struct {
		name    string
		advance time.Duration
		code    time.Duration // offset of the code's time from the clock
		ok      bool
	}{
		{"current code", 0, 0, true},
		{"same code again", 0, 0, false},
		{"previous step after the current one was used", 0, -30 * time.Second, false},
		{"same code 20s later, still valid by skew", 20 * time.Second, -20 * time.Second, false},
		{"next step", 0, 30 * time.Second, true},
		{"the step after, once the clock reaches it", 40 * time.Second, 0, true},
		{"that code again", 0, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.clock.Add(tc.advance)
			got, err := e.a.Authenticate(ctx, "ana@example.org", goodPW, codeAt(tc.code), "192.0.2.1")
			if tc.ok && (err != nil || got.ID != u.ID) {
				t.Fatalf("Authenticate = %v, %v; want success", got, err)
			}
			if !tc.ok {
				wantCode(t, err, content.EUNAUTHORIZED)
				if content.ErrorFields(err)["totp"] == "" {
					t.Fatalf("refusal %v names no totp field", err)
				}
			}
		})
	}
}

func TestTOTP(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, false)
	u := e.user(t, "ana@example.org", content.RoleEditor)
	secret, otpURL, err := e.a.EnableTOTP(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(otpURL, "otpauth://totp/") || !strings.Contains(otpURL, "secret="+secret) {
		t.Fatalf("url = %q", otpURL)
	}
	code := func() string {
		c, err := totp.GenerateCode(secret, e.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	wantCode(t, e.a.ConfirmTOTP(ctx, u, secret, "000000"), content.EINVALID)
	if stored, _ := e.db.FindUserByID(ctx, u.ID); stored.TOTPSecret != "" {
		t.Fatal("secret stored before confirmation")
	}
	if err := e.a.ConfirmTOTP(ctx, u, secret, code()); err != nil {
		t.Fatal(err)
	}
	_, err = e.a.Authenticate(ctx, "ana@example.org", goodPW, "", "192.0.2.1")
	if !auth.NeedsTOTP(err) {
		t.Fatalf("without a code: %v, want the TOTP prompt", err)
	}
	_, err = e.a.Authenticate(ctx, "ana@example.org", "wrong password", "", "192.0.2.1")
	if auth.NeedsTOTP(err) {
		t.Fatal("a wrong password reveals that the account has a second factor")
	}
	_, err = e.a.Authenticate(ctx, "ana@example.org", goodPW, "123456", "192.0.2.1")
	wantCode(t, err, content.EUNAUTHORIZED)
	if content.ErrorFields(err)["totp"] == "" || auth.NeedsTOTP(err) {
		t.Fatalf("wrong code: %v", err)
	}
	e.clock.Add(time.Minute)
	got, err := e.a.Authenticate(ctx, "ana@example.org", goodPW, code(), "192.0.2.1")
	if err != nil || got.ID != u.ID {
		t.Fatalf("with the code: %v, %v", got, err)
	}
	// The same code again, still inside its window: a replay.
	_, err = e.a.Authenticate(ctx, "ana@example.org", goodPW, code(), "192.0.2.1")
	wantCode(t, err, content.EUNAUTHORIZED)
	wantCode(t, e.a.DisableTOTP(ctx, got, code()), content.EINVALID)
	e.clock.Add(30 * time.Second)
	wantCode(t, e.a.DisableTOTP(ctx, got, "000000"), content.EINVALID)
	if err := e.a.DisableTOTP(ctx, got, code()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.a.Authenticate(ctx, "ana@example.org", goodPW, "", "192.0.2.1"); err != nil {
		t.Fatalf("after disabling: %v", err)
	}
}

// browser keeps cookies like a browser does for one origin.
type browser struct {
	t       *testing.T
	h       http.Handler
	cookies map[string]*http.Cookie
}

func (b *browser) do(r *http.Request) *httptest.ResponseRecorder {
	for _, c := range b.cookies {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, r)
	for _, c := range w.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return w
}

// app is a tiny admin: a sign-in form, a private page, a private form and
// sign-out, wrapped as the real admin is.
func (e *env) app(t *testing.T) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin/login", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("csrf=" + auth.CSRFToken(r)))
	})
	mux.HandleFunc("POST /admin/login", func(w http.ResponseWriter, r *http.Request) {
		u, err := e.a.Authenticate(r.Context(), r.PostFormValue("email"), r.PostFormValue("password"), r.PostFormValue("totp"), auth.ClientIP(r))
		if err != nil {
			http.Error(w, content.ErrorMessage(err), http.StatusUnauthorized)
			return
		}
		if err := e.a.StartSession(w, r, u); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		http.Redirect(w, r, auth.SafeNext(r.PostFormValue("next")), http.StatusSeeOther)
	})
	private := http.NewServeMux()
	private.HandleFunc("GET /admin/", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("hello " + auth.UserFrom(r.Context()).Email + " csrf=" + auth.CSRFToken(r)))
	})
	private.HandleFunc("POST /admin/things", func(w http.ResponseWriter, r *http.Request) {
		e.a.Audit(r.Context(), r, "thing.create", "thing", 42, "made a thing")
		w.Write([]byte("saved"))
	})
	private.HandleFunc("POST /admin/logout", func(w http.ResponseWriter, r *http.Request) {
		if err := e.a.EndSession(w, r); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	mux.Handle("/admin/", e.a.RequireUser(private))
	return e.a.Middleware(e.a.CSRF(mux))
}

func newBrowser(t *testing.T, h http.Handler) *browser {
	return &browser{t: t, h: h, cookies: map[string]*http.Cookie{}}
}

func form(method, target string, v url.Values) *http.Request {
	r := httptest.NewRequest(method, "https://news.example.org"+target, strings.NewReader(v.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = "192.0.2.50:5555"
	return r
}

func get(target string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "https://news.example.org"+target, nil)
	r.RemoteAddr = "192.0.2.50:5555"
	return r
}

// signIn loads the form, posts the credentials and returns the CSRF token
// of the new session.
func signIn(t *testing.T, b *browser, email string) string {
	t.Helper()
	w := b.do(get("/admin/login"))
	tok := strings.TrimPrefix(w.Body.String(), "csrf=")
	w = b.do(form("POST", "/admin/login", url.Values{"email": {email}, "password": {goodPW}, "_csrf": {tok}, "next": {"/admin/"}}))
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/admin/" {
		t.Fatalf("sign in: %d %s", w.Code, w.Body)
	}
	w = b.do(get("/admin/"))
	if w.Code != http.StatusOK {
		t.Fatalf("after sign in: %d %s", w.Code, w.Body)
	}
	_, after, _ := strings.Cut(w.Body.String(), "csrf=")
	return after
}

func TestSession(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, false)
	e.user(t, "ana@example.org", content.RoleEditor)
	h := e.app(t)

	t.Run("CookieFlags", func(t *testing.T) {
		b := newBrowser(t, h)
		signIn(t, b, "ana@example.org")
		c := b.cookies[auth.SessionCookie]
		if c == nil || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/admin" || c.MaxAge != int((7*24*time.Hour).Seconds()) {
			t.Fatalf("session cookie = %+v", c)
		}
		raw, err := base64URLDecode(c.Value)
		if err != nil || len(raw) != 32 {
			t.Fatalf("cookie value is not 32 random bytes: %q", c.Value)
		}
		if _, err := e.db.FindSession(ctx, c.Value); content.ErrorCode(err) != content.ENOTFOUND {
			t.Fatal("the raw cookie token is stored")
		}
		if _, err := e.db.FindSession(ctx, sha256Hex(c.Value)); err != nil {
			t.Fatalf("SHA-256 of the token not stored: %v", err)
		}
		pre := b.cookies[auth.CSRFCookie]
		if pre == nil || !pre.HttpOnly || !pre.Secure || pre.Path != "/admin" {
			t.Fatalf("csrf cookie = %+v", pre)
		}
	})
	t.Run("SignedOutRedirects", func(t *testing.T) {
		b := newBrowser(t, h)
		w := b.do(get("/admin/articles?status=draft"))
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/admin/login?next=%2Fadmin%2Farticles%3Fstatus%3Ddraft" {
			t.Fatalf("got %d %q", w.Code, w.Header().Get("Location"))
		}
		w = b.do(get("/admin/login"))
		tok := strings.TrimPrefix(w.Body.String(), "csrf=")
		w = b.do(form("POST", "/admin/things", url.Values{"_csrf": {tok}}))
		if w.Code != http.StatusUnauthorized {
			t.Fatalf("POST signed out: %d", w.Code)
		}
	})
	t.Run("Rotation", func(t *testing.T) {
		b := newBrowser(t, h)
		// A cookie planted before sign-in (session fixation) must not survive it.
		signIn(t, b, "ana@example.org")
		before := b.cookies[auth.SessionCookie].Value
		signIn(t, b, "ana@example.org")
		after := b.cookies[auth.SessionCookie].Value
		if before == after {
			t.Fatal("session token not rotated on sign-in")
		}
		if _, err := e.db.FindSession(ctx, sha256Hex(before)); content.ErrorCode(err) != content.ENOTFOUND {
			t.Fatalf("old session still stored: %v", err)
		}
	})
	t.Run("IdleExpiry", func(t *testing.T) {
		b := newBrowser(t, h)
		signIn(t, b, "ana@example.org")
		e.clock.Add(11 * time.Hour)
		if w := b.do(get("/admin/")); w.Code != http.StatusOK {
			t.Fatalf("after 11h: %d", w.Code)
		}
		e.clock.Add(11 * time.Hour) // active 11h ago: still fine
		if w := b.do(get("/admin/")); w.Code != http.StatusOK {
			t.Fatalf("after 22h with activity: %d", w.Code)
		}
		e.clock.Add(auth.SessionIdle)
		tok := b.cookies[auth.SessionCookie].Value
		if w := b.do(get("/admin/")); w.Code != http.StatusSeeOther {
			t.Fatalf("after 12h idle: %d", w.Code)
		}
		if _, err := e.db.FindSession(ctx, sha256Hex(tok)); content.ErrorCode(err) != content.ENOTFOUND {
			t.Fatal("idle session not deleted")
		}
	})
	t.Run("AbsoluteExpiry", func(t *testing.T) {
		b := newBrowser(t, h)
		signIn(t, b, "ana@example.org")
		for range 13 { // 13 x 11h = 143h < 168h
			e.clock.Add(11 * time.Hour)
			if w := b.do(get("/admin/")); w.Code != http.StatusOK {
				t.Fatalf("active session ended early: %d", w.Code)
			}
		}
		e.clock.Add(25 * time.Hour) // 168h
		if w := b.do(get("/admin/")); w.Code != http.StatusSeeOther {
			t.Fatalf("after 7 days: %d", w.Code)
		}
	})
	t.Run("LogoutKillsServerSide", func(t *testing.T) {
		b := newBrowser(t, h)
		csrf := signIn(t, b, "ana@example.org")
		stolen := *b.cookies[auth.SessionCookie]
		w := b.do(form("POST", "/admin/logout", url.Values{"_csrf": {csrf}}))
		if w.Code != http.StatusOK {
			t.Fatalf("logout: %d %s", w.Code, w.Body)
		}
		if b.cookies[auth.SessionCookie] != nil {
			t.Fatal("cookie not cleared")
		}
		thief := newBrowser(t, h)
		thief.cookies[auth.SessionCookie] = &stolen
		if w := thief.do(get("/admin/")); w.Code != http.StatusSeeOther {
			t.Fatalf("copied cookie works after logout: %d", w.Code)
		}
	})
	t.Run("DisabledUserSignedOut", func(t *testing.T) {
		u := e.user(t, "temp@example.org", content.RoleAuthor)
		b := newBrowser(t, h)
		signIn(t, b, "temp@example.org")
		u.Disabled = true
		if err := e.db.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if w := b.do(get("/admin/")); w.Code != http.StatusSeeOther {
			t.Fatalf("disabled user still in: %d", w.Code)
		}
	})
}

func TestCSRF(t *testing.T) {
	e := newEnv(t, false)
	e.user(t, "ana@example.org", content.RoleEditor)
	h := e.app(t)
	b := newBrowser(t, h)
	csrf := signIn(t, b, "ana@example.org")
	for _, tc := range []struct {
		name   string
		req    func() *http.Request
		status int
	}{
		{"OKField", func() *http.Request { return form("POST", "/admin/things", url.Values{"_csrf": {csrf}}) }, 200},
		{"OKHeader", func() *http.Request {
			r := form("POST", "/admin/things", nil)
			r.Header.Set("X-CSRF-Token", csrf)
			return r
		}, 200},
		{"OKSameOrigin", func() *http.Request {
			r := form("POST", "/admin/things", url.Values{"_csrf": {csrf}})
			r.Header.Set("Origin", "https://news.example.org")
			r.Header.Set("Sec-Fetch-Site", "same-origin")
			return r
		}, 200},
		{"ErrMissing", func() *http.Request { return form("POST", "/admin/things", nil) }, 403},
		{"ErrWrong", func() *http.Request {
			return form("POST", "/admin/things", url.Values{"_csrf": {csrf[:len(csrf)-1] + "x"}})
		}, 403},
		{"ErrPreLoginTokenAfterLogin", func() *http.Request {
			return form("POST", "/admin/things", url.Values{"_csrf": {b.cookies[auth.CSRFCookie].Value}})
		}, 403},
		{"ErrCrossOrigin", func() *http.Request {
			r := form("POST", "/admin/things", url.Values{"_csrf": {csrf}})
			r.Header.Set("Origin", "https://evil.example")
			return r
		}, 403},
		{"ErrNullOrigin", func() *http.Request {
			r := form("POST", "/admin/things", url.Values{"_csrf": {csrf}})
			r.Header.Set("Origin", "null")
			return r
		}, 403},
		{"ErrCrossSite", func() *http.Request {
			r := form("POST", "/admin/things", url.Values{"_csrf": {csrf}})
			r.Header.Set("Sec-Fetch-Site", "cross-site")
			return r
		}, 403},
		{"ErrDelete", func() *http.Request { return form("DELETE", "/admin/things", nil) }, 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := b.do(tc.req())
			if w.Code != tc.status {
				t.Fatalf("status = %d (%s), want %d", w.Code, w.Body, tc.status)
			}
			if tc.status == 403 && !strings.Contains(w.Body.String(), "refused") && !strings.Contains(w.Body.String(), "Reload the page") {
				t.Fatalf("403 without a clear message: %q", w.Body)
			}
		})
	}
	t.Run("ErrLoginWithoutToken", func(t *testing.T) {
		b := newBrowser(t, h)
		b.do(get("/admin/login"))
		w := b.do(form("POST", "/admin/login", url.Values{"email": {"ana@example.org"}, "password": {goodPW}}))
		if w.Code != http.StatusForbidden {
			t.Fatalf("login without token: %d", w.Code)
		}
		w = b.do(form("POST", "/admin/login", url.Values{"email": {"ana@example.org"}, "password": {goodPW}, "_csrf": {"forged-token-forged-token-forged-token"}}))
		if w.Code != http.StatusForbidden {
			t.Fatalf("login with a forged token: %d", w.Code)
		}
	})
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/admin/articles?x=1":         "/admin/articles?x=1",
		"":                            "/admin/",
		"https://evil.example/admin/": "/admin/",
		"//evil.example/admin":        "/admin/",
		"/admin\\@evil.example":       "/admin/",
		"/public":                     "/admin/",
	} {
		if got := auth.SafeNext(in); got != want {
			t.Errorf("SafeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAllowed(t *testing.T) {
	e := newEnv(t, false)
	admin := &content.User{Role: content.RoleAdmin}
	if !e.a.Allowed(admin, content.ActManageUsers) || e.a.Allowed(&content.User{Role: content.RoleEditor}, content.ActManageUsers) {
		t.Fatal("role check wrong")
	}
	if e.a.Allowed(nil, content.ActCreateArticle) || e.a.Allowed(&content.User{Role: content.RoleAdmin, Disabled: true}, content.ActCreateArticle) {
		t.Fatal("nil or disabled user allowed")
	}
}

func TestAudit(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, false)
	u := e.user(t, "ana@example.org", content.RoleEditor)
	b := newBrowser(t, e.app(t))
	csrf := signIn(t, b, "ana@example.org")
	if w := b.do(form("POST", "/admin/things", url.Values{"_csrf": {csrf}})); w.Code != 200 {
		t.Fatal(w.Code)
	}
	es, _, err := e.db.FindAudit(ctx, store.AuditFilter{UserID: u.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Action != "thing.create" || es[0].ItemID != 42 || es[0].Actor != u.Email || es[0].IP != "192.0.2.50" || es[1].Action != "user.login" {
		t.Fatalf("entries = %+v", es)
	}
}

func TestResetAndInvite(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, true)
	u := e.user(t, "ana@example.org", content.RoleEditor)
	admin := e.user(t, "boss@example.org", content.RoleAdmin)

	link := func(t *testing.T, to, path string) string {
		t.Helper()
		m := e.mail.Last(t, to)
		i := strings.Index(m.Text, "https://news.example.org"+path+"?token=")
		if i < 0 {
			t.Fatalf("no %s link in %q", path, m.Text)
		}
		raw := strings.Fields(m.Text[i:])[0]
		lu, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		return lu.Query().Get("token")
	}

	t.Run("Reset", func(t *testing.T) {
		// A signed-in session that the reset must end.
		b := newBrowser(t, e.app(t))
		signIn(t, b, "ana@example.org")

		if err := e.a.SendPasswordReset(ctx, "Ana@Example.org", "198.51.100.1"); err != nil {
			t.Fatal(err)
		}
		tok := link(t, "ana@example.org", "/admin/reset")
		wantCode(t, e.a.ResetPassword(ctx, tok, "short"), content.EINVALID)
		if err := e.a.ResetPassword(ctx, tok, "a brand new passphrase"); err != nil {
			t.Fatalf("reset with a fresh link: %v", err)
		}
		if _, err := e.a.Authenticate(ctx, "ana@example.org", "a brand new passphrase", "", "198.51.100.1"); err != nil {
			t.Fatalf("new password: %v", err)
		}
		if w := b.do(get("/admin/")); w.Code != http.StatusSeeOther {
			t.Fatalf("old session survived the reset: %d", w.Code)
		}
		err := e.a.ResetPassword(ctx, tok, "yet another passphrase")
		wantCode(t, err, content.EINVALID)
		if content.ErrorFields(err)["token"] == "" {
			t.Fatalf("reuse: %v", err)
		}
	})
	t.Run("ResetExpires", func(t *testing.T) {
		if err := e.a.SendPasswordReset(ctx, "ana@example.org", "198.51.100.2"); err != nil {
			t.Fatal(err)
		}
		tok := link(t, "ana@example.org", "/admin/reset")
		e.clock.Add(auth.ResetLifetime + time.Second)
		wantCode(t, e.a.ResetPassword(ctx, tok, "yet another passphrase"), content.EINVALID)
	})
	t.Run("NoEnumeration", func(t *testing.T) {
		before := len(e.mail.Messages(t))
		errUnknown := e.a.SendPasswordReset(ctx, "nobody@example.org", "198.51.100.3")
		errKnown := e.a.SendPasswordReset(ctx, "boss@example.org", "198.51.100.3")
		if errUnknown != nil || errKnown != nil {
			t.Fatalf("unknown %v, known %v: want nil for both", errUnknown, errKnown)
		}
		if got := len(e.mail.Messages(t)); got != before+1 {
			t.Fatalf("%d messages sent, want 1 (none for the unknown email)", got-before)
		}
	})
	t.Run("RateLimit", func(t *testing.T) {
		e.clock.Add(2 * auth.ResetWindow)
		before := e.mail.Count(t, "boss@example.org")
		for i := range auth.MaxResetsByEmail {
			if err := e.a.SendPasswordReset(ctx, "boss@example.org", "198.51.100."+string(rune('4'+i))); err != nil {
				t.Fatal(err)
			}
		}
		err := e.a.SendPasswordReset(ctx, "boss@example.org", "198.51.100.9")
		wantCode(t, err, content.EFORBIDDEN)
		if !strings.HasPrefix(content.ErrorMessage(err), "Too many password reset requests. Try again in ") {
			t.Fatalf("message = %q", content.ErrorMessage(err))
		}
		// The same answer for an unknown email, so the limit reveals nothing.
		for range auth.MaxResetsByEmail {
			_ = e.a.SendPasswordReset(ctx, "ghost@example.org", "198.51.100.10")
		}
		wantCode(t, e.a.SendPasswordReset(ctx, "ghost@example.org", "198.51.100.11"), content.EFORBIDDEN)
		if got := e.mail.Count(t, "boss@example.org") - before; got != auth.MaxResetsByEmail {
			t.Fatalf("%d mails sent, want %d", got, auth.MaxResetsByEmail)
		}
		// Per address: many emails from one IP.
		e.clock.Add(2 * auth.ResetWindow)
		for i := range auth.MaxResetsByIP {
			_ = e.a.SendPasswordReset(ctx, "x"+string(rune('a'+i))+"@example.org", "203.0.113.50")
		}
		wantCode(t, e.a.SendPasswordReset(ctx, "boss@example.org", "203.0.113.50"), content.EFORBIDDEN)
	})
	t.Run("Invite", func(t *testing.T) {
		wantCode(t, e.a.Invite(ctx, u, "new@example.org", "New Person", content.RoleAuthor), content.EFORBIDDEN)
		if err := e.a.Invite(ctx, admin, "New@Example.org", "New Person", content.RoleAuthor); err != nil {
			t.Fatal(err)
		}
		pending, err := e.db.FindUserByEmail(ctx, "new@example.org")
		if err != nil || !pending.Disabled || pending.PasswordHash != "" {
			t.Fatalf("pending user = %+v, %v", pending, err)
		}
		first := link(t, "new@example.org", "/admin/invite")
		// Inviting again sends a fresh link and voids the first.
		if err := e.a.Invite(ctx, admin, "new@example.org", "New Person", content.RoleEditor); err != nil {
			t.Fatal(err)
		}
		tok := link(t, "new@example.org", "/admin/invite")
		if tok == first {
			t.Fatal("re-invite reused the link")
		}
		_, err = e.a.AcceptInvite(ctx, first, "my own passphrase")
		wantCode(t, err, content.EINVALID)
		wantCode(t, e.a.Invite(ctx, admin, "ana@example.org", "Ana", content.RoleAuthor), content.ECONFLICT)

		_, err = e.a.Authenticate(ctx, "new@example.org", "", "", "198.51.100.20")
		wantCode(t, err, content.EUNAUTHORIZED)
		got, err := e.a.AcceptInvite(ctx, tok, "my own passphrase")
		if err != nil {
			t.Fatal(err)
		}
		if got.Disabled || got.Role != content.RoleEditor {
			t.Fatalf("accepted user = %+v", got)
		}
		if _, err := e.a.Authenticate(ctx, "new@example.org", "my own passphrase", "", "198.51.100.20"); err != nil {
			t.Fatalf("sign in after accepting: %v", err)
		}
		_, err = e.a.AcceptInvite(ctx, tok, "my own passphrase")
		wantCode(t, err, content.EINVALID)
	})
	t.Run("InviteExpires", func(t *testing.T) {
		if err := e.a.Invite(ctx, admin, "late@example.org", "Late", content.RoleAuthor); err != nil {
			t.Fatal(err)
		}
		tok := link(t, "late@example.org", "/admin/invite")
		e.clock.Add(auth.InviteLifetime + time.Second)
		_, err := e.a.AcceptInvite(ctx, tok, "my own passphrase")
		wantCode(t, err, content.EINVALID)
	})
	t.Run("Audited", func(t *testing.T) {
		es, _, err := e.db.FindAudit(ctx, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, x := range es {
			seen[x.Action] = true
		}
		for _, a := range []string{"user.reset_requested", "user.password_reset", "user.invite", "user.invite_accepted", "user.login"} {
			if !seen[a] {
				t.Errorf("no %s entry in the audit log", a)
			}
		}
	})
}

var _ = storetest.MustCreateUser

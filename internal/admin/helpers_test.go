package admin

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"folio/internal/auth"
	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/media"
	"folio/internal/render"
	"folio/internal/site"
	"folio/internal/store/sqlite"
	"folio/internal/store/sqlite/sqlitetest"
)

const testPassword = "correct horse battery staple"

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is the admin and the public site wired as in cmd/folio, on a real
// SQLite store, behind a real HTTP server.
type env struct {
	t     testing.TB
	db    *sqlite.DB
	svc   *editorial.Service
	admin *Admin
	srv   *httptest.Server
	clock *clock
	users map[content.Role]*content.User
	other *content.User // an author whose pieces belong to nobody else
	deps  []string
	mu    sync.Mutex
}

var (
	hashOnce sync.Once
	hashed   string
	hashErr  error
)

// passwordHash hashes testPassword once per test binary: argon2id is
// deliberately slow, more so under -race.
func passwordHash(tb testing.TB) string {
	hashOnce.Do(func() { hashed, hashErr = auth.HashPassword(testPassword) })
	if hashErr != nil {
		tb.Fatal(hashErr)
	}
	return hashed
}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	ctx := context.Background()
	e := &env{t: tb, db: sqlitetest.New(tb), clock: &clock{t: time.Now().UTC().Truncate(time.Second)}, users: map[content.Role]*content.User{}}
	e.svc = editorial.New(e.db, editorial.OnChange(func(ev key.Event) {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.deps = append(e.deps, ev.Keys...)
	}))
	dir := tb.TempDir()
	mediaDir := filepath.Join(dir, "media")
	if err := os.MkdirAll(mediaDir, 0o755); err != nil {
		tb.Fatal(err)
	}
	rnd, err := render.New(render.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	key, err := LoadPreviewKey(dir)
	if err != nil {
		tb.Fatal(err)
	}
	au := auth.New(auth.Config{Users: e.db, Sessions: e.db, Audit: e.db})
	lib := &media.Library{Root: mediaDir}
	e.admin = New(Config{Store: e.db, Editorial: e.svc, Auth: au, Media: lib, Renderer: rnd, PreviewKey: key, Now: e.clock.now})
	mux := http.NewServeMux()
	e.admin.Register(mux)
	site.New(site.Config{Store: e.db, Renderer: rnd, Media: os.DirFS(mediaDir)}).Register(mux)
	e.srv = httptest.NewServer(mux)
	tb.Cleanup(e.srv.Close)

	hash := passwordHash(tb)
	for _, r := range content.Roles {
		au := &content.Author{Name: "Writer " + string(r)}
		if err := e.svc.System("test").CreateAuthor(ctx, au); err != nil {
			tb.Fatal(err)
		}
		u := &content.User{Email: string(r) + "@example.org", Name: "The " + string(r), Role: r, AuthorID: au.ID, PasswordHash: hash}
		if err := e.db.CreateUser(ctx, u); err != nil {
			tb.Fatal(err)
		}
		e.users[r] = u
	}
	oa := &content.Author{Name: "Someone Else"}
	if err := e.svc.System("test").CreateAuthor(ctx, oa); err != nil {
		tb.Fatal(err)
	}
	e.other = &content.User{Email: "other@example.org", Name: "Other", Role: content.RoleAuthor, AuthorID: oa.ID, PasswordHash: hash}
	if err := e.db.CreateUser(ctx, e.other); err != nil {
		tb.Fatal(err)
	}
	st := content.DefaultSettings()
	st.BaseURL = e.srv.URL
	st.TimeZone = "Europe/Berlin"
	if err := e.svc.System("test").UpdateSettings(ctx, &st); err != nil {
		tb.Fatal(err)
	}
	return e
}

// article stores an article created by owner (through the checked
// service, so it is attributed) in status.
func (e *env) article(owner *content.User, status content.Status) *content.Article {
	e.t.Helper()
	a := &content.Article{Language: "en", Title: fmt.Sprintf("Piece %d", time.Now().UnixNano()), BodyMarkdown: "First line.\n\nSecond line.",
		Authors: []*content.Author{{ID: owner.AuthorID}}}
	if err := e.svc.As(owner).CreateArticle(context.Background(), a); err != nil {
		e.t.Fatal(err)
	}
	if status != content.StatusDraft {
		a.Status = status
		if err := e.svc.System("test").UpdateArticle(context.Background(), a); err != nil {
			e.t.Fatal(err)
		}
	}
	return a
}

// browser is one signed-in (or not) HTTP client with its cookies.
type browser struct {
	t    testing.TB
	e    *env
	c    *http.Client
	csrf string
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: e.t, e: e, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// get fetches path and remembers the page's CSRF token.
func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.e.srv.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if m := csrfRe.FindSubmatch(body); m != nil {
		b.csrf = string(m[1])
	}
	return resp, string(body)
}

// post sends a form with the CSRF token (unless form sets _csrf itself).
func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["_csrf"]; !ok {
		form.Set("_csrf", b.csrf)
	}
	resp, err := b.c.PostForm(b.e.srv.URL+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func (b *browser) upload(path string, fields map[string]string, file []byte) (*http.Response, string) {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("_csrf", b.csrf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", "picture.png")
	fw.Write(file)
	mw.Close()
	resp, err := b.c.Post(b.e.srv.URL+path, mw.FormDataContentType(), &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// login signs u in through the form.
func (e *env) login(u *content.User) *browser {
	e.t.Helper()
	b := e.browser()
	b.get("/admin/login")
	resp, body := b.post("/admin/login", url.Values{"email": {u.Email}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login %s: status %d: %s", u.Email, resp.StatusCode, body)
	}
	b.get("/admin/")
	if b.csrf == "" {
		e.t.Fatal("no CSRF token on the dashboard")
	}
	return b
}

// pngBytes returns a small real PNG.
func pngBytes(tb testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 40))
	for x := range 64 {
		for y := range 40 {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 6), 140, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func mustContain(tb testing.TB, body string, subs ...string) {
	tb.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			tb.Fatalf("response lacks %q:\n%s", s, body)
		}
	}
}

func mediaMeta(alt string) media.Meta { return media.Meta{Alt: alt} }

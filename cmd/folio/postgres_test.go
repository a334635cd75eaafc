package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	neturl "net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"folio/internal/config"
	"folio/internal/content"
	"folio/internal/store"
	"folio/internal/store/postgres"
	"folio/internal/store/postgres/postgrestest"
	"folio/internal/store/sqlite"
	"folio/internal/testutil"
)

// TestDemoSite_Crawl_Postgres serves the demo from PostgreSQL, created in
// an empty database by serve itself, and walks it as the SQLite crawl does.
//
// Under the race detector pgx's protocol code runs some 25 times slower
// and the crawl of 880 URLs takes minutes, so `make test` runs this test
// in its run without -race; every other PostgreSQL test runs under it.
func TestDemoSite_Crawl_Postgres(t *testing.T) {
	if raceEnabled {
		t.Skip("runs without -race (make test's second run)")
	}
	url := testutil.PostgresDatabase(t, "")
	crawlDemo(t, startServer(t, t.TempDir(), "--database", url, "--demo"))
}

// TestMigrate_Postgres: folio migrate reports the schema version of the
// PostgreSQL database, and token create writes there.
func TestMigrate_Postgres(t *testing.T) {
	url := postgrestest.URL(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate", "--database", url}, env(nil), &out, io.Discard); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if !strings.Contains(out.String(), "schema version") {
		t.Fatalf("migrate printed %q", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"token", "create", "--name", "ci"}, env(map[string]string{"FOLIO_DATABASE_URL": url}), &out, io.Discard); err != nil {
		t.Fatalf("token create: %v", err)
	}
	if !strings.HasPrefix(out.String(), "folio_") {
		t.Fatalf("token %q", out.String())
	}
}

// TestTwoNodes_PublishReachesOtherNode runs two nodes on one PostgreSQL
// database, as behind a load balancer. A change made through node A must
// drop node B's cached page: B serves the new text without a restart. The
// nodes poll the change log only every listenPoll (10 s); the deadline is
// shorter, so only the NOTIFY can pass it (in practice it takes a few
// milliseconds; the deadline is generous so a loaded machine cannot fail it).
func TestTwoNodes_PublishReachesOtherNode(t *testing.T) {
	url := testutil.PostgresDatabase(t, "")
	nodeA := startServer(t, t.TempDir(), "--database", url, "--demo")
	nodeB := startServer(t, t.TempDir(), "--database", url)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"token", "create", "--name", "test", "--database", url}, env(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(out.String())

	const path = "/the-canal-that-rewrites-a-river/"
	resp, body := nodeB.get(t, path)
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte("The Canal That Rewrites a River")) {
		t.Fatalf("node B article: %d", resp.StatusCode)
	}
	if _, again := nodeB.get(t, path); !bytes.Equal(again, body) {
		t.Fatal("node B did not serve the same page twice")
	}
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	art, err := db.FindArticleBySlug(context.Background(), "en", "the-canal-that-rewrites-a-river")
	if err != nil {
		t.Fatal(err)
	}
	const title = "The Canal, Retitled on Node A"
	apiDo(t, nodeA, token, "PATCH", fmt.Sprintf("/api/v1/articles/%d", art.ID), map[string]any{"title": title}, nil)

	deadline := time.Now().Add(5 * time.Second)
	for {
		_, body := nodeB.get(t, path)
		_, home := nodeB.get(t, "/")
		if bytes.Contains(body, []byte(title)) && bytes.Contains(home, []byte(title)) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("node B still serves its cached page 5 s after the change on node A")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// apiDo sends an authenticated JSON request and decodes the answer into out.
func apiDo(t *testing.T, ts *testServer, token, method, path string, body, out any) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, ts.base+path, r)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

// TestTwoNodes_SharedSessionsAndThrottling: sessions and sign-in attempts
// live in the shared database, so a user signed in through node A is
// signed in on node B, and failures counted on A throttle B too.
func TestTwoNodes_SharedSessionsAndThrottling(t *testing.T) {
	url := testutil.PostgresDatabase(t, "")
	nodeA := startServer(t, t.TempDir(), "--database", url, "--demo")
	nodeB := startServer(t, t.TempDir(), "--database", url)
	for _, email := range []string{"ed@example.org", "victim@example.org"} {
		err := run(context.Background(), []string{"user", "add", "--email", email, "--name", "Ed", "--role", "editor", "--database", url},
			env(map[string]string{"FOLIO_USER_PASSWORD": "correct horse battery staple"}), io.Discard, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
	}
	// Cookies are scoped by host, not port: one jar serves both nodes,
	// as one browser behind a load balancer would.
	newClient := func() *http.Client {
		jar, _ := cookiejar.New(nil)
		return &http.Client{Jar: jar, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	csrfRe := regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	login := func(c *http.Client, base, email, password string) int {
		resp, err := c.Get(base + "/admin/login")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := csrfRe.FindSubmatch(b)
		if m == nil {
			t.Fatalf("no CSRF token on %s/admin/login (%d)", base, resp.StatusCode)
		}
		form := neturl.Values{"email": {email}, "password": {password}, "_csrf": {string(m[1])}}
		resp, err = c.PostForm(base+"/admin/login", form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	c := newClient()
	if code := login(c, nodeA.base, "ed@example.org", "correct horse battery staple"); code != http.StatusSeeOther {
		t.Fatalf("sign-in on node A: %d", code)
	}
	resp, err := c.Get(nodeB.base + "/admin/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("node B answered the signed-in user's dashboard with %d (%s), want 200", resp.StatusCode, resp.Header.Get("Location"))
	}

	attacker := newClient()
	for range 5 {
		if code := login(attacker, nodeA.base, "victim@example.org", "wrong password"); code == http.StatusSeeOther {
			t.Fatal("a wrong password signed in")
		}
	}
	// The same flow on node B works for an account nobody attacked.
	if code := login(newClient(), nodeB.base, "ed@example.org", "correct horse battery staple"); code != http.StatusSeeOther {
		t.Fatalf("sign-in on node B: %d", code)
	}
	if code := login(newClient(), nodeB.base, "victim@example.org", "correct horse battery staple"); code == http.StatusSeeOther {
		t.Fatal("node B let in an account that node A's failures had throttled")
	}
}

// TestMoveSQLiteToPostgres: a site exported from SQLite and imported into
// an empty PostgreSQL database keeps every article, author, term and media
// record, and the restored IDs leave room for new rows (the sequences are
// moved past them).
func TestMoveSQLiteToPostgres(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cli := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if err := run(ctx, args, noEnv, &out, &errb); err != nil {
			t.Fatalf("folio %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errb.String())
		}
		return out.String()
	}
	wxr := filepath.Join("..", "..", "internal", "importer", "testdata", "wp5-classic.xml")
	uploads := filepath.Join("..", "..", "internal", "importer", "testdata", "uploads")
	cli("import", "wordpress", wxr, "--data", filepath.Join(dir, "lite"), "--uploads", uploads)
	archive := filepath.Join(dir, "site.tar.gz")
	cli("export", "--data", filepath.Join(dir, "lite"), archive)

	url := testutil.PostgresDatabase(t, "")
	pgData := filepath.Join(dir, "pg")
	cli("import", "folio", archive, "--data", pgData, "--database", url)
	want := "exported 5 articles, 2 authors, 3 terms, 1 media"
	if out := cli("export", "--data", pgData, "--database", url, filepath.Join(dir, "again.tar.gz")); !strings.Contains(out, want) {
		t.Fatalf("export from PostgreSQL: %s, want %s", out, want)
	}
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	as, _, err := db.FindArticles(ctx, store.ArticleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var maxID int64
	for _, a := range as {
		maxID = max(maxID, a.ID)
	}
	au, err := db.FindAuthorByID(ctx, as[0].Authors[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	created := &content.Article{Language: "en", Title: "First written on PostgreSQL", Slug: "first-on-postgres",
		Authors: []*content.Author{{ID: au.ID}}}
	if err := db.CreateArticle(ctx, created, store.ArticleWrite{}); err != nil {
		t.Fatalf("a new article after the move: %v", err)
	}
	if created.ID <= maxID {
		t.Fatalf("new article got ID %d, not past the moved ones (max %d)", created.ID, maxID)
	}
}

// TestMigrateDB moves an SQLite site (imported articles with comments,
// media, a user, a token) into PostgreSQL and checks the report, the data
// and that the target refuses a second move.
func TestMigrateDB(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	data := filepath.Join(dir, "lite")
	cli := func(env func(string) string, args ...string) (string, error) {
		t.Helper()
		var out, errb bytes.Buffer
		err := run(ctx, args, env, &out, &errb)
		return out.String() + errb.String(), err
	}
	must := func(args ...string) string {
		t.Helper()
		out, err := cli(noEnv, args...)
		if err != nil {
			t.Fatalf("folio %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	wxr := filepath.Join("..", "..", "internal", "importer", "testdata", "wp5-classic.xml")
	uploads := filepath.Join("..", "..", "internal", "importer", "testdata", "uploads")
	must("import", "wordpress", wxr, "--data", data, "--uploads", uploads)
	must("token", "create", "--name", "sync", "--data", data)
	if out, err := cli(env(map[string]string{"FOLIO_USER_PASSWORD": "correct horse battery staple"}),
		"user", "add", "--email", "ed@example.org", "--name", "Ed", "--role", "editor", "--data", data); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}

	url := testutil.PostgresDatabase(t, "")
	out := must("migrate-db", "--from", "sqlite:"+filepath.Join(data, "folio.db"), "--to", url)
	for _, want := range []string{"every table's rows and checksum match", "articles", "comments", "users", "article_revisions"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "MISMATCH") {
		t.Errorf("report shows a mismatch:\n%s", out)
	}
	lite, err := sqlite.Open(ctx, filepath.Join(data, "folio.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	for _, s := range []siteStore{lite, pg} {
		// One public article; the export's public page is a page, in no listing.
		as, n, err := s.FindArticles(ctx, store.ArticleFilter{Public: true})
		if err != nil || n != 1 || len(as[0].Authors) == 0 {
			t.Fatalf("%T: %d public articles, %v", s, n, err)
		}
		if _, err := s.FindUserByEmail(ctx, "ed@example.org"); err != nil {
			t.Fatalf("%T: user: %v", s, err)
		}
	}
	if out, err := cli(noEnv, "migrate-db", "--from", "sqlite:"+filepath.Join(data, "folio.db"), "--to", url); err == nil ||
		!strings.Contains(err.Error(), "already holds a site") {
		t.Fatalf("a second move into the same database: %v\n%s", err, out)
	}
	if _, err := cli(noEnv, "migrate-db", "--from", filepath.Join(data, "folio.db"), "--to", url); err == nil {
		t.Fatal("--from without sqlite: accepted")
	}
	t.Logf("report:\n%s", out)
}

// TestServe_PostgresOldSchema: a node refuses a PostgreSQL schema older
// than its own unless told to migrate, so an upgrade is one deliberate step.
func TestServe_PostgresOldSchema(t *testing.T) {
	ctx := context.Background()
	url := testutil.PostgresDatabase(t, "")
	db, err := postgres.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.MigrateTo(ctx, 9); err != nil {
		t.Fatal(err)
	}
	db.Close()
	cfg := config.Default()
	cfg.Database = url
	if _, err := openStore(ctx, cfg); err == nil || !strings.Contains(err.Error(), "folio migrate") {
		t.Fatalf("old schema without --auto-migrate: %v", err)
	}
	cfg.AutoMigrate = true
	s, err := openStore(ctx, cfg)
	if err != nil {
		t.Fatalf("with --auto-migrate: %v", err)
	}
	defer s.Close()
	if v, err := s.SchemaVersion(ctx); err != nil || v < 10 {
		t.Fatalf("schema version %d, %v after migrating", v, err)
	}
}

package main

import (
	"bytes"
	"context"
	"folio/internal/config"
	"folio/internal/store"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func noEnv(string) string { return "" }

// TestImportExportBackupCLI drives the commands end to end on real files:
// import a WordPress export, export the site, import the archive into a
// new data directory, back it up and restore the backup.
func TestImportExportBackupCLI(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
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

	out := cli("import", "wordpress", wxr, "--dry-run", "--data", data, "--uploads", uploads)
	if !strings.Contains(out, "dry run") {
		t.Errorf("dry-run report:\n%s", out)
	}
	out = cli("import", "wordpress", wxr, "--data", data, "--uploads", uploads)
	if !strings.Contains(out, "article") || !strings.Contains(out, "item 9 (id 14)") {
		t.Errorf("report:\n%s", out)
	}
	var errb bytes.Buffer
	err := run(ctx, []string{"import", "wordpress", filepath.Join("..", "..", "internal", "importer", "testdata", "malformed.xml"), "--data", data}, noEnv, &bytes.Buffer{}, &errb)
	if err == nil || !strings.Contains(err.Error(), "line 22") {
		t.Errorf("malformed import: %v", err)
	}

	members := filepath.Join(dir, "ghost-members.csv")
	if err := os.WriteFile(members, []byte("id,email,name,note,subscribed_to_emails,complimentary_plan,stripe_customer_id,created_at,deleted_at,labels,tiers\n"+
		"6448a1f0c2b7a10001a1c001,reader@example.org,Ada Reader,,true,,,2023-04-01T10:00:00.000Z,,,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := cli("import", "members", members, "--data", data); !strings.Contains(out, "1 new") {
		t.Errorf("members import: %s", out)
	}
	archive := filepath.Join(dir, "site.tar.gz")
	if out := cli("export", "--data", data, archive); !strings.Contains(out, "exported 5 articles") {
		t.Errorf("export: %s", out)
	}
	data2 := filepath.Join(dir, "data2")
	if out := cli("import", "folio", archive, "--data", data2); !strings.Contains(out, "variants queued") {
		t.Errorf("import folio queues no image variants:\n%s", out)
	}
	// After the restore, the same WordPress import finds what it made.
	out = cli("import", "wordpress", wxr, "--data", data2, "--uploads", uploads)
	if strings.Contains(out, "created") && regexp.MustCompile(`(?m)^(article|page|media|comment)\s+[1-9]`).MatchString(out) {
		t.Errorf("re-import after restore created items:\n%s", out)
	}

	bak := filepath.Join(dir, "backup.tar.gz")
	if out := cli("backup", "--data", data2, bak); !strings.Contains(out, "1 media files") {
		t.Errorf("backup: %s", out)
	}
	restored := filepath.Join(dir, "restored")
	cli("restore", bak, restored)
	again := filepath.Join(dir, "again.tar.gz")
	if out := cli("export", "--data", restored, again); !strings.Contains(out, "exported 5 articles, 2 authors, 3 terms, 1 media") {
		t.Errorf("export of the restored site: %s", out)
	}
}

// TestServe_SeesArchiveImport: `folio import folio` into the data directory
// of a running server restores through the editorial service, whose change
// event reaches the server's page cache through the change log: the home
// page the server cached while the site was empty shows the restored
// articles without a restart.
func TestServe_SeesArchiveImport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	wxr := filepath.Join("..", "..", "internal", "importer", "testdata", "wp5-classic.xml")
	for _, args := range [][]string{{"import", "wordpress", wxr, "--data", src}, {"export", "--data", src, filepath.Join(dir, "site.tar.gz")}} {
		if err := run(ctx, args, noEnv, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
			t.Fatalf("folio %v: %v", args, err)
		}
	}
	data := filepath.Join(dir, "data")
	ts := startServer(t, data)
	_, before := ts.get(t, "/")
	var errb bytes.Buffer
	if err := run(ctx, []string{"import", "folio", filepath.Join(dir, "site.tar.gz"), "--data", data}, noEnv, &bytes.Buffer{}, &errb); err != nil {
		t.Fatalf("import folio: %v\n%s", err, errb.String())
	}
	db, err := openStore(ctx, config.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	arts, _, err := db.FindArticles(ctx, store.ArticleFilter{Public: true, Limit: 1})
	if err != nil || len(arts) == 0 {
		t.Fatalf("restored articles: %v, %v", arts, err)
	}
	if bytes.Contains(before, []byte(arts[0].Title)) {
		t.Fatalf("the empty site's home page already shows %q", arts[0].Title)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, home := ts.get(t, "/"); bytes.Contains(home, []byte(html.EscapeString(arts[0].Title))) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("10 s after the archive import the server's home page does not show %q", arts[0].Title)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"folio/internal/backup"
	"folio/internal/config"
)

// leftover writes a file (or, for a name ending in "/", a directory) at p
// with modification time at.
func leftover(t *testing.T, p string, at time.Time) string {
	t.Helper()
	if strings.HasSuffix(p, "/") {
		p = strings.TrimSuffix(p, "/")
		if err := os.MkdirAll(filepath.Join(p, "sub"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p, "sub", "folio.db"), []byte("snapshot"), 0o644); err != nil {
			t.Fatal(err)
		}
	} else {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(p); err != nil {
			if err := os.WriteFile(p, []byte("half"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.Chtimes(p, at, at); err != nil {
		t.Fatal(err)
	}
	return p
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// TestServe_SweepsLeftovers: what uploads and backups killed mid-way left
// (an upload temp file, a media file no record names, a backup snapshot
// directory in the temp dir) is removed when serve starts, once older than
// the grace period; a file a record names is kept however old, and young
// leftovers of writes that may still be running are kept.
func TestServe_SweepsLeftovers(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dir := t.TempDir()
	t.Run("Seed", func(t *testing.T) { startServer(t, dir, "--demo") })

	cfg := config.Default()
	cfg.DataDir = dir
	ctx := context.Background()
	db, err := openStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := db.FindMediaPaths(ctx)
	db.Close()
	if err != nil || len(paths) == 0 {
		t.Fatalf("the demo site records no media files (%v)", err)
	}
	root := filepath.Join(dir, "media")
	old := time.Now().Add(-7 * time.Hour) // past both grace periods
	keep := map[string]string{"young upload": leftover(t, filepath.Join(root, "2026", "11", ".upload-young"), time.Now()),
		"young orphan":   leftover(t, filepath.Join(root, "2026", "11", "uploading-0a0b0c.png"), time.Now()),
		"young snapshot": leftover(t, filepath.Join(tmp, "folio-backup-young")+"/", time.Now()),
	}
	for _, p := range paths {
		keep["recorded "+p] = leftover(t, filepath.Join(root, filepath.FromSlash(p)), old)
	}
	// The demo's author photos are linked by URL and have no record.
	photos, _ := filepath.Glob(filepath.Join(root, "demo", "*"))
	for _, p := range photos {
		keep["unrecorded demo file "+filepath.Base(p)] = leftover(t, p, old)
	}
	gone := map[string]string{
		"old upload":   leftover(t, filepath.Join(root, "2026", "11", ".upload-old"), old),
		"orphan":       leftover(t, filepath.Join(root, "2026", "11", "killed-d1e2f3.png"), old),
		"old snapshot": leftover(t, filepath.Join(tmp, "folio-backup-old")+"/", old),
	}

	ts := startServer(t, dir)
	deadline := time.Now().Add(20 * time.Second)
	for exists(gone["orphan"]) || exists(gone["old snapshot"]) {
		if time.Now().After(deadline) {
			t.Fatalf("leftovers still there 20 s after start\n%s", ts.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	for what, p := range gone {
		if exists(p) {
			t.Errorf("%s %s kept", what, p)
		}
	}
	for what, p := range keep {
		if !exists(p) {
			t.Errorf("%s %s removed", what, p)
		}
	}
	if resp, _ := ts.get(t, "/media/"+paths[0]); resp.StatusCode != 200 {
		t.Errorf("GET /media/%s after the sweep: %d", paths[0], resp.StatusCode)
	}
}

// TestBackup_RemovesStaleTemp: the temp files that backups killed before
// their rename left beside the target, and their snapshot directories in
// the temp dir, are removed by the next backup once six hours old; a
// younger one, which may be a backup still running, is kept.
func TestBackup_RemovesStaleTemp(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ctx := context.Background()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	wxr := filepath.Join("..", "..", "internal", "importer", "testdata", "wp5-classic.xml")
	if err := run(ctx, []string{"import", "wordpress", wxr, "--data", data}, noEnv, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-7 * time.Hour)
	gone := []string{
		leftover(t, filepath.Join(dir, ".b1.tar.gz.123456"), old),
		leftover(t, filepath.Join(dir, ".b2.tar.gz.654321"), old),
		leftover(t, filepath.Join(tmp, "folio-backup-111")+"/", old),
	}
	keep := []string{
		leftover(t, filepath.Join(dir, ".b1.tar.gz.999999"), time.Now()),
		leftover(t, filepath.Join(tmp, "folio-backup-222")+"/", time.Now()),
		leftover(t, filepath.Join(dir, "notes.txt"), old), // not a backup's
	}
	target := filepath.Join(dir, "b3.tar.gz")
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"backup", "--data", data, target}, noEnv, &out, &errb); err != nil {
		t.Fatalf("backup: %v\n%s", err, errb.String())
	}
	if !exists(target) {
		t.Fatal("no backup written")
	}
	for _, p := range gone {
		if exists(p) {
			t.Errorf("stale %s kept", p)
		}
	}
	for _, p := range keep {
		if !exists(p) {
			t.Errorf("%s removed", p)
		}
	}
	// The run's own snapshot directory is gone too.
	if m, _ := filepath.Glob(filepath.Join(tmp, "folio-backup-*")); len(m) != 1 {
		t.Errorf("snapshot dirs after the backup: %v, want only the young one", m)
	}
}

// TestCrash_KillDuringBackup kills `folio backup` (the test binary acting
// as folio) with SIGKILL at random moments, FOLIO_CRASH_CYCLES times (3 by
// default). After each kill the target is either absent or a complete
// backup that restores; the kills' temp files (beside the target and in
// the temp dir), once past their grace period, are gone after the next
// backup, which itself succeeds.
func TestCrash_KillDuringBackup(t *testing.T) {
	cycles := 3
	if s := os.Getenv("FOLIO_CRASH_CYCLES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("FOLIO_CRASH_CYCLES=%q", s)
		}
		cycles = n
	}
	tmp, dir, out := t.TempDir(), t.TempDir(), t.TempDir()
	t.Run("Seed", func(t *testing.T) { startServer(t, dir, "--demo") })
	backupCmd := func(target string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "FOLIO_TEST_AS_MAIN=1", "TMPDIR="+tmp,
			"FOLIO_TEST_ARGS=backup --data "+dir+" "+target)
		return cmd
	}
	complete := 0
	for i := range cycles {
		target := filepath.Join(out, fmt.Sprintf("b%d.tar.gz", i))
		cmd := backupCmd(target)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rand.IntN(400)) * time.Millisecond)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if !exists(target) {
			continue
		}
		f, err := os.Open(target)
		if err != nil {
			t.Fatal(err)
		}
		_, err = backup.Restore(context.Background(), f, filepath.Join(t.TempDir(), "restored"))
		f.Close()
		if err != nil {
			t.Fatalf("cycle %d: the backup a kill left does not restore: %v", i, err)
		}
		complete++
	}
	// Age what the kills left past the grace period, then back up again.
	var left []string
	aged := time.Now().Add(-backup.StaleAfter - time.Minute)
	for _, pat := range []string{filepath.Join(out, ".*"), filepath.Join(tmp, "folio-backup-*")} {
		m, _ := filepath.Glob(pat)
		for _, p := range m {
			_ = os.Chtimes(p, aged, aged)
		}
		left = append(left, m...)
	}
	if err := backupCmd(filepath.Join(out, "final.tar.gz")).Run(); err != nil {
		t.Fatalf("backup after the kills: %v", err)
	}
	for _, pat := range []string{filepath.Join(out, ".*"), filepath.Join(tmp, "*")} {
		if m, _ := filepath.Glob(pat); len(m) > 0 {
			t.Errorf("temp files left after the next backup: %v", m)
		}
	}
	t.Logf("%d backup kills, %d complete backups, %d temp files left by the kills, all removed by the next run", cycles, complete, len(left))
	fmt.Printf("%d backup kills, %d complete and restorable, %d temp files left, 0 after the next run\n", cycles, complete, len(left))
}

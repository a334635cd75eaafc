package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"io/fs"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite" // PRAGMA integrity_check on the killed server's file

	"folio/internal/config"
	"folio/internal/media"
)

// crashWant is what a crash cycle expects of one article: the titles it
// may have (the last acknowledged one, or one whose edit was in flight at
// the kill) and whether publishing it was acknowledged.
type crashWant struct {
	titles    map[string]bool
	published bool
}

// TestCrash_KillDuringWrites runs the real folio binary (this test binary
// acting as main), writes through the API from two clients (creates,
// edits, publishes) and kills it with SIGKILL at a random moment, for
// FOLIO_CRASH_CYCLES cycles (3 by default; make reliability runs 100).
// After each kill the SQLite file passes integrity_check, and after each
// restart every acknowledged write is there: the article exists with an
// acknowledged (or in-flight) title, is published if that was
// acknowledged, and its public page shows that title, not an older one.
func TestCrash_KillDuringWrites(t *testing.T) {
	cycles := 3
	if s := os.Getenv("FOLIO_CRASH_CYCLES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("FOLIO_CRASH_CYCLES=%q", s)
		}
		cycles = n
	}
	dir := t.TempDir()
	var tok bytes.Buffer
	if err := run(context.Background(), []string{"token", "create", "--name", "crash", "--data", dir}, env(nil), &tok, io.Discard); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(tok.String())
	want := map[int64]*crashWant{}
	uploads := map[int64]string{} // acknowledged uploads: id → path
	img := crashPNG(t)
	var mu sync.Mutex
	acked, writes := 0, 0
	client := &http.Client{Timeout: 10 * time.Second}

	for cycle := range cycles {
		base, cmd := startCrashNode(t, dir)
		if cycle > 0 {
			verifyCrash(t, client, base, token, want)
			verifyMedia(t, client, base, token, dir, uploads)
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					title := fmt.Sprintf("Cycle %d writer %d piece %d", cycle, w, i)
					var out struct {
						ID      int64 `json:"id"`
						Version int   `json:"version"`
					}
					if crashAPI(client, base, token, "POST", "/api/v1/articles", map[string]any{"title": title, "body_markdown": "Text of " + title, "language": "en"}, &out) != http.StatusCreated {
						continue // refused or cut off by the kill: not acknowledged
					}
					mu.Lock()
					want[out.ID] = &crashWant{titles: map[string]bool{title: true}}
					acked++
					mu.Unlock()
					edited := title + " (edited)"
					mu.Lock()
					want[out.ID].titles[edited] = true // in flight
					mu.Unlock()
					if crashAPI(client, base, token, "PATCH", fmt.Sprintf("/api/v1/articles/%d", out.ID), map[string]any{"title": edited, "version": out.Version}, nil) == http.StatusOK {
						mu.Lock()
						want[out.ID].titles = map[string]bool{edited: true}
						acked++
						mu.Unlock()
					}
					if i%2 == 0 && crashAPI(client, base, token, "POST", fmt.Sprintf("/api/v1/articles/%d/publish", out.ID), nil, nil) == http.StatusOK {
						mu.Lock()
						want[out.ID].published = true
						acked++
						mu.Unlock()
					}
					mu.Lock()
					writes++
					mu.Unlock()
				}
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				var out struct {
					ID   int64  `json:"id"`
					Path string `json:"path"`
				}
				if crashUpload(client, base, token, fmt.Sprintf("cycle-%d-%d.png", cycle, i), img, &out) != http.StatusCreated {
					continue
				}
				mu.Lock()
				uploads[out.ID] = out.Path
				acked++
				mu.Unlock()
			}
		}()
		time.Sleep(time.Duration(300+rand.IntN(1200)) * time.Millisecond)
		_ = cmd.Process.Kill() // SIGKILL: no shutdown code runs
		_ = cmd.Wait()
		close(stop)
		wg.Wait()
		checkIntegrity(t, filepath.Join(dir, "folio.db"))
	}
	// The next start comes after the sweep's grace period: every file the
	// kills left in the media tree is aged past it, so the start must
	// remove each one no record names and keep each one a record names.
	aged := time.Now().Add(-2 * media.SweepAge)
	_ = filepath.WalkDir(filepath.Join(dir, "media"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			_ = os.Chtimes(p, aged, aged)
		}
		return nil
	})
	db := openCrashStore(t, dir)
	stray := len(strayFiles(t, db, dir))
	base, _ := startCrashNode(t, dir)
	lost := verifyCrash(t, client, base, token, want) + verifyMedia(t, client, base, token, dir, uploads)
	left := waitForSweep(t, db, dir)
	t.Logf("%d cycles, %d acknowledged, %d lost; %d uploads, %d files without a record before the start, %d left", cycles, acked, lost, len(uploads), stray, left)
	fmt.Printf("%d cycles, %d acknowledged, %d lost; %d uploads, %d files without a record before the start, %d left\n", cycles, acked, lost, len(uploads), stray, left)
}

// crashPNG is a noisy 256×256 PNG, large enough (about 200 KB) for a kill
// to land in the middle of an upload now and then.
func crashPNG(t *testing.T) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for i := range m.Pix {
		m.Pix[i] = byte(rand.IntN(256))
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func crashUpload(c *http.Client, base, token, name string, img []byte, out any) int {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(img)
	_ = mw.WriteField("alt", "Noise "+name)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", base+"/api/v1/media", &body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if json.Unmarshal(b, out) != nil {
		return 0
	}
	return resp.StatusCode
}

// verifyMedia checks that every acknowledged upload has its record and its
// file, and returns how many do not.
func verifyMedia(t *testing.T, c *http.Client, base, token, dir string, uploads map[int64]string) int {
	t.Helper()
	lost := 0
	for id, p := range uploads {
		var m struct {
			Path string `json:"path"`
		}
		if st := crashAPI(c, base, token, "GET", fmt.Sprintf("/api/v1/media/%d", id), nil, &m); st != http.StatusOK || m.Path != p {
			t.Errorf("media %d: %d %q after restart, want %q", id, st, m.Path, p)
			lost++
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "media", filepath.FromSlash(p))); err != nil {
			t.Errorf("media %d: file: %v", id, err)
			lost++
		}
	}
	return lost
}

// strayFiles returns the files of the media tree that no record names,
// and fails the test when a file a record names is missing.
func strayFiles(t *testing.T, db siteStore, dir string) []string {
	t.Helper()
	paths, err := db.FindMediaPaths(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, p := range paths {
		named[p] = true
	}
	root := filepath.Join(dir, "media")
	var stray []string
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if named[rel] {
			delete(named, rel)
		} else {
			stray = append(stray, rel)
		}
		return nil
	})
	if len(named) > 0 {
		t.Fatalf("files named by records are missing: %v", named)
	}
	return stray
}

// openCrashStore opens the store of dir beside a running server.
func openCrashStore(t *testing.T, dir string) siteStore {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = dir
	db, err := openStore(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// waitForSweep waits until the media tree holds exactly the files the
// store names (the start-up sweep runs beside serving, and a variant job
// resumed by the restart may still be recording its files) and returns
// how many others are left after 30 s.
func waitForSweep(t *testing.T, db siteStore, dir string) int {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		stray := strayFiles(t, db, dir)
		if len(stray) == 0 || time.Now().After(deadline) {
			if len(stray) > 0 {
				t.Errorf("stray media files 30 s after start: %v", stray)
			}
			return len(stray)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// startCrashNode starts folio serve on dir and returns its base URL; the
// process is killed when the test ends if it still runs.
func startCrashNode(t *testing.T, dir string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "FOLIO_TEST_AS_MAIN=1",
		"FOLIO_TEST_ARGS=serve --addr 127.0.0.1:0 --log-level error --base-url http://folio.test --data "+dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	i := strings.Index(line, "http://")
	if err != nil || i < 0 {
		t.Fatalf("start: %q %v", line, err)
	}
	go io.Copy(io.Discard, stdout)
	return strings.TrimSuffix(strings.TrimSpace(line[i:]), "/"), cmd
}

func crashAPI(c *http.Client, base, token, method, path string, body, out any) int {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, base+path, r)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && json.Unmarshal(b, out) != nil {
		return 0
	}
	return resp.StatusCode
}

// verifyCrash checks every acknowledged write and returns how many are
// missing or wrong.
func verifyCrash(t *testing.T, c *http.Client, base, token string, want map[int64]*crashWant) int {
	t.Helper()
	lost := 0
	for id, w := range want {
		var a struct {
			Title  string `json:"title"`
			Status string `json:"status"`
			URL    string `json:"url"`
		}
		if st := crashAPI(c, base, token, "GET", fmt.Sprintf("/api/v1/articles/%d", id), nil, &a); st != http.StatusOK {
			t.Errorf("article %d: %d after restart", id, st)
			lost++
			continue
		}
		if !w.titles[a.Title] {
			t.Errorf("article %d: title %q, want one of %v", id, a.Title, w.titles)
			lost++
		}
		if w.published && a.Status != "published" {
			t.Errorf("article %d: status %s, publishing was acknowledged", id, a.Status)
			lost++
			continue
		}
		if a.Status == "published" {
			// The public page shows the stored title, not a stale one.
			u, err := url.Parse(a.URL)
			if err != nil {
				t.Errorf("article %d url %q: %v", id, a.URL, err)
				lost++
				continue
			}
			resp, err := c.Get(base + u.Path)
			if err != nil {
				t.Errorf("article %d page: %v", id, err)
				lost++
				continue
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !bytes.Contains(page, []byte(htmlEscape(a.Title))) {
				t.Errorf("article %d page: %d without title %q", id, resp.StatusCode, a.Title)
				lost++
			}
		}
	}
	return lost
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// checkIntegrity runs PRAGMA integrity_check on the file a killed server
// left.
func checkIntegrity(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity_check after kill: %q %v", res, err)
	}
}

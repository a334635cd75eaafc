package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/media/s3media"
	"folio/internal/store/postgres"
	"folio/internal/testutil"
)

// TestTwoNodes_SharedMediaInS3 runs two nodes on one PostgreSQL database
// and one SeaweedFS bucket. An image uploaded through node A gets its
// variants made once, by whichever node claims the job, into the bucket;
// node B serves the original and a variant, which never were on its disk.
func TestTwoNodes_SharedMediaInS3(t *testing.T) {
	s3 := testutil.SeaweedS3(t)
	ctx := context.Background()
	bucket, err := s3media.New(s3media.Config{Endpoint: s3.Endpoint, Bucket: "folio-media", AccessKey: s3.AccessKey, SecretKey: s3.SecretKey, PathStyle: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := bucket.EnsureBucket(ctx); err != nil {
		t.Fatal(err)
	}
	url := testutil.PostgresDatabase(t, "")
	s3Args := []string{"--database", url, "--media-store", "s3", "--s3-endpoint", s3.Endpoint, "--s3-bucket", "folio-media",
		"--s3-access-key", s3.AccessKey, "--s3-secret-key", s3.SecretKey, "--s3-path-style"}
	nodeA := startServer(t, t.TempDir(), s3Args...)
	nodeB := startServer(t, t.TempDir(), s3Args...)
	var out bytes.Buffer
	if err := run(ctx, []string{"token", "create", "--name", "test", "--database", url}, env(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(out.String())

	var m struct {
		ID   int64  `json:"id"`
		Path string `json:"path"`
	}
	uploadJPEG(t, nodeA, token, 800, 500, &m)
	if m.ID == 0 || m.Path == "" {
		t.Fatalf("upload answered %+v", m)
	}
	if ok, err := bucket.Exists(ctx, m.Path); err != nil || !ok {
		t.Fatalf("original %s not in the bucket: %v %v", m.Path, ok, err)
	}

	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var vs []content.MediaVariant
	for deadline := time.Now().Add(60 * time.Second); ; {
		got, err := db.FindMediaVariants(ctx, []int64{m.ID})
		if err != nil {
			t.Fatal(err)
		}
		if vs = got[m.ID]; len(vs) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no variants recorded 60 s after the upload")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Made once: one job, completed at its first attempt.
	var jobs, attempts int
	if err := db.Pool().QueryRow(ctx, `SELECT count(*), coalesce(max(attempt), 0) FROM river_job WHERE kind = 'media_variants'`).Scan(&jobs, &attempts); err != nil {
		t.Fatal(err)
	}
	if jobs != 1 || attempts != 1 {
		t.Fatalf("variant jobs: %d, attempts %d; want 1 job done at its first attempt", jobs, attempts)
	}
	keys, err := bucket.List(ctx, strings.TrimSuffix(m.Path, ".jpg")+".w")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != len(vs) {
		t.Fatalf("bucket holds %d variant objects, the database records %d", len(keys), len(vs))
	}

	for _, p := range []string{m.Path, vs[0].Path} {
		resp, body := nodeB.get(t, "/media/"+p)
		if resp.StatusCode != http.StatusOK || len(body) == 0 {
			t.Fatalf("node B /media/%s: %d", p, resp.StatusCode)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "image/") {
			t.Fatalf("node B /media/%s: Content-Type %q", p, ct)
		}
		if _, _, err := image.DecodeConfig(bytes.NewReader(body)); err != nil {
			t.Fatalf("node B /media/%s: not an image: %v", p, err)
		}
	}
	if resp, _ := nodeB.get(t, "/media/2026/01/missing.jpg"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("missing media: %d, want 404", resp.StatusCode)
	}

	// Deleting through B removes the original and its variants from the
	// bucket.
	req, _ := http.NewRequest("DELETE", nodeB.base+"/api/v1/media/"+itoa(m.ID), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	left, err := bucket.List(ctx, strings.TrimSuffix(m.Path, ".jpg"))
	if err != nil || len(left) != 0 {
		t.Fatalf("bucket keeps %v after the delete (%v)", left, err)
	}
}

// uploadJPEG posts a w×h JPEG to /api/v1/media and decodes the answer.
func uploadJPEG(t *testing.T, ts *testServer, token string, w, h int, out any) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var pic bytes.Buffer
	if err := jpeg.Encode(&pic, img, nil); err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "river delta.jpg")
	fw.Write(pic.Bytes())
	mw.WriteField("alt", "A river delta")
	mw.Close()
	req, _ := http.NewRequest("POST", ts.base+"/api/v1/media", &body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d %s", resp.StatusCode, b)
	}
	if err := jsonUnmarshal(b, out); err != nil {
		t.Fatal(err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

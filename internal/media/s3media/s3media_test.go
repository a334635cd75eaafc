package s3media_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"strings"
	"testing"

	"folio/internal/content"
	"folio/internal/media"
	"folio/internal/media/s3media"
	"folio/internal/testutil"
)

// TestLibraryInBucket runs the media library against a real S3 server
// (SeaweedFS): an upload becomes an object and nothing stays on disk, its
// variants are made from the object into the bucket, the library's fs.FS
// serves both, and removing the image removes every object of it.
func TestLibraryInBucket(t *testing.T) {
	srv := testutil.SeaweedS3(t)
	ctx := context.Background()
	b, err := s3media.New(s3media.Config{Endpoint: srv.Endpoint, Bucket: "lib-test", Prefix: "site-a/", AccessKey: srv.AccessKey, SecretKey: srv.SecretKey, PathStyle: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Ping(ctx); err == nil {
		t.Fatal("Ping of a missing bucket succeeded")
	}
	if err := b.EnsureBucket(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	root := t.TempDir()
	lib := &media.Library{Root: root, Objects: b}

	img := image.NewNRGBA(image.Rect(0, 0, 700, 400))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	img.Set(0, 0, color.NRGBA{0, 0, 0, 0}) // transparency: PNG fallback
	var pic bytes.Buffer
	if err := png.Encode(&pic, img); err != nil {
		t.Fatal(err)
	}
	m, err := lib.Ingest(ctx, "Map of the basin.png", bytes.NewReader(pic.Bytes()), media.Meta{Alt: "map"})
	if err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	if left := testutil.FilesUnder(t, root); len(left) != 0 {
		t.Fatalf("files left on disk after an upload to the bucket: %v", left)
	}
	m.ID = 1
	vs, err := lib.MakeVariants(ctx, m)
	if err != nil {
		t.Fatalf("MakeVariants: %v", err)
	}
	if len(vs) != 4 { // 320 and 640 wide (700 is within 10% of 640), each WebP and PNG
		t.Fatalf("variants: %+v", vs)
	}
	if left := testutil.FilesUnder(t, root); len(left) != 0 {
		t.Fatalf("files left on disk after variants: %v", left)
	}
	for _, p := range []string{m.Path, vs[0].Path, vs[len(vs)-1].Path} {
		f, err := lib.FS().Open(p)
		if err != nil {
			t.Fatalf("open %s: %v", p, err)
		}
		st, _ := f.Stat()
		body, _ := io.ReadAll(f)
		f.Close()
		if int64(len(body)) != st.Size() || len(body) == 0 {
			t.Fatalf("%s: read %d bytes, Stat says %d", p, len(body), st.Size())
		}
		if _, ok := f.(io.Seeker); !ok {
			t.Fatalf("%s: not seekable", p)
		}
	}
	for _, bad := range []string{"../x", ".hidden/a.png", "2026/.x.png", "missing.png"} {
		if _, err := lib.Open(bad); content.ErrorCode(err) != content.ENOTFOUND {
			t.Errorf("Open(%q) = %v, want not_found", bad, err)
		}
	}
	if _, err := lib.FS().Open("missing.png"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("FS().Open(missing) = %v", err)
	}
	keys, err := b.List(ctx, "")
	if err != nil || len(keys) != 5 {
		t.Fatalf("bucket keys %v (%v), want the original and 4 variants", keys, err)
	}
	if !strings.HasPrefix(keys[0], strings.SplitN(m.Path, "/", 2)[0]) {
		t.Fatalf("keys %v are not the store's paths (the prefix is the bucket's)", keys)
	}
	if err := lib.RemoveFiles(m); err != nil {
		t.Fatal(err)
	}
	if keys, _ := b.List(ctx, ""); len(keys) != 0 {
		t.Fatalf("bucket keeps %v after RemoveFiles", keys)
	}
}

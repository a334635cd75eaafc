package importer

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/media"
	"folio/internal/store/sqlite/sqlitetest"
)

// fuzzSite is newSite for a fuzz target: one store for every input.
func fuzzSite(f *testing.F) *site {
	db := sqlitetest.New(f)
	dir := f.TempDir()
	return &site{db: db, svc: editorial.New(db), lib: &media.Library{Root: filepath.Join(dir, "media")}, dir: dir}
}

// fuzzSeedFiles adds the real exports in testdata as seeds.
func fuzzSeedFiles(f *testing.F, names ...string) {
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// namedError reports whether err is one an operator can act on: a
// WordPress or Ghost error (which carry the line or item) or a content
// error with a message.
func namedError(err error) bool {
	var wp *WordPressError
	var gh *GhostError
	return errors.As(err, &wp) || errors.As(err, &gh) ||
		(content.ErrorCode(err) != content.EINTERNAL && content.ErrorMessage(err) != "")
}

// FuzzWordPress runs arbitrary bytes through a dry-run WordPress import:
// it parses, maps and checks everything a real import does and writes
// nothing. No input may panic, write, or fail without saying where.
func FuzzWordPress(f *testing.F) {
	fuzzSeedFiles(f, "wp5-classic.xml", "wp6-block.xml", "malformed.xml")
	f.Add([]byte(`<rss><channel><item><title>x</title><wp:post_type>post</wp:post_type></item></channel></rss>`))
	s := fuzzSite(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		opt := s.opts()
		opt.DryRun = true
		_, err := ImportWordPress(context.Background(), bytes.NewReader(b), opt)
		if err != nil && !namedError(err) {
			t.Fatalf("unnamed error %v for %q", err, b)
		}
		if c := s.counts(t); c != (counts{}) {
			t.Fatalf("a dry run wrote %+v", c)
		}
	})
}

// FuzzGhost is FuzzWordPress for Ghost JSON exports.
func FuzzGhost(f *testing.F) {
	fuzzSeedFiles(f, "ghost-5.json", "ghost-malformed.json")
	f.Add([]byte(`{"db":[{"data":{"posts":[{"id":"1","title":"x","published_at":"not a date"}]}}]}`))
	s := fuzzSite(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		opt := s.opts()
		opt.DryRun = true
		_, err := ImportGhost(context.Background(), bytes.NewReader(b), opt)
		if err != nil && !namedError(err) {
			t.Fatalf("unnamed error %v for %q", err, b)
		}
		if c := s.counts(t); c != (counts{}) {
			t.Fatalf("a dry run wrote %+v", c)
		}
	})
}

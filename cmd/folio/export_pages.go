package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"folio/internal/cache"
)

// exporter writes rendered pages into dir, the export being built. A page
// whose bytes equal the previous export's (in prev) takes that export's
// files, compressed copies included, by hard link: after a few edits, an
// export renders every page but compresses only the ones that changed, and
// a sync to a CDN by modification time or checksum sends only those.
type exporter struct {
	a         *app
	dir, prev string
	n         *atomic.Int64
	unchanged atomic.Int64
}

// pages renders and writes paths on every core. Rendering, comparing and
// compressing a page are CPU work with no shared state beyond the store's
// connection pool, so one worker per core keeps every core busy; the
// channel feeds them in path order.
func (ex *exporter) pages(ctx context.Context, paths []string) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan string, 64)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for p := range work {
				if ctx.Err() != nil {
					continue
				}
				if err := ex.page(ctx, p); err != nil {
					cancel(err)
				}
			}
		})
	}
feed:
	for _, p := range paths {
		select {
		case work <- p:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return ctx.Err()
}

func (ex *exporter) page(ctx context.Context, p string) error {
	ctype, body, err := ex.a.site.Render(ctx, p)
	if err != nil {
		return fmt.Errorf("export-static: %w", err)
	}
	name, err := fileFor(p)
	if err != nil {
		return fmt.Errorf("export-static: %s: %w", p, err)
	}
	file := filepath.Join(ex.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return fmt.Errorf("export-static: %w", err)
	}
	if ex.reuse(name, body) {
		ex.unchanged.Add(1)
		return nil
	}
	if err := writeFile(file, body, ex.n); err != nil {
		return err
	}
	gz, br := cache.Compress(ctype, body)
	if gz != nil {
		if err := writeFile(file+".gz", gz, ex.n); err != nil {
			return err
		}
	}
	if br != nil {
		if err := writeFile(file+".br", br, ex.n); err != nil {
			return err
		}
	}
	return nil
}

// reuse links the previous export's copy of name, and its compressed
// siblings, into the new export if its body is exactly body. It reports
// false (and leaves nothing behind) when there is no such copy, it differs,
// or linking fails.
func (ex *exporter) reuse(name string, body []byte) bool {
	if ex.prev == "" {
		return false
	}
	old := filepath.Join(ex.prev, filepath.FromSlash(name))
	if !sameBytes(old, body) {
		return false
	}
	file := filepath.Join(ex.dir, filepath.FromSlash(name))
	var linked []string
	for _, suffix := range []string{".gz", ".br", ""} {
		if _, err := os.Stat(old + suffix); err != nil {
			if suffix == "" || !errors.Is(err, os.ErrNotExist) {
				break
			}
			continue // not text: no compressed copies
		}
		if err := os.Link(old+suffix, file+suffix); err != nil {
			break
		}
		linked = append(linked, file+suffix)
		if suffix == "" {
			n := int64(len(body))
			for _, f := range linked[:len(linked)-1] {
				if fi, err := os.Stat(f); err == nil {
					n += fi.Size()
				}
			}
			ex.n.Add(n)
			return true
		}
	}
	for _, f := range linked {
		os.Remove(f)
	}
	return false
}

// sameBytes reports whether the file name holds exactly b.
func sameBytes(name string, b []byte) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || fi.Size() != int64(len(b)) {
		return false
	}
	got := make([]byte, len(b)+1)
	n, err := io.ReadFull(f, got)
	return errors.Is(err, io.ErrUnexpectedEOF) && n == len(b) && bytes.Equal(got[:n], b)
}

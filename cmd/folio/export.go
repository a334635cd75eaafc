package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"time"

	"folio/internal/cache"
)

// cmdExportStatic writes the whole public site to a directory with the same
// renderers the server uses, so the files are byte-identical to responses.
// It builds into a sibling directory and swaps it in at the end, so a
// failed export never leaves a half-written site where the old one was.
func cmdExportStatic(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cpuprofile, changes, searchSite string
	cfg, rest, err := loadConfigArgs("export-static", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&cpuprofile, "cpuprofile", "", "write a CPU profile of the export to this file")
		fs.StringVar(&changes, "changes", "", "write the files that are new, changed or removed since the previous export in OUT to this file (for CDN pushes)")
		fs.StringVar(&searchSite, "search-site", "", "base URL of the live site whose search the exported pages' search box submits to (default: no search box, a static host has no /search/)")
	})
	if err != nil {
		return err
	}
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			return fmt.Errorf("export-static: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("export-static: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	if len(rest) != 1 {
		return errors.New("usage: folio export-static [--data DIR] [--base-url URL] [--changes FILE] OUT")
	}
	out, err := filepath.Abs(rest[0])
	if err != nil {
		return err
	}
	// Every page is rendered once and written at once: no page cache.
	cfg.CacheBytes = 0
	cfg.Demo = false
	log := newLogger(cfg, stderr)
	start := time.Now()
	if searchSite != "" {
		if u, err := url.Parse(searchSite); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("search-site: %q must be an absolute http(s) URL", searchSite)
		}
	}
	a, err := newApp(ctx, cfg, log, forExport(searchSite))
	if err != nil {
		return err
	}
	defer a.db.Close()

	tmp, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-")
	if err != nil {
		return fmt.Errorf("export-static: %w", err)
	}
	defer os.RemoveAll(tmp)

	paths, err := a.site.Paths(ctx)
	if err != nil {
		return fmt.Errorf("export-static: list pages: %w", err)
	}
	log.Debug("export: listed pages", "pages", len(paths), "elapsed", time.Since(start))
	var bytesOut atomic.Int64
	defer func() { log.Debug("export: done", "elapsed", time.Since(start)) }()
	ex := &exporter{a: a, dir: tmp, prev: out, n: &bytesOut}
	if err := ex.pages(ctx, paths); err != nil {
		return err
	}
	log.Debug("export: wrote pages", "elapsed", time.Since(start))
	nf, err := a.site.NotFoundPage(ctx)
	if err != nil {
		return fmt.Errorf("export-static: 404 page: %w", err)
	}
	if err := writeVariants(filepath.Join(tmp, "404.html"), "text/html; charset=utf-8", nf, &bytesOut); err != nil {
		return err
	}
	if err := exportTree(a.rnd.Static(), filepath.Join(tmp, "static"), &bytesOut); err != nil {
		return fmt.Errorf("export-static: theme files: %w", err)
	}
	if err := exportTree(os.DirFS(a.media), filepath.Join(tmp, "media"), &bytesOut); err != nil {
		return fmt.Errorf("export-static: media: %w", err)
	}
	if changes != "" {
		if err := writeChanges(changes, tmp, out); err != nil {
			return err
		}
	}
	if err := swapDir(tmp, out); err != nil {
		return fmt.Errorf("export-static: %w", err)
	}
	fmt.Fprintf(stdout, "exported %d pages (%d unchanged; %d MiB with compressed copies) to %s in %s\n",
		len(paths), ex.unchanged.Load(), bytesOut.Load()>>20, out, time.Since(start).Round(time.Millisecond))
	return nil
}

// fileFor maps a URL path to a file: directory paths get index.html, and
// escapes are decoded, as static servers decode them before looking up files.
func fileFor(p string) (string, error) {
	u, err := url.PathUnescape(p)
	if err != nil {
		return "", err
	}
	clean := path.Clean("/" + u)
	if strings.HasSuffix(u, "/") {
		clean = strings.TrimSuffix(clean, "/") + "/index.html"
	}
	if clean != "/"+strings.TrimPrefix(u, "/") && !strings.HasSuffix(clean, "/index.html") {
		return "", fmt.Errorf("path %q is not clean", p)
	}
	return strings.TrimPrefix(clean, "/"), nil
}

func writeFile(name string, b []byte, n *atomic.Int64) error {
	if err := os.WriteFile(name, b, 0o644); err != nil {
		return fmt.Errorf("export-static: %w", err)
	}
	n.Add(int64(len(b)))
	return nil
}

// writeVariants writes body and, for text, its .gz and .br siblings.
func writeVariants(name, ctype string, body []byte, n *atomic.Int64) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return fmt.Errorf("export-static: %w", err)
	}
	if err := writeFile(name, body, n); err != nil {
		return err
	}
	gz, br := cache.Compress(ctype, body)
	if gz != nil {
		if err := writeFile(name+".gz", gz, n); err != nil {
			return err
		}
	}
	if br != nil {
		return writeFile(name+".br", br, n)
	}
	return nil
}

// exportTree copies every regular file of fsys under dir, with compressed
// variants for text files. Hidden files (upload leftovers) are skipped.
func exportTree(fsys fs.FS, dir string, n *atomic.Int64) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != "." {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		ctype := mime.TypeByExtension(path.Ext(p))
		return writeVariants(filepath.Join(dir, filepath.FromSlash(p)), ctype, b, n)
	})
}

// swapDir replaces out with the finished export in tmp.
func swapDir(tmp, out string) error {
	old := ""
	if _, err := os.Stat(out); err == nil {
		old = tmp + ".old"
		if err := os.Rename(out, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			_ = os.Rename(old, out)
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

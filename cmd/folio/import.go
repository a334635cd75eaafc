package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"folio/internal/backup"
	"folio/internal/config"
	"folio/internal/editorial"
	"folio/internal/importer"
	"folio/internal/media"
	"folio/internal/tgz"
)

// parseInterspersed is loadConfigArgs for commands whose flags may follow
// their positional arguments ("folio import wordpress FILE --dry-run").
func parseInterspersed(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (config.Config, []string, error) {
	cfg := config.Default()
	if err := cfg.LoadEnv(getenv); err != nil {
		return cfg, nil, err
	}
	fs := flag.NewFlagSet("folio "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.Bind(fs)
	if extra != nil {
		extra(fs)
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return cfg, nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	return cfg, pos, cfg.Validate()
}

const importUsage = `usage:
  folio import wordpress FILE.xml [--uploads DIR] [--fetch-media] [--map MAP] [--dry-run] [--force] [--skip-pages]
  folio import ghost FILE.json [--uploads DIR] [--fetch-media] [--map MAP] [--dry-run] [--force] [--skip-pages]
  folio import folio FILE.tar.gz
  folio import members FILE.csv   (Ghost's members export, Substack's subscribers, Folio's own)`

// cmdImport brings a WordPress or Ghost export, or a Folio archive, into
// the site in --data.
func cmdImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(importUsage)
	}
	kind := args[0]
	var uploads, mapFile string
	var dry, force, skipPages, fetchMedia bool
	cfg, pos, err := parseInterspersed("import "+kind, args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		if kind == "folio" || kind == "members" {
			return
		}
		fs.StringVar(&uploads, "uploads", "", "local copy of wp-content/uploads (WordPress) or content/images (Ghost)")
		fs.StringVar(&mapFile, "map", "", "file mapping categories and tags to regions, themes, dossiers or tags")
		fs.BoolVar(&dry, "dry-run", false, "read and check everything, report, write nothing")
		fs.BoolVar(&force, "force", false, "overwrite articles edited in Folio since the last import")
		fs.BoolVar(&skipPages, "skip-pages", false, "leave pages out (by default they become articles tagged \"pages\")")
		fs.BoolVar(&fetchMedia, "fetch-media", false, "download images missing from --uploads from the old site (public http(s) addresses only, 20 MiB each)")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New(importUsage)
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	mediaRoot := filepath.Join(cfg.DataDir, "media")
	if err := os.MkdirAll(mediaRoot, 0o755); err != nil {
		return fmt.Errorf("media directory: %w", err)
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()

	// Every kind writes through the editorial service, whose events reach
	// a running server's cache through the change log.
	svc, lib, err := cliEditorial(ctx, cfg, db, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	var rep *importer.Report
	switch kind {
	case "members":
		return importMembers(ctx, svc.System("import members"), f, stdout)
	case "folio":
		rep, err = importer.ImportFolio(ctx, svc.System("import folio"), mediaRoot, f)
		if err == nil {
			err = queueAllVariants(ctx, svc.System("import folio"), db, lib, rep)
		}
	case "wordpress", "ghost":
		opt := importer.Options{
			Editorial: svc, Store: db, Uploads: uploads, DryRun: dry, Force: force, SkipPages: skipPages,
			Media:    lib,
			Progress: importer.NewProgress(stderr),
		}
		if fetchMedia {
			opt.Fetch = &importer.Fetcher{MaxBytes: cfg.MaxUploadBytes}
		}
		if mapFile != "" {
			mf, err := os.Open(mapFile)
			if err != nil {
				return fmt.Errorf("import: mapping: %w", err)
			}
			opt.Mapping, err = importer.ParseMapping(mf)
			mf.Close()
			if err != nil {
				return err
			}
		}
		if kind == "wordpress" {
			rep, err = importer.ImportWordPress(ctx, f, opt)
		} else {
			rep, err = importer.ImportGhost(ctx, f, opt)
		}
	default:
		return fmt.Errorf("import: unknown source %q\n%s", kind, importUsage)
	}
	if rep != nil && (err == nil || len(rep.Warnings) > 0) {
		rep.WriteTo(stdout)
	}
	if err != nil {
		return fmt.Errorf("import %s: nothing was imported: %w", kind, err)
	}
	return nil
}

// cmdExport writes the whole site as a Folio archive (docs/archive-format.md).
func cmdExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, pos, err := parseInterspersed("export", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("usage: folio export [--data DIR] FILE.tar.gz")
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	return writeAtomically(pos[0], func(w io.Writer) error {
		m, err := importer.Export(ctx, db, filepath.Join(cfg.DataDir, "media"), w, "folio "+versionString())
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "exported %d articles, %d authors, %d terms, %d media, %d redirects, %d comments to %s\n",
			m.Counts["articles.jsonl"], m.Counts["authors.jsonl"], m.Counts["terms.jsonl"], m.Counts["media.jsonl"],
			m.Counts["redirects.jsonl"], m.Counts["comments.jsonl"], pos[0])
		return nil
	})
}

// writeAtomically writes to a temp file beside path and renames it into
// place, so a failed export or backup never leaves a half file that looks whole.
func writeAtomically(path string, write func(io.Writer) error) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s already exists", path)
	}
	// Temp files of earlier runs killed before their rename are removed:
	// this target's, and those of other archives in the same directory, as
	// a scheduled backup names each run's file by its date.
	tgz.RemoveStale(filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".*"), backup.StaleAfter)
	removeStaleArchiveTemps(filepath.Dir(path))
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// queueAllVariants asks for the responsive variants of every restored
// image: an archive carries the originals, and the variants are made from
// them by a running server's workers (or the next `folio serve`).
func queueAllVariants(ctx context.Context, ed *editorial.Editor, db siteStore, lib *media.Library, rep *importer.Report) error {
	for off := 0; ; off += 500 {
		ms, _, err := db.FindMedia(ctx, 500, off)
		if err != nil {
			return fmt.Errorf("queue image variants: %w", err)
		}
		for _, m := range ms {
			if err := ed.QueueMediaVariants(ctx, lib, m.ID); err != nil {
				return fmt.Errorf("queue variants of media %d: %w", m.ID, err)
			}
			rep.Counts["variants queued"] = addOne(rep.Counts["variants queued"])
		}
		if len(ms) < 500 {
			return nil
		}
	}
}

func addOne(c *importer.Count) *importer.Count {
	if c == nil {
		c = &importer.Count{}
	}
	c.Created++
	return c
}

// importMembers brings the members of a Ghost (or Substack, or Folio)
// members CSV through the editorial service's member import. Newsletter
// subscriptions are chosen in the admin's import, which lists them.
func importMembers(ctx context.Context, ed *editorial.Editor, f io.Reader, stdout io.Writer) error {
	rows, err := importer.ParseMembersCSV(f)
	if err != nil {
		return fmt.Errorf("import members: nothing was imported: %w", err)
	}
	in := make([]editorial.MemberImport, 0, len(rows))
	for _, row := range rows {
		in = append(in, editorial.MemberImport{Email: row.Email, Name: row.Name, Languages: row.Languages})
	}
	res, err := ed.ImportMembers(ctx, in)
	if err != nil {
		return fmt.Errorf("import members: nothing was imported: %w", err)
	}
	fmt.Fprintf(stdout, "members: %d new, %d updated, %d blocked left alone\n", res.Created, res.Updated, res.Blocked)
	return nil
}

// archiveTemp matches the name os.CreateTemp gives writeAtomically's temp
// file for a .tar.gz target: "." + the target's name + "." + digits.
var archiveTemp = regexp.MustCompile(`^\..+\.tar\.gz\.[0-9]+$`)

// removeStaleArchiveTemps removes from dir the temp files of exports and
// backups killed before their rename, once older than backup.StaleAfter
// (no export or backup takes that long, so a younger one may be running).
// It returns how many it removed.
func removeStaleArchiveTemps(dir string) int {
	matches, _ := filepath.Glob(filepath.Join(dir, ".*.tar.gz.*"))
	n := 0
	for _, m := range matches {
		if !archiveTemp.MatchString(filepath.Base(m)) {
			continue
		}
		fi, err := os.Lstat(m)
		if err != nil || !fi.Mode().IsRegular() || time.Since(fi.ModTime()) < backup.StaleAfter {
			continue
		}
		if os.Remove(m) == nil {
			n++
		}
	}
	return n
}

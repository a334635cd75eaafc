// Command corpus writes a deterministic synthetic publication through
// Folio's editorial service onto a fresh SQLite data directory, for the
// benchmarks in bench/.
//
//	go run ./bench/corpus --articles 10000 --data DIR [--seed 1] [--paths FILE]
//
// With --paths-only it writes the public article paths of an existing data
// directory to --paths and changes nothing.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store"
	"folio/internal/store/sqlite"
	"folio/internal/urls"
)

func main() {
	n := flag.Int("articles", 1000, "number of articles")
	dir := flag.String("data", "", "data directory to create (must not hold a database)")
	seed := flag.Uint64("seed", 1, "random seed")
	paths := flag.String("paths", "", "also write every public article path to this file, one a line")
	pathsOnly := flag.Bool("paths-only", false, "only write --paths from an existing data directory")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "corpus: --data is required")
		os.Exit(2)
	}
	if err := run(context.Background(), *n, *dir, *seed, *paths, *pathsOnly); err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, n int, dir string, seed uint64, paths string, pathsOnly bool) error {
	dbPath := filepath.Join(dir, "folio.db")
	if !pathsOnly {
		if _, err := os.Stat(dbPath); err == nil {
			return fmt.Errorf("%s exists: the corpus needs a fresh data directory", dbPath)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "media", "bench"), 0o755); err != nil {
		return err
	}
	db, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if !pathsOnly {
		if err := generate(ctx, db, dir, n, seed); err != nil {
			return err
		}
	}
	if paths != "" {
		return writePaths(ctx, db, paths)
	}
	return nil
}

func generate(ctx context.Context, db *sqlite.DB, dir string, n int, seed uint64) error {
	start := time.Now()
	for i := 1; i <= numImages; i++ {
		if err := os.WriteFile(filepath.Join(dir, "media", "bench", "img-"+strconv.Itoa(i)+".svg"), svg(i), 0o644); err != nil {
			return err
		}
	}
	svc := editorial.New(db)
	st := settings()
	if err := svc.System("bench corpus").UpdateSettings(ctx, &st); err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	g := newGen(seed)
	authors := g.authors()
	for _, a := range authors {
		if err := svc.System("bench corpus").CreateAuthor(ctx, a); err != nil {
			return fmt.Errorf("author %s: %w", a.Name, err)
		}
	}
	regions, themes, dossiers, tags := g.terms()
	for _, list := range [][]*content.Term{regions, themes, dossiers, tags} {
		for _, t := range list {
			if err := svc.System("bench corpus").CreateTerm(ctx, t); err != nil {
				return fmt.Errorf("term %s: %w", t.Name, err)
			}
		}
	}
	fmt.Fprintf(os.Stderr, "corpus: %d authors, %d terms in %v\n", len(authors),
		len(regions)+len(themes)+len(dossiers)+len(tags), time.Since(start).Round(time.Millisecond))

	slugs := map[string]int{}
	artStart, last := time.Now(), time.Now()
	var genTime time.Duration
	for i := 0; i < n; i++ {
		t0 := time.Now()
		s := g.article(i, n)
		genTime += time.Since(t0)
		a := &s.Article
		// Explicit unique slugs skip the service's slug probing; they are
		// what the title would give, suffixed as the service would.
		base := content.Slugify(a.Title)
		slugs[base]++
		a.Slug = base
		if c := slugs[base]; c > 1 {
			a.Slug = base + "-" + strconv.Itoa(c)
		}
		for _, ai := range s.Authors {
			a.Authors = append(a.Authors, &content.Author{ID: authors[ai].ID})
		}
		a.Terms = append(a.Terms, &content.Term{ID: regions[s.Region].ID})
		for _, ti := range s.Themes {
			a.Terms = append(a.Terms, &content.Term{ID: themes[ti].ID})
		}
		if s.Dossier >= 0 {
			a.Terms = append(a.Terms, &content.Term{ID: dossiers[s.Dossier].ID})
		}
		for _, ti := range s.Tags {
			a.Terms = append(a.Terms, &content.Term{ID: tags[ti].ID})
		}
		if err := svc.System("bench corpus").CreateArticle(ctx, a); err != nil {
			return fmt.Errorf("article %d (%s): %w", i, a.Slug, err)
		}
		if done := i + 1; done%1000 == 0 || done == n {
			el := time.Since(artStart)
			fmt.Fprintf(os.Stderr, "corpus: %d/%d articles, %.0f/s (last 1000 in %v)\n",
				done, n, float64(done)/el.Seconds(), time.Since(last).Round(time.Millisecond))
			last = time.Now()
		}
	}
	el := time.Since(artStart)
	fmt.Printf("corpus: %d articles (seed %d) in %v: %.0f articles/s; text generation %v of it\n",
		n, seed, el.Round(time.Millisecond), float64(n)/el.Seconds(), genTime.Round(time.Millisecond))
	return nil
}

// writePaths lists every public article path, newest first.
func writePaths(ctx context.Context, db *sqlite.DB, file string) error {
	st, err := db.Settings(ctx)
	if err != nil {
		return err
	}
	b := urls.New(st)
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	var after *store.Cursor
	count := 0
	for {
		arts, _, err := db.FindArticles(ctx, store.ArticleFilter{Public: true, Limit: 500, After: after})
		if err != nil {
			f.Close()
			return err
		}
		for _, a := range arts {
			fmt.Fprintln(w, b.Article(a))
			count++
		}
		if len(arts) < 500 {
			break
		}
		c := store.CursorOf(arts[len(arts)-1])
		after = &c
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	fmt.Fprintf(os.Stderr, "corpus: wrote %d article paths to %s\n", count, file)
	return f.Close()
}

// Command hugoexport dumps a Folio corpus from its SQLite store into a Hugo
// site (content/posts/*.md with JSON front matter, the bench theme, the
// media), so Hugo builds the same pages Folio serves.
//
//	go run ./bench/hugoexport --data DIR --out SITE
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"folio/internal/content"
	"folio/internal/store"
	"folio/internal/store/sqlite"
)

type frontMatter struct {
	Title        string   `json:"title"`
	Slug         string   `json:"slug"`
	Date         string   `json:"date"`
	Description  string   `json:"description,omitempty"`
	Authors      []string `json:"authors"`
	Regions      []string `json:"regions,omitempty"`
	Themes       []string `json:"themes,omitempty"`
	Dossiers     []string `json:"dossiers,omitempty"`
	Tags         []string `json:"tags,omitempty"`
	Image        string   `json:"image,omitempty"`
	ImageAlt     string   `json:"image_alt,omitempty"`
	ImageCaption string   `json:"image_caption,omitempty"`
	ImageCredit  string   `json:"image_credit,omitempty"`
	License      string   `json:"license,omitempty"`
}

func main() {
	data := flag.String("data", "", "Folio data directory")
	out := flag.String("out", "", "Hugo site directory to write (replaced)")
	themes := flag.String("themes", "bench/hugo/themes", "directory holding the folio-bench theme")
	tmpl := flag.String("config", "bench/hugo/config.toml.tmpl", "Hugo config template")
	flag.Parse()
	if err := run(context.Background(), *data, *out, *themes, *tmpl); err != nil {
		fmt.Fprintln(os.Stderr, "hugoexport:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, data, out, themes, tmpl string) error {
	if data == "" || out == "" {
		return fmt.Errorf("--data and --out are required")
	}
	db, err := sqlite.Open(ctx, filepath.Join(data, "folio.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := db.Settings(ctx)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	posts := filepath.Join(out, "content", "posts")
	if err := os.MkdirAll(posts, 0o755); err != nil {
		return err
	}
	absThemes, err := filepath.Abs(themes)
	if err != nil {
		return err
	}
	cfg, err := os.ReadFile(tmpl)
	if err != nil {
		return err
	}
	yes := true
	active, _, err := db.FindTerms(ctx, store.TermFilter{Kind: content.KindDossier, Active: &yes})
	if err != nil {
		return err
	}
	var activeNames []string
	for _, t := range active {
		activeNames = append(activeNames, strconv.Quote(t.Name))
	}
	var notices []string
	for _, n := range []string{st.Notices.NoteToReaders, st.Notices.RepublishingPolicy, st.Notices.Disclaimer,
		st.Notices.FairUse, st.Notices.MediaContact, st.Notices.MembershipCall} {
		if n != "" {
			notices = append(notices, strconv.Quote(n))
		}
	}
	c := strings.NewReplacer("@TITLE@", st.Title, "@THEMES@", absThemes).Replace(string(cfg))
	c += fmt.Sprintf("\n[params]\n  tagline = %q\n  activeDossiers = [%s]\n  notices = [%s]\n",
		st.Tagline, strings.Join(activeNames, ", "), strings.Join(notices, ", "))
	if err := os.WriteFile(filepath.Join(out, "config.toml"), []byte(c), 0o644); err != nil {
		return err
	}
	if err := copyDir(filepath.Join(data, "media"), filepath.Join(out, "static", "media")); err != nil {
		return err
	}
	var after *store.Cursor
	count := 0
	for {
		arts, _, err := db.FindArticles(ctx, store.ArticleFilter{Public: true, Limit: 500, After: after})
		if err != nil {
			return err
		}
		for _, a := range arts {
			if err := writePost(posts, a); err != nil {
				return err
			}
			count++
		}
		if len(arts) < 500 {
			break
		}
		cur := store.CursorOf(arts[len(arts)-1])
		after = &cur
	}
	fmt.Fprintf(os.Stderr, "hugoexport: %d articles into %s\n", count, out)
	return nil
}

func writePost(dir string, a *content.Article) error {
	fm := frontMatter{Title: a.Title, Slug: a.Slug, Date: a.PublishedAt.UTC().Format("2006-01-02T15:04:05Z"),
		Description: a.Deck, License: a.License}
	for _, au := range a.Authors {
		fm.Authors = append(fm.Authors, au.Name)
	}
	for _, t := range a.Terms {
		switch t.Kind {
		case content.KindRegion:
			fm.Regions = append(fm.Regions, t.Name)
		case content.KindTheme:
			fm.Themes = append(fm.Themes, t.Name)
		case content.KindDossier:
			fm.Dossiers = append(fm.Dossiers, t.Name)
		case content.KindTag:
			fm.Tags = append(fm.Tags, t.Name)
		}
	}
	if im := a.Image; im != nil {
		fm.Image, fm.ImageAlt, fm.ImageCaption, fm.ImageCredit = im.URL, im.Alt, im.Caption, im.Credit
	}
	f, err := os.Create(filepath.Join(dir, a.Slug+".md"))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(fm); err != nil {
		f.Close()
		return err
	}
	w.WriteString("\n")
	w.WriteString(a.BodyMarkdown)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		o, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(o, in); err != nil {
			o.Close()
			return err
		}
		return o.Close()
	})
}

// Package seed loads the demo publication into an empty site through the
// editorial service, so demo content obeys the same rules as real content.
package seed

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"folio/internal/content"
	"folio/internal/demo"
	"folio/internal/editorial"
	"folio/internal/store"
)

// Demo loads ds into the site unless it already has articles, copying the
// demo images to mediaRoot/demo. It reports whether anything was loaded.
func Demo(ctx context.Context, svc *editorial.Service, mediaRoot string, ds *demo.Dataset) (bool, error) {
	st := svc.Store()
	if _, n, err := st.FindArticles(ctx, store.ArticleFilter{Limit: 1}); err != nil {
		return false, fmt.Errorf("seed: count articles: %w", err)
	} else if n > 0 {
		return false, nil
	}
	dir := filepath.Join(mediaRoot, "demo")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return false, fmt.Errorf("seed: %w", err)
	}
	for name, b := range ds.Images {
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(name)), b, 0o644); err != nil {
			return false, fmt.Errorf("seed: image %s: %w", name, err)
		}
	}
	settings := ds.Settings
	if err := svc.System("demo").UpdateSettings(ctx, &settings); err != nil {
		return false, fmt.Errorf("seed: settings: %w", err)
	}
	// The article images join the media library with their own rights:
	// the republish tool takes only those that may be republished.
	for _, m := range ds.Media {
		cp := *m
		if err := svc.System("demo").RecordMedia(ctx, &cp); err != nil {
			return false, fmt.Errorf("seed: media %s: %w", m.Path, err)
		}
	}
	authors := map[string]*content.Author{}
	for _, a := range ds.Authors {
		cp := *a
		// Photos are served by this site, whatever its base URL.
		if f, ok := ds.AuthorPhotos[a.Slug]; ok {
			cp.PhotoURL = demo.MediaPrefix + f
		}
		if err := svc.System("demo").CreateAuthor(ctx, &cp); err != nil {
			return false, fmt.Errorf("seed: author %s: %w", a.Slug, err)
		}
		authors[cp.Slug] = &cp
	}
	terms := map[string]*content.Term{}
	for _, t := range ds.Terms {
		cp := *t
		if err := svc.System("demo").CreateTerm(ctx, &cp); err != nil {
			return false, fmt.Errorf("seed: term %s/%s: %w", t.Kind, t.Slug, err)
		}
		terms[string(cp.Kind)+"/"+cp.Slug] = &cp
	}
	// Originals first, so translations can join their group.
	groups := map[string]int64{}
	for pass := 0; pass < 2; pass++ {
		for _, da := range ds.Articles {
			if (pass == 0) != (da.TranslationOf == "") {
				continue
			}
			a := da.Article
			a.Authors, a.Terms = nil, nil
			for _, s := range da.AuthorSlugs {
				au, ok := authors[s]
				if !ok {
					return false, fmt.Errorf("seed: article %s: unknown author %q", a.Slug, s)
				}
				a.Authors = append(a.Authors, au)
			}
			for _, ref := range da.TermRefs {
				t, ok := terms[string(ref.Kind)+"/"+ref.Slug]
				if !ok {
					return false, fmt.Errorf("seed: article %s: unknown %s %q", a.Slug, ref.Kind, ref.Slug)
				}
				a.Terms = append(a.Terms, t)
			}
			if da.TranslationOf != "" {
				g, ok := groups[da.TranslationOf]
				if !ok {
					return false, fmt.Errorf("seed: article %s: translation of unknown article %q", a.Slug, da.TranslationOf)
				}
				a.TranslationGroup = g
				if a.Translation != nil {
					// The group's ID is its first article's: the original.
					tr := *a.Translation
					tr.SourceID = g
					a.Translation = &tr
				}
			}
			if err := svc.System("demo").CreateArticle(ctx, &a); err != nil {
				return false, fmt.Errorf("seed: article %s: %w", a.Slug, err)
			}
			if da.TranslationOf == "" {
				groups[a.Slug] = a.TranslationGroup
			}
		}
	}
	if err := readers(ctx, svc, ds); err != nil {
		return false, err
	}
	if err := newsroom(ctx, svc); err != nil {
		return false, err
	}
	return true, nil
}

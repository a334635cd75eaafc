package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strings"
	"time"

	"folio/web"
)

// Options configure a Renderer.
type Options struct {
	// ThemeDir, when set, holds files that replace the embedded ones by the
	// same relative name: templates/layout.html, templates/partials/*.html,
	// templates/pages/*.html, static/*.
	ThemeDir string
}

// Renderer renders the public pages. It is safe for concurrent use.
type Renderer struct {
	pages  map[string]*template.Template
	static *memFS
	assets map[string]string // static name → /static/name?v=hash
}

// Views and partials every theme must provide; New fails if one is missing.
var (
	viewNames    = []string{"home", "article", "archive", "error", "search", "page"}
	partialNames = []string{"head", "header", "footer", "card", "byline", "pagination", "feeds", "share", "notices", "authorbox", "correctionlog", "corrections"}
)

// StaticPrefix is where handlers serve Renderer.Static.
const StaticPrefix = "/static/"

// New parses every template once and reads the static files. It fails when a
// view or partial is missing or does not parse, or when a view cannot render
// a sample page (a reference to a missing template or field).
func New(opts Options) (*Renderer, error) {
	theme, err := themeFS(opts.ThemeDir)
	if err != nil {
		return nil, fmt.Errorf("render: theme dir: %w", err)
	}
	var upperT, upperS fs.FS
	if theme != nil {
		upperT, _ = fs.Sub(theme, "templates")
		upperS, _ = fs.Sub(theme, "static")
	}
	tfs := overlay{upper: upperT, lower: web.Templates}
	sfs := overlay{upper: upperS, lower: web.Static}

	r := &Renderer{pages: map[string]*template.Template{}, assets: map[string]string{}}
	r.static, err = snapshot(sfs, time.Now().UTC().Truncate(time.Second))
	if err != nil {
		return nil, fmt.Errorf("render: static files: %w", err)
	}
	for name, b := range r.static.files {
		sum := sha256.Sum256(b)
		r.assets[name] = StaticPrefix + name + "?v=" + hex.EncodeToString(sum[:4])
	}

	base := template.New("layout").Funcs(r.funcs())
	if err := parseFile(base, tfs, "layout.html"); err != nil {
		return nil, err
	}
	for _, p := range partialNames {
		if err := parseFile(base, tfs, "partials/"+p+".html"); err != nil {
			return nil, err
		}
	}
	// Extra partials a theme adds are available to every view.
	extra, _ := fs.Glob(tfs, "partials/*.html")
	for _, f := range extra {
		if !contains(partialNames, strings.TrimSuffix(path.Base(f), ".html")) {
			if err := parseFile(base, tfs, f); err != nil {
				return nil, err
			}
		}
	}
	for _, p := range partialNames {
		if base.Lookup(p) == nil {
			return nil, fmt.Errorf("render: partials/%s.html does not define template %q", p, p)
		}
	}
	for _, v := range viewNames {
		t, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("render: clone for %s: %w", v, err)
		}
		if err := parseFile(t, tfs, "pages/"+v+".html"); err != nil {
			return nil, err
		}
		if t.Lookup("main") == nil {
			return nil, fmt.Errorf("render: pages/%s.html does not define template \"main\"", v)
		}
		r.pages[v] = t
	}
	if err := r.selfCheck(); err != nil {
		return nil, err
	}
	return r, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func parseFile(t *template.Template, fsys fs.FS, name string) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("render: template %s: %w", name, err)
	}
	if _, err := t.New(name).Parse(string(b)); err != nil {
		return fmt.Errorf("render: template %s: %w", name, err)
	}
	return nil
}

func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		// asset returns the cache-busting URL of a static file.
		"asset": func(name string) (string, error) {
			if u, ok := r.assets[name]; ok {
				return u, nil
			}
			return "", fmt.Errorf("no static file %q", name)
		},
	}
}

// Static returns the theme's static files, overrides applied, as read at New.
// Handlers serve it under StaticPrefix; URLs in pages carry ?v={hash}, so the
// files may be cached for a long time.
func (r *Renderer) Static() fs.FS { return r.static }

// AssetURL returns the cache-busting URL of a static file, e.g.
// "/static/site.css?v=1a2b3c4d", or "" when there is no such file.
func (r *Renderer) AssetURL(name string) string { return r.assets[name] }

func (r *Renderer) render(w io.Writer, view string, data any) error {
	t := r.pages[view]
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("render: %s: %w", view, err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("render: %s: write: %w", view, err)
	}
	return nil
}

// Home renders the home page.
func (r *Renderer) Home(w io.Writer, v *HomeView) error { return r.render(w, "home", v) }

// Article renders an article page.
func (r *Renderer) Article(w io.Writer, v *ArticleView) error { return r.render(w, "article", v) }

// Archive renders an author, region, theme, dossier or tag archive page.
func (r *Renderer) Archive(w io.Writer, v *ArchiveView) error { return r.render(w, "archive", v) }

// Error renders a 404, 410 or 500 page. The handler sets the status code.
func (r *Renderer) Error(w io.Writer, v *ErrorView) error { return r.render(w, "error", v) }

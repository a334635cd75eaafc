package demo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"folio/internal/content"
	"folio/internal/i18n"
)

// Locale is the demo publication's own text in one language other than
// the default: what data/l10n/{tag}.json holds. Empty fields fall back to
// the default-language text, as they would on a real site.
type Locale struct {
	Title       string            `json:"title"`
	Tagline     string            `json:"tagline"`
	Description string            `json:"description,omitempty"`
	Notices     map[string]string `json:"notices"` // by notice name (note_to_readers, ...), Markdown
	Banner      string            `json:"banner"`
	// Menu maps the path of each default-language menu item ("/about/") to
	// its label in this language.
	Menu    map[string]string       `json:"menu"`
	Terms   map[string]LocaleTerm   `json:"terms"`   // by "kind/slug"
	Authors map[string]LocaleAuthor `json:"authors"` // by author slug
}

// LocaleTerm is a term's name and description in one language.
type LocaleTerm struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// LocaleAuthor is an author's name (a transliteration, for scripts other
// than the author's own) and bio in one language.
type LocaleAuthor struct {
	Name string `json:"name,omitempty"`
	Bio  string `json:"bio,omitempty"`
}

// maxLocaleBytes bounds one locale file; the largest is a few kilobytes.
const maxLocaleBytes = 256 << 10

// loadLocales reads data/l10n/*.json and applies each file to the settings,
// menus, terms and authors, after all of those are loaded. A file must be
// named after an interface language other than the default one, and may
// only name notices, menu paths, terms and authors that exist. A text given
// both here and inline in site.txt, terms.txt or authors.txt is an error, so
// each text has one home.
func (ds *Dataset) loadLocales(fsys fs.FS) error {
	entries, err := fs.ReadDir(fsys, "data/l10n")
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	ds.Locales = map[string]*Locale{}
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".json" {
			continue
		}
		name := "l10n/" + e.Name()
		lang := strings.TrimSuffix(e.Name(), ".json")
		if !i18n.Supported(lang) {
			return fileError(name, 0, "%q is not an interface language (see internal/i18n/languages.go)", lang)
		}
		if lang == ds.Settings.DefaultLanguage {
			return fileError(name, 0, "%s is the default language: its texts live in site.txt, terms.txt and authors.txt", lang)
		}
		b, err := fs.ReadFile(fsys, "data/"+name)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if len(b) > maxLocaleBytes {
			return fileError(name, 0, "%d bytes, more than the %d a locale file may have", len(b), maxLocaleBytes)
		}
		loc := &Locale{}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(loc); err != nil {
			return fileError(name, jsonLine(b, err), "%v", err)
		}
		if err := ds.applyLocale(lang, loc); err != nil {
			return fileError(name, 0, "%v", err)
		}
		ds.Locales[lang] = loc
	}
	if err := ds.Settings.Validate(); err != nil {
		return fileError("l10n", 0, "%v", err)
	}
	for _, t := range ds.Terms {
		if err := t.Validate(); err != nil {
			return fileError("l10n", 0, "term %s/%s: %v", t.Kind, t.Slug, err)
		}
	}
	for _, a := range ds.Authors {
		if err := a.Validate(); err != nil {
			return fileError("l10n", 0, "author %s: %v", a.Slug, err)
		}
	}
	return nil
}

// jsonLine returns the line of a JSON syntax or type error, 0 if unknown.
func jsonLine(b []byte, err error) int {
	var off int64
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	default:
		return 0
	}
	return bytes.Count(b[:min(int(off), len(b))], []byte("\n")) + 1
}

func (ds *Dataset) applyLocale(lang string, loc *Locale) error {
	s := &ds.Settings
	set := func(field, v string) error {
		if v == "" {
			return nil
		}
		if s.Translations[lang][field] != "" {
			return fmt.Errorf("%s is also given in site.txt", field)
		}
		setTranslation(s, lang, field, v)
		return nil
	}
	for field, v := range map[string]string{"title": loc.Title, "tagline": loc.Tagline, "description": loc.Description, "banner.text": loc.Banner} {
		if err := set(field, strings.TrimSpace(v)); err != nil {
			return err
		}
	}
	for _, n := range sortedKeys(loc.Notices) {
		if !slices.Contains(noticeBlocks, n) {
			return fmt.Errorf("notices: unknown notice %q (want one of %s)", n, strings.Join(noticeBlocks, ", "))
		}
		if err := set("notices."+n, strings.TrimSpace(loc.Notices[n])); err != nil {
			return err
		}
	}
	if loc.Banner != "" && s.Banner == nil {
		return errors.New("banner: site.txt sets no banner to translate")
	}
	if err := ds.applyMenu(lang, loc.Menu); err != nil {
		return err
	}
	terms := map[string]*content.Term{}
	for _, t := range ds.Terms {
		terms[string(t.Kind)+"/"+t.Slug] = t
	}
	for _, k := range sortedKeys(loc.Terms) {
		t, lt := terms[k], loc.Terms[k]
		if t == nil {
			return fmt.Errorf("terms: no term %q in terms.txt (keys are \"kind/slug\")", k)
		}
		if lt.Name != "" {
			if t.Names[lang] != "" {
				return fmt.Errorf("terms: %s name is also given in terms.txt", k)
			}
			if t.Names == nil {
				t.Names = map[string]string{}
			}
			t.Names[lang] = strings.TrimSpace(lt.Name)
		}
		if lt.Description != "" {
			if t.Descriptions[lang] != "" {
				return fmt.Errorf("terms: %s description is also given in terms.txt", k)
			}
			if t.Descriptions == nil {
				t.Descriptions = map[string]string{}
			}
			t.Descriptions[lang] = strings.TrimSpace(lt.Description)
		}
	}
	authors := map[string]*content.Author{}
	for _, a := range ds.Authors {
		authors[a.Slug] = a
	}
	for _, slug := range sortedKeys(loc.Authors) {
		a, la := authors[slug], loc.Authors[slug]
		if a == nil {
			return fmt.Errorf("authors: no author %q in authors.txt", slug)
		}
		cur := a.Translations[lang]
		if (la.Name != "" && cur.Name != "") || (la.Bio != "" && cur.Bio != "") {
			return fmt.Errorf("authors: %s is also translated in authors.txt", slug)
		}
		if la.Name != "" {
			cur.Name = strings.TrimSpace(la.Name)
		}
		if la.Bio != "" {
			cur.Bio = strings.TrimSpace(la.Bio)
		}
		if a.Translations == nil {
			a.Translations = map[string]content.AuthorText{}
		}
		a.Translations[lang] = cur
	}
	return nil
}

// applyMenu gives lang the default language's menus with labels from m,
// keyed by each item's URL; items without a label keep the default one.
func (ds *Dataset) applyMenu(lang string, m map[string]string) error {
	if len(m) == 0 {
		return nil
	}
	def := ds.Settings.Menus[ds.Settings.DefaultLanguage]
	used := map[string]bool{}
	var relabel func(items []content.MenuItem) []content.MenuItem
	relabel = func(items []content.MenuItem) []content.MenuItem {
		if items == nil {
			return nil
		}
		out := make([]content.MenuItem, len(items))
		for i, it := range items {
			if l := m[it.URL]; l != "" {
				it.Label = strings.TrimSpace(l)
				used[it.URL] = true
			}
			it.Children = relabel(it.Children)
			out[i] = it
		}
		return out
	}
	loc := content.Menus{Header: relabel(def.Header), Footer: relabel(def.Footer)}
	for _, u := range sortedKeys(m) {
		if !used[u] {
			return fmt.Errorf("menu: %q is not the URL of an item of site.txt's menus", u)
		}
	}
	if ds.Settings.Menus == nil {
		ds.Settings.Menus = map[string]content.Menus{}
	}
	ds.Settings.Menus[lang] = loc
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

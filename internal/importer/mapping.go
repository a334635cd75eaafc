package importer

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"folio/internal/content"
)

// Mapping says which kind of Folio term each WordPress category and tag
// becomes. The file format (see docs/importing.md) is one rule a line:
//
//	# comments and blank lines are ignored
//	default category = theme      # every category not named below
//	default tag = tag             # every tag not named below
//	category asia = region        # the category whose slug is "asia"
//	category water-rights = dossier
//	tag elections = theme
//	category uncategorized = skip # leave it out
//
// Kinds are region, theme, dossier, tag and skip. Slugs are WordPress's
// (the nicename), compared after percent-decoding.
type Mapping struct {
	DefaultCategory content.TermKind // "" means skip
	DefaultTag      content.TermKind
	Categories      map[string]content.TermKind
	Tags            map[string]content.TermKind
}

// DefaultMapping turns categories into themes and tags into tags, and
// leaves out WordPress's "uncategorized".
func DefaultMapping() *Mapping {
	return &Mapping{
		DefaultCategory: content.KindTheme,
		DefaultTag:      content.KindTag,
		Categories:      map[string]content.TermKind{"uncategorized": ""},
		Tags:            map[string]content.TermKind{},
	}
}

// KindOf returns the Folio kind for a WordPress taxonomy ("category" or
// "post_tag") and slug, and false when the term is left out.
func (m *Mapping) KindOf(taxonomy, slug string) (content.TermKind, bool) {
	rules, def := m.Tags, m.DefaultTag
	if taxonomy == "category" {
		rules, def = m.Categories, m.DefaultCategory
	}
	k, ok := rules[slug]
	if !ok {
		k = def
	}
	return k, k != ""
}

// ParseMapping reads a mapping file; errors name the line.
func ParseMapping(r io.Reader) (*Mapping, error) {
	m := DefaultMapping()
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		left, right, ok := strings.Cut(line, "=")
		if !ok {
			return nil, content.Errorf(content.EINVALID, "mapping line %d: want \"category SLUG = KIND\", got %q", n, line)
		}
		var kind content.TermKind
		switch v := content.TermKind(strings.TrimSpace(right)); {
		case v == "skip":
		case v.Valid():
			kind = v
		default:
			return nil, content.Errorf(content.EINVALID, "mapping line %d: kind %q is not region, theme, dossier, tag or skip", n, v)
		}
		f := strings.Fields(left)
		switch {
		case len(f) == 2 && f[0] == "default" && f[1] == "category":
			m.DefaultCategory = kind
		case len(f) == 2 && f[0] == "default" && f[1] == "tag":
			m.DefaultTag = kind
		case len(f) == 2 && f[0] == "category":
			m.Categories[decodeSlug(f[1])] = kind
		case len(f) == 2 && f[0] == "tag":
			m.Tags[decodeSlug(f[1])] = kind
		default:
			return nil, content.Errorf(content.EINVALID, "mapping line %d: want \"category SLUG\", \"tag SLUG\", \"default category\" or \"default tag\" before =, got %q", n, strings.TrimSpace(left))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("importer: read mapping: %w", err)
	}
	return m, nil
}

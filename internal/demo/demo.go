package demo

import (
	"bytes"
	"embed"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"folio/internal/content"
)

//go:embed data
var files embed.FS

// MediaPrefix is the site path under which the demo images are served.
// An article's Image.URL is MediaPrefix + its ImageFile.
const MediaPrefix = "/media/demo/"

// Dataset is the whole demo publication, parsed and validated.
type Dataset struct {
	Settings content.Settings
	Authors  []*content.Author
	Terms    []*content.Term
	Articles []*Article
	Images   map[string][]byte // file name -> bytes, from data/images
	// Media are the library records of the article images (data/media.txt):
	// Path "demo/<file>", with the alt text, caption and credit of the
	// first article that uses the image and its own republish flag.
	Media []*content.Media

	// AuthorPhotos maps an author slug to the image file of their portrait.
	// Author.PhotoURL must be absolute, so it is set to Settings.BaseURL +
	// MediaPrefix + file; a loader serving the site elsewhere can rebuild it
	// from this map.
	AuthorPhotos map[string]string

	// Locales are the publication's own texts in other languages, by tag,
	// from data/l10n; Load has already applied them to Settings, Terms and
	// Authors.
	Locales map[string]*Locale

	// Readers are the demo's newsletters, members and comments (readers.go).
	Readers Readers
}

// Article is a demo article with its references still given by slug.
// The embedded content.Article has no Authors or Terms, Status published,
// PublishedAt set and Image.URL set to MediaPrefix + ImageFile.
type Article struct {
	content.Article
	AuthorSlugs   []string
	TermRefs      []TermRef // in kind order: regions, themes, dossiers, tags; each as listed
	ImageFile     string
	TranslationOf string // slug of the original article, or ""
}

// TermRef names a term by kind and slug.
type TermRef struct {
	Kind content.TermKind
	Slug string
}

// Load parses and validates the embedded demo publication.
func Load() (*Dataset, error) {
	return load(files)
}

func load(fsys fs.FS) (*Dataset, error) {
	ds := &Dataset{Images: map[string][]byte{}, AuthorPhotos: map[string]string{}}
	if err := ds.loadImages(fsys); err != nil {
		return nil, err
	}
	if err := ds.loadSettings(fsys); err != nil {
		return nil, err
	}
	if err := ds.loadAuthors(fsys); err != nil {
		return nil, err
	}
	if err := ds.loadTerms(fsys); err != nil {
		return nil, err
	}
	if err := ds.loadLocales(fsys); err != nil {
		return nil, err
	}
	if err := ds.loadArticles(fsys); err != nil {
		return nil, err
	}
	if err := ds.loadMedia(fsys); err != nil {
		return nil, err
	}
	if err := ds.loadReaders(fsys); err != nil {
		return nil, err
	}
	return ds, nil
}

func (ds *Dataset) loadImages(fsys fs.FS) error {
	entries, err := fs.ReadDir(fsys, "data/images")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := fs.ReadFile(fsys, "data/images/"+e.Name())
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if path.Ext(e.Name()) == ".svg" {
			if _, _, err := svgSize(b); err != nil {
				return fileError("images/"+e.Name(), 0, "%v", err)
			}
		}
		ds.Images[e.Name()] = b
	}
	return nil
}

// svgSize checks that b is well-formed XML with an <svg> root and returns the
// root's width and height attributes (0 when absent or not plain numbers).
func svgSize(b []byte) (w, h int, err error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	root := ""
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) && root != "" {
				return w, h, nil
			}
			if root == "" {
				return 0, 0, fmt.Errorf("no <svg> root element: %v", err)
			}
			return 0, 0, fmt.Errorf("malformed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
			if root != "svg" {
				return 0, 0, fmt.Errorf("root element is <%s>, want <svg>", root)
			}
			for _, a := range se.Attr {
				n, _ := strconv.Atoi(strings.TrimSuffix(a.Value, "px"))
				switch a.Name.Local {
				case "width":
					w = n
				case "height":
					h = n
				}
			}
		}
	}
}

// ---- settings ----

// Rebase makes base the demo's base URL: the settings' own and every
// social link that pointed into the site (the RSS link), so nothing the
// demo stores names an address the site is not served from.
func (ds *Dataset) Rebase(base string) {
	base = strings.TrimRight(base, "/")
	old := strings.TrimRight(ds.Settings.BaseURL, "/")
	if base == "" || base == old {
		return
	}
	ds.Settings.BaseURL = base
	links := make([]content.Link, len(ds.Settings.SocialLinks))
	for i, l := range ds.Settings.SocialLinks {
		if rest, ok := strings.CutPrefix(l.URL, old); ok && (rest == "" || rest[0] == '/') {
			l.URL = base + rest
		}
		links[i] = l
	}
	ds.Settings.SocialLinks = links
}

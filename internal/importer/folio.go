package importer

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store"
	"folio/internal/tgz"
)

// A Folio archive is a gzipped tar of JSON files, described in
// docs/archive-format.md. ArchiveFormat and ArchiveVersion identify it.
const (
	ArchiveFormat  = "folio-archive"
	ArchiveVersion = 1
)

// Manifest is manifest.json, the archive's first entry.
type Manifest struct {
	Format    string         `json:"format"`
	Version   int            `json:"version"`
	CreatedAt time.Time      `json:"created_at"`
	Generator string         `json:"generator"`
	Counts    map[string]int `json:"counts"` // entries per file, e.g. "articles.jsonl": 120
}

// ArchiveStore is what export and restore need from the store.
type ArchiveStore interface {
	store.Store
	store.ImportStore
	store.ArchiveStore
}

// archive entries in the order they are written and must be restored:
// each refers only to entries before it.
var archiveFiles = []string{"settings.json", "authors.jsonl", "terms.jsonl", "media.jsonl",
	"articles.jsonl", "redirects.jsonl", "comments.jsonl", "imports.jsonl"}

const pageSize = 500

// Export writes every article, author, term, media record and file,
// redirect, comment and the settings to w as a Folio archive. API tokens
// are left out: they are credentials, not content. mediaRoot is the media
// directory. Each kind is read page by page, so memory does not grow with
// the site; for a copy frozen at one instant, use a backup.
func Export(ctx context.Context, st ArchiveStore, mediaRoot string, w io.Writer, generator string) (*Manifest, error) {
	tw := tgz.NewWriter(w)
	now := time.Now().UTC().Truncate(time.Second)
	m := &Manifest{Format: ArchiveFormat, Version: ArchiveVersion, CreatedAt: now, Generator: generator, Counts: map[string]int{}}

	// The manifest comes first but its counts are known only at the end;
	// the JSON files are spooled to a temp dir so the tar can lead with it.
	tmp, err := os.MkdirTemp("", "folio-export-*")
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	defer os.RemoveAll(tmp)
	var mediaPaths []string
	for _, name := range archiveFiles {
		n, err := writeEntryFile(filepath.Join(tmp, name), func(enc *json.Encoder) (int, error) {
			return exportKind(ctx, st, name, enc, &mediaPaths)
		})
		if err != nil {
			return nil, fmt.Errorf("export %s: %w", name, err)
		}
		m.Counts[name] = n
	}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := tw.AddBytes("manifest.json", mb, now); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	for _, name := range archiveFiles {
		if err := tw.AddFile(name, filepath.Join(tmp, name), now); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
	}
	for _, p := range mediaPaths {
		if !fs.ValidPath(p) {
			continue
		}
		src := filepath.Join(mediaRoot, filepath.FromSlash(p))
		if err := tw.AddFile("media/"+p, src, now); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // a record without its file: nothing to carry
			}
			return nil, fmt.Errorf("export: %w", err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return m, nil
}

func writeEntryFile(p string, fill func(*json.Encoder) (int, error)) (int, error) {
	f, err := os.Create(p)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	n, err := fill(enc)
	if err != nil {
		return 0, err
	}
	if err := bw.Flush(); err != nil {
		return 0, err
	}
	return n, f.Close()
}

func exportKind(ctx context.Context, st ArchiveStore, name string, enc *json.Encoder, mediaPaths *[]string) (int, error) {
	n := 0
	emit := func(v any) error { n++; return enc.Encode(v) }
	switch name {
	case "settings.json":
		s, err := st.Settings(ctx)
		if err != nil {
			return 0, err
		}
		return 1, enc.Encode(s)
	case "authors.jsonl":
		return n, pages(func(off int) (int, error) {
			as, _, err := st.FindAuthors(ctx, store.AuthorFilter{Limit: pageSize, Offset: off})
			for _, a := range as {
				if err := emit(a); err != nil {
					return 0, err
				}
			}
			return len(as), err
		})
	case "terms.jsonl":
		return n, pages(func(off int) (int, error) {
			ts, _, err := st.FindTerms(ctx, store.TermFilter{Limit: pageSize, Offset: off})
			for _, t := range ts {
				if err := emit(t); err != nil {
					return 0, err
				}
			}
			return len(ts), err
		})
	case "media.jsonl":
		return n, pages(func(off int) (int, error) {
			ms, _, err := st.FindMedia(ctx, pageSize, off)
			for _, m := range ms {
				*mediaPaths = append(*mediaPaths, m.Path)
				if err := emit(m); err != nil {
					return 0, err
				}
			}
			return len(ms), err
		})
	case "articles.jsonl":
		return n, pages(func(off int) (int, error) {
			as, _, err := st.FindArticles(ctx, store.ArticleFilter{Type: store.AnyType, Limit: pageSize, Offset: off})
			for _, a := range as {
				if err := emit(archivedArticle(a)); err != nil {
					return 0, err
				}
			}
			return len(as), err
		})
	case "redirects.jsonl":
		return n, pages(func(off int) (int, error) {
			rs, _, err := st.FindRedirects(ctx, pageSize, off)
			for _, r := range rs {
				if err := emit(r); err != nil {
					return 0, err
				}
			}
			return len(rs), err
		})
	case "comments.jsonl":
		return n, pages(func(off int) (int, error) {
			cs, _, err := st.FindComments(ctx, 0, pageSize, off)
			for _, c := range cs {
				if err := emit(c); err != nil {
					return 0, err
				}
			}
			return len(cs), err
		})
	case "imports.jsonl":
		// What each WordPress or Ghost item became: without them, importing
		// the same export into the restored site would duplicate it all.
		return n, pages(func(off int) (int, error) {
			rs, _, err := st.FindImportRecords(ctx, pageSize, off)
			for _, r := range rs {
				if err := emit(r); err != nil {
					return 0, err
				}
			}
			return len(rs), err
		})
	}
	return 0, fmt.Errorf("unknown archive file %s", name)
}

// archivedArticle keeps only the IDs of an article's authors and terms:
// the full records are in authors.jsonl and terms.jsonl.
func archivedArticle(a *content.Article) *content.Article {
	c := *a
	c.Authors = make([]*content.Author, len(a.Authors))
	for i, au := range a.Authors {
		c.Authors[i] = &content.Author{ID: au.ID}
	}
	c.Terms = make([]*content.Term, len(a.Terms))
	for i, t := range a.Terms {
		c.Terms[i] = &content.Term{ID: t.ID}
	}
	return &c
}

// pages calls next with growing offsets until it returns fewer than a page.
func pages(next func(offset int) (int, error)) error {
	for off := 0; ; off += pageSize {
		n, err := next(off)
		if err != nil {
			return err
		}
		if n < pageSize {
			return nil
		}
	}
}

// ArchiveError is a problem with an archive that stops a restore.
type ArchiveError struct {
	Entry string // archive entry, e.g. "articles.jsonl"
	Line  int    // 1-based line in a .jsonl entry, 0 otherwise
	Msg   string
}

func (e *ArchiveError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("folio archive: %s line %d: %s", e.Entry, e.Line, e.Msg)
	}
	if e.Entry != "" {
		return fmt.Sprintf("folio archive: %s: %s", e.Entry, e.Msg)
	}
	return "folio archive: " + e.Msg
}

// maxLine bounds one JSON line: an article is at most content.MaxBody of
// Markdown plus its rendering.
const maxLine = 8 * content.MaxBody

// ImportFolio restores an archive written by Export into an empty site:
// every record keeps its ID and times, and media files go under
// mediaRoot. It is all-or-nothing: the records are written in one store
// transaction through ed (the editorial service's archive restore, which
// tells every cache that everything changed), and files written before a
// failure are removed.
func ImportFolio(ctx context.Context, ed *editorial.Editor, mediaRoot string, r io.Reader) (*Report, error) {
	rep := newReport("folio", false)
	tr, err := tgz.NewReader(r)
	if err != nil {
		return rep, &ArchiveError{Msg: err.Error()}
	}
	var written []string
	err = ed.Restore(ctx, func(rs store.Restorer) error {
		first := true
		for {
			name, body, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return &ArchiveError{Msg: "damaged tar: " + err.Error()}
			}
			if first {
				if err := readManifest(name, body); err != nil {
					return err
				}
				first = false
				continue
			}
			if rel, ok := strings.CutPrefix(name, "media/"); ok {
				dst, err := tgz.CreateFile(mediaRoot, rel, body)
				if err != nil {
					return &ArchiveError{Entry: name, Msg: err.Error()}
				}
				written = append(written, dst)
				rep.count("media file").Created++
				continue
			}
			if err := restoreEntry(ctx, rs, rep, name, body); err != nil {
				return err
			}
		}
		if first {
			return &ArchiveError{Msg: "empty archive"}
		}
		return nil
	})
	if err != nil {
		for _, p := range written {
			os.Remove(p)
		}
		return rep, err
	}
	return rep, nil
}

func readManifest(name string, r io.Reader) error {
	if name != "manifest.json" {
		return &ArchiveError{Entry: name, Msg: "the first entry must be manifest.json"}
	}
	var m Manifest
	if err := json.NewDecoder(io.LimitReader(r, 1<<20)).Decode(&m); err != nil {
		return &ArchiveError{Entry: name, Msg: err.Error()}
	}
	if m.Format != ArchiveFormat {
		return &ArchiveError{Entry: name, Msg: fmt.Sprintf("format %q is not %q", m.Format, ArchiveFormat)}
	}
	if m.Version > ArchiveVersion {
		return &ArchiveError{Entry: name, Msg: fmt.Sprintf("version %d is newer than this Folio reads (%d)", m.Version, ArchiveVersion)}
	}
	return nil
}

func restoreEntry(ctx context.Context, rs store.Restorer, rep *Report, name string, r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	line := 0
	each := func(kind string, v func() any, put func(any) error) error {
		for sc.Scan() {
			line++
			if len(strings.TrimSpace(sc.Text())) == 0 {
				continue
			}
			x := v()
			dec := json.NewDecoder(strings.NewReader(sc.Text()))
			dec.DisallowUnknownFields()
			if err := dec.Decode(x); err != nil {
				return &ArchiveError{Entry: name, Line: line, Msg: err.Error()}
			}
			if err := put(x); err != nil {
				return &ArchiveError{Entry: name, Line: line, Msg: err.Error()}
			}
			rep.count(kind).Created++
		}
		if err := sc.Err(); err != nil {
			return &ArchiveError{Entry: name, Line: line + 1, Msg: err.Error()}
		}
		return nil
	}
	switch name {
	case "settings.json":
		var s content.Settings
		if err := json.NewDecoder(io.LimitReader(r, 16<<20)).Decode(&s); err != nil {
			return &ArchiveError{Entry: name, Msg: err.Error()}
		}
		return rs.RestoreSettings(ctx, &s)
	case "authors.jsonl":
		return each(kindAuthor, func() any { return &content.Author{} }, func(x any) error { return rs.RestoreAuthor(ctx, x.(*content.Author)) })
	case "terms.jsonl":
		return each(kindTerm, func() any { return &content.Term{} }, func(x any) error { return rs.RestoreTerm(ctx, x.(*content.Term)) })
	case "media.jsonl":
		return each(kindMedia, func() any { return &content.Media{} }, func(x any) error { return rs.RestoreMedia(ctx, x.(*content.Media)) })
	case "articles.jsonl":
		return each(kindArticle, func() any { return &content.Article{} }, func(x any) error { return rs.RestoreArticle(ctx, x.(*content.Article)) })
	case "redirects.jsonl":
		return each(kindRedirect, func() any { return &content.Redirect{} }, func(x any) error { return rs.RestoreRedirect(ctx, x.(*content.Redirect)) })
	case "comments.jsonl":
		return each(kindComment, func() any { return &store.Comment{} }, func(x any) error { return rs.RestoreComment(ctx, x.(*store.Comment)) })
	case "imports.jsonl":
		return each("import record", func() any { return &store.ImportRecord{} }, func(x any) error {
			return rs.RestoreImportRecord(ctx, x.(*store.ImportRecord))
		})
	}
	rep.warn(0, "", "unknown archive entry %s ignored", name)
	return nil
}

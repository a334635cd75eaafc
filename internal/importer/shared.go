package importer

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"folio/internal/content"
	"folio/internal/media"
	"folio/internal/store"
)

// Helpers every importer shares: finding or creating the authors, terms and
// images an imported item refers to (recorded so a second run finds them
// again), and cleaning the strings exports carry.

// ensureAuthor returns the author an earlier run created for sourceID, the
// Folio author with the same slug, or a new one.
func (r *run) ensureAuthor(ctx context.Context, sourceID string, want *content.Author) (*content.Author, error) {
	rec, err := r.findRecord(ctx, sourceID, kindAuthor)
	if err != nil {
		return nil, err
	}
	if rec != nil {
		if au, err := r.readAuthor(ctx, rec.EntityID, ""); err == nil {
			r.rep.count(kindAuthor).Unchanged++
			return au, nil
		} else if content.ErrorCode(err) != content.ENOTFOUND {
			return nil, err
		}
	}
	if au, err := r.readAuthor(ctx, 0, want.Slug); err == nil {
		r.rep.count(kindAuthor).Unchanged++
		return au, nil
	} else if content.ErrorCode(err) != content.ENOTFOUND {
		return nil, err
	}
	if want.Email != "" && want.Validate() != nil {
		want.Email = "" // an address WordPress accepted but Folio does not is not worth failing for
	}
	if err := r.writeAuthor(ctx, want); err != nil {
		return nil, err
	}
	r.rep.count(kindAuthor).Created++
	id := want.ID
	if err := r.did(undoStep{Op: undoAuthor, ID: id}); err != nil {
		return nil, err
	}
	return want, r.putRecord(ctx, &store.ImportRecord{Kind: r.source, SourceID: sourceID, EntityKind: kindAuthor, EntityID: id}, rec)
}

// ensureTerm is ensureAuthor for terms: same record, same kind and slug, or new.
func (r *run) ensureTerm(ctx context.Context, sourceID string, want *content.Term) (*content.Term, error) {
	if want.Slug == "" {
		want.Slug = content.Slugify(want.Name)
	}
	rec, err := r.findRecord(ctx, sourceID, kindTerm)
	if err != nil {
		return nil, err
	}
	if rec != nil {
		if t, err := r.readTerm(ctx, rec.EntityID, "", ""); err == nil {
			r.rep.count(kindTerm).Unchanged++
			return t, nil
		} else if content.ErrorCode(err) != content.ENOTFOUND {
			return nil, err
		}
	}
	if t, err := r.readTerm(ctx, 0, want.Kind, want.Slug); err == nil {
		r.rep.count(kindTerm).Unchanged++
		return t, nil
	} else if content.ErrorCode(err) != content.ENOTFOUND {
		return nil, err
	}
	if len(want.Name) > 200 {
		want.Name = truncateUTF8(want.Name, 200)
	}
	want.Description = truncateUTF8(want.Description, 5000)
	if err := r.writeTerm(ctx, want); err != nil {
		return nil, err
	}
	r.rep.count(kindTerm).Created++
	id := want.ID
	if err := r.did(undoStep{Op: undoTerm, ID: id}); err != nil {
		return nil, err
	}
	return want, r.putRecord(ctx, &store.ImportRecord{Kind: r.source, SourceID: sourceID, EntityKind: kindTerm, EntityID: id}, rec)
}

func (r *run) imageOf(m *content.Media, alt string) *content.Image {
	if strings.TrimSpace(m.Alt) != "" {
		alt = m.Alt
	}
	if strings.TrimSpace(alt) == "" {
		alt = m.Filename
	}
	return &content.Image{MediaID: m.ID, URL: r.urls.Media(m.Path), Alt: alt, Caption: m.Caption,
		Credit: m.Credit, CreditURL: m.CreditURL, Width: m.Width, Height: m.Height}
}

// ensureMedia returns the media an earlier run imported for sourceID, or
// saves the file the URL names: from the uploads directory (findUpload),
// else fetched from the old site with --fetch-media. A file that cannot be
// had is a warning naming it (what: "featured image", "image"): the item
// is imported without it, or with its old address.
func (r *run) ensureMedia(ctx context.Context, n int, id, sourceID, fileURL string, meta media.Meta, marker, what string) (*content.Media, error) {
	rec, err := r.findRecord(ctx, sourceID, kindMedia)
	if err != nil {
		return nil, err
	}
	if rec != nil {
		if m, err := r.readMedia(ctx, rec.EntityID); err == nil {
			r.rep.count(kindMedia).Unchanged++
			return m, nil
		} else if content.ErrorCode(err) != content.ENOTFOUND {
			return nil, err
		}
	}
	if r.opt.Uploads == "" && r.opt.Fetch == nil {
		r.rep.warn(n, id, "%s %s not imported: no uploads directory given (--uploads) and no --fetch-media", what, fileURL)
		r.rep.count(kindMedia).Skipped++
		return nil, nil
	}
	var src io.Reader
	name := ""
	if rel := r.findUpload(fileURL, marker); rel != "" {
		f, err := os.Open(filepath.Join(r.opt.Uploads, filepath.FromSlash(rel)))
		if err != nil {
			return nil, fmt.Errorf("importer: open upload %s: %w", rel, err)
		}
		defer f.Close()
		src, name = f, path.Base(rel)
	} else if r.opt.Fetch != nil && (strings.HasPrefix(fileURL, "http://") || strings.HasPrefix(fileURL, "https://")) {
		body, fname, err := r.opt.Fetch.Get(ctx, fileURL)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			r.rep.warn(n, id, "%s %s not fetched: %v", what, fileURL, err)
			r.rep.count(kindMedia).Skipped++
			return nil, nil
		}
		defer body.Close()
		src, name = body, fname
	} else {
		rel := uploadsPath(fileURL, marker)
		if rel == "" {
			rel = fileURL
		}
		r.rep.warn(n, id, "%s file %s is missing from the uploads directory", what, rel)
		r.rep.count(kindMedia).Skipped++
		return nil, nil
	}
	if r.opt.Media == nil && r.dry == nil {
		return nil, errors.New("importer: no media library to store images in")
	}
	m, err := r.writeMedia(ctx, name, src, meta)
	if err != nil {
		if code := content.ErrorCode(err); code == content.EINVALID || code == content.ETOOLARGE {
			r.rep.warn(n, id, "%s %s not imported: %s", what, name, content.ErrorMessage(err))
			r.rep.count(kindMedia).Skipped++
			return nil, nil
		}
		return nil, err
	}
	r.rep.count(kindMedia).Created++
	mid := m.ID
	if err := r.did(undoStep{Op: undoMedia, ID: mid}); err != nil {
		return nil, err
	}
	return m, r.putRecord(ctx, &store.ImportRecord{Kind: r.source, SourceID: sourceID, EntityKind: kindMedia, EntityID: mid}, rec)
}

// uploadsPath returns the part of an upload URL after marker
// ("wp-content/uploads/"), percent-decoded and checked not to climb out.
func uploadsPath(u, marker string) string {
	p := u
	if pu, err := url.Parse(u); err == nil {
		p = pu.Path
	}
	i := strings.Index(p, marker)
	if i < 0 {
		return ""
	}
	rel := path.Clean(p[i+len(marker):])
	if rel == "." || strings.HasPrefix(rel, "../") || strings.HasPrefix(rel, "/") {
		return ""
	}
	return rel
}

// cleanURL keeps only absolute http(s) URLs: a commenter's website is shown
// as a link one day.
func cleanURL(s string) string {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return s
}

// decodeSlug undoes WordPress's percent-encoding of non-ASCII slugs
// ("%d8%a2%d8%a8" → "آب") and lowers the case.
func decodeSlug(s string) string {
	s = strings.TrimSpace(s)
	if d, err := url.PathUnescape(s); err == nil && utf8.ValidString(d) {
		s = d
	}
	return strings.ToLower(s)
}

func truncateUTF8(s string, max int) string {
	if len(s) <= max {
		return s
	}
	s = s[:max]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(html.UnescapeString(s)); s != "" {
			return s
		}
	}
	return ""
}

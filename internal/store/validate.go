package store

import (
	"strings"

	"folio/internal/content"
)

// The rules below are the same for every implementation; they live here so
// the SQLite and PostgreSQL stores share them instead of keeping copies.

// ValidateRedirect keeps rows the site can serve: a local From, a target
// for moves, none for gone.
func ValidateRedirect(r *content.Redirect) error {
	p := content.Problems{}
	if !strings.HasPrefix(r.From, "/") {
		p.Add("from", "%q must be a path starting with /", r.From)
	}
	switch r.Status {
	case 301, 302, 307, 308:
		if r.To == "" {
			p.Add("to", "is required for a redirect")
		} else if r.To == r.From {
			p.Add("to", "%q redirects to itself", r.To)
		}
	case 410:
		if r.To != "" {
			p.Add("to", "must be empty for a gone (410) path")
		}
	default:
		p.Add("status", "must be 301, 302, 307, 308 or 410 (got %d)", r.Status)
	}
	return p.Err("redirect")
}

// ValidateMedia checks a media record before it is stored.
func ValidateMedia(m *content.Media) error {
	p := content.Problems{}
	if strings.TrimSpace(m.Path) == "" {
		p.Add("path", "is required")
	}
	if m.Size < 0 {
		p.Add("size", "must not be negative")
	}
	return p.Err("media")
}

// ValidateMediaVariants checks variants before ReplaceMediaVariants.
func ValidateMediaVariants(vs []content.MediaVariant) error {
	p := content.Problems{}
	for _, v := range vs {
		switch {
		case strings.TrimSpace(v.Path) == "":
			p.Add("path", "is required")
		case v.Format == "":
			p.Add("format", "is required")
		case v.Width <= 0 || v.Height <= 0:
			p.Add("width", "%d×%d is not a positive size", v.Width, v.Height)
		}
	}
	return p.Err("media variant")
}

// SnapshotOf returns the fields of a that a revision keeps beside its text
// columns.
func SnapshotOf(a *content.Article) RevisionSnapshot {
	s := RevisionSnapshot{Language: a.Language, Featured: a.Featured, Image: a.Image, License: a.License,
		SourceURL: a.SourceURL, SourceName: a.SourceName, PublishedAt: a.PublishedAt,
		Access: a.Access, AccessTier: a.AccessTier, FreeAt: a.FreeAt,
		AuthorIDs: []int64{}, TermIDs: []int64{}}
	for _, au := range a.Authors {
		s.AuthorIDs = append(s.AuthorIDs, au.ID)
	}
	for _, t := range a.Terms {
		s.TermIDs = append(s.TermIDs, t.ID)
	}
	return s
}

// CheckVersion refuses a write based on a version other than the stored
// one. Implementations call it while holding the article's row (or the
// database) for writing, so two saves of one version cannot both pass.
func CheckVersion(stored *content.Article, w ArticleWrite) error {
	if w.ExpectedVersion == 0 || w.ExpectedVersion == stored.Version {
		return nil
	}
	e := content.Errorf(content.ECONFLICT, "the article was changed by someone else (version %d, you edited version %d)",
		stored.Version, w.ExpectedVersion)
	e.Fields = map[string]string{"version": e.Message}
	return e
}

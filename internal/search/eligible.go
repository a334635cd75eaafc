package search

import (
	"time"

	"folio/internal/content"
	"folio/internal/render/markdown"
)

// Eligible reports whether readers may find a in search at time now: it is
// published and live, and not a machine translation nobody has reviewed
// (those are shown on request with a notice, but are not the archive's
// text). Members-only text is kept out by DocOf, which indexes only what
// content.Article.PublicBodyHTML gives everyone.
func Eligible(a *content.Article, now time.Time) bool {
	if a == nil || !a.IsPublic(now) {
		return false
	}
	if tr := a.Translation; tr != nil && tr.Machine && !tr.Reviewed {
		return false
	}
	return true
}

// DocOf returns the index document of a at time now, its year taken in
// loc (the site's time zone; UTC when nil). The body is what any reader
// may read (content.Article.PublicBodyHTML): of a members-only or paid
// article only the lede, so its text never reaches snippets or matches
// for non-members.
func DocOf(a *content.Article, loc *time.Location, now time.Time) *Doc {
	if loc == nil {
		loc = time.UTC
	}
	d := &Doc{ID: a.ID, Language: a.Language, Title: a.Title, Deck: a.Deck,
		Body: markdown.PlainText(a.PublicBodyHTML(now)), PublishedAt: a.PublishedAt}
	if !a.PublishedAt.IsZero() {
		d.Year = a.PublishedAt.In(loc).Year()
	}
	for _, au := range a.Authors {
		d.Authors = append(d.Authors, au.ID)
	}
	for _, t := range a.Terms {
		switch t.Kind {
		case content.KindRegion:
			d.Regions = append(d.Regions, t.ID)
		case content.KindTheme:
			d.Themes = append(d.Themes, t.ID)
		case content.KindDossier:
			d.Dossiers = append(d.Dossiers, t.ID)
		case content.KindTag:
			d.Tags = append(d.Tags, t.ID)
		}
	}
	return d
}

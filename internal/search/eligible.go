package search

import (
	"time"

	"folio/internal/content"
	"folio/internal/render/markdown"
)

// Eligible reports whether readers may find a in search at time now: it is
// published and live, and not a machine translation nobody has reviewed
// (those are shown on request with a notice, but are not the archive's
// text). A gated article is found by its headline, deck and lede only:
// DocOf indexes what PublicBodyHTML gives.
func Eligible(a *content.Article, now time.Time) bool {
	if a == nil || !a.IsPublic(now) {
		return false
	}
	if tr := a.Translation; tr != nil && tr.Machine && !tr.Reviewed {
		return false
	}
	return true
}

// DocOf returns the index document of a. The body of a members' article
// is its lede, so no snippet quotes the members' text; when a
// members-first article opens, its change event has it indexed again.
func DocOf(a *content.Article) *Doc {
	d := &Doc{ID: a.ID, Language: a.Language, Title: a.Title, Deck: a.Deck,
		Body: markdown.PlainText(a.PublicBodyHTML(time.Now())), PublishedAt: a.PublishedAt}
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

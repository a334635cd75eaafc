package render

import (
	"folio/internal/content"
)

// CorrectionEntry is one correction or update note as readers see it: on
// its article, or in the corrections log with a link to the article.
type CorrectionEntry struct {
	Kind         string // content.CorrectionKind or content.UpdateKind
	Label        string // "Correction", "Update" in the page language
	Date         DateView
	Text         string
	ArticleTitle string // log only
	ArticleURL   string // log only
}

// correctionEntry turns a note into its view; with a set, it links to its article.
func (s Site) correctionEntry(c *content.Correction, a *content.Article) CorrectionEntry {
	l := s.Locale()
	label := l.T("correction.label")
	if c.Kind == content.UpdateKind {
		label = l.T("update.label")
	}
	e := CorrectionEntry{Kind: c.Kind, Label: label, Date: s.date(c.At), Text: c.Text}
	if a != nil {
		e.ArticleTitle, e.ArticleURL = a.Title, s.URLs.Article(a)
	}
	return e
}

// CorrectionLog builds the entries of the public corrections log: each
// note with the public article it belongs to (notes of articles not public
// are left out by the caller).
func (s Site) CorrectionLog(notes []*content.Correction, articles map[int64]*content.Article) []CorrectionEntry {
	var out []CorrectionEntry
	for _, c := range notes {
		if a := articles[c.ArticleID]; a != nil {
			out = append(out, s.correctionEntry(c, a))
		}
	}
	return out
}

// notesAt returns the article's notes for one position, oldest first.
func (s Site) notesAt(a *content.Article, position string) []CorrectionEntry {
	var out []CorrectionEntry
	for _, c := range a.Corrections {
		if c.Position == position {
			out = append(out, s.correctionEntry(c, nil))
		}
	}
	return out
}

package content

import (
	"strings"
	"time"
)

// Correction is a dated note on a published article: a correction of a
// mistake or an update with new facts. Readers see it on the article (at
// the top or the bottom, as the editor chose), in the feeds and in the
// public corrections log; search engines see it in the JSON-LD.
type Correction struct {
	ID        int64     `json:"id"`
	ArticleID int64     `json:"article_id"`
	Kind      string    `json:"kind"`     // CorrectionKind or UpdateKind
	Text      string    `json:"text"`     // plain text, one short paragraph
	Position  string    `json:"position"` // "top" or "bottom" of the article
	At        time.Time `json:"at"`       // when the note was made public
	CreatedBy int64     `json:"created_by,omitempty"`
}

// Kinds and positions of corrections.
const (
	CorrectionKind = "correction"
	UpdateKind     = "update"
	PositionTop    = "top"
	PositionBottom = "bottom"
	MaxCorrection  = 2000
)

// Validate checks the note and fills the default kind and position.
func (c *Correction) Validate() error {
	p := Problems{}
	c.Text = strings.TrimSpace(c.Text)
	if c.Kind == "" {
		c.Kind = CorrectionKind
	}
	if c.Kind != CorrectionKind && c.Kind != UpdateKind {
		p.Add("kind", "must be correction or update (got %q)", c.Kind)
	}
	if c.Position == "" {
		c.Position = PositionBottom
	}
	if c.Position != PositionTop && c.Position != PositionBottom {
		p.Add("position", "must be top or bottom (got %q)", c.Position)
	}
	if c.ArticleID == 0 {
		p.Add("article_id", "is required")
	}
	checkText(p, "text", c.Text, 1, MaxCorrection)
	return p.Err("correction")
}

// LastNote returns the time of the article's newest correction or update,
// zero without one: the "Updated {date}" readers see.
func (a *Article) LastNote() time.Time {
	var t time.Time
	for _, c := range a.Corrections {
		if c.At.After(t) {
			t = c.At
		}
	}
	return t
}

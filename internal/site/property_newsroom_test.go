package site_test

import (
	"fmt"

	"folio/internal/content"
	"folio/internal/store"
)

func pageFilter() store.ArticleFilter { return store.ArticleFilter{Type: content.TypePage} }

// pages adds a public page, under another page half of the time, and
// renames one: the page tree (breadcrumbs, children) must follow.
func (p *propertyRun) pages() {
	var parent int64
	pages, _, err := p.f.st.FindArticles(p.ctx, pageFilter())
	if err != nil {
		p.t.Fatal(err)
	}
	if len(pages) > 0 && p.rng.IntN(2) == 0 {
		parent = pages[p.rng.IntN(len(pages))].ID
	}
	templates := content.PageTemplates
	pg := &content.Article{Type: content.TypePage, Language: "en", Title: fmt.Sprintf("Page %d", p.rng.IntN(1e6)),
		ParentID: parent, Template: templates[p.rng.IntN(len(templates))], Status: content.StatusPublished,
		BodyMarkdown: "About the desk."}
	p.must(p.ed.CreateArticle(p.ctx, pg), "CreateArticle")
	if len(pages) > 0 {
		old := pages[p.rng.IntN(len(pages))]
		old.Title += " (renamed)"
		p.must(p.ed.UpdateArticle(p.ctx, old), "UpdateArticle")
	}
}

// correct adds a correction or update note to an article, and withdraws
// one now and then.
func (p *propertyRun) correct() {
	a := p.article(p.pick())
	kind, pos := content.CorrectionKind, content.PositionTop
	if p.rng.IntN(2) == 0 {
		kind, pos = content.UpdateKind, content.PositionBottom
	}
	c := &content.Correction{ArticleID: a.ID, Kind: kind, Position: pos, Text: fmt.Sprintf("Note %d.", p.rng.IntN(1e6))}
	p.must(p.ed.AddCorrection(p.ctx, c), "AddCorrection")
	if p.rng.IntN(3) == 0 || !p.covered["DeleteCorrection"] {
		p.must(p.ed.DeleteCorrection(p.ctx, a.ID, c.ID), "DeleteCorrection")
	}
}

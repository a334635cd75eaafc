package seed

import (
	"context"
	"fmt"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store"
)

// demoPages are the demo publication's undated pages.
var demoPages = []struct {
	slug, title, template, parent, body string
}{
	{"about", "About the Review", content.TemplateAbout, "",
		"The Meridian Review is an independent publication about water, energy and power in Central and South Asia. We are funded by our readers and answer to no government or company.\n\nhttps://www.openstreetmap.org/#map=5/38.5/66.0"},
	{"masthead", "Masthead", content.TemplateMasthead, "about",
		"The people who report, edit and publish the Review."},
	{"contact", "Contact the desk", content.TemplateContact, "about",
		"Tips, corrections and questions reach the editors on duty. For sensitive material, ask us for a secure channel first."},
	{"corrections", "Corrections policy", content.TemplateCorrections, "",
		"We correct mistakes of fact openly: the note says what was wrong and when it was fixed, on the article and in the list below."},
}

// newsroom adds the demo's pages and one correction, so `folio serve --demo`
// shows them. The menus linking the pages and the banner, in every language
// the demo has texts for, came with the settings (demo data/site.txt and
// data/l10n).
func newsroom(ctx context.Context, svc *editorial.Service) error {
	ed := svc.System("demo")
	ids := map[string]int64{}
	for _, p := range demoPages {
		a := &content.Article{Type: content.TypePage, Language: "en", Slug: p.slug, Title: p.title, Template: p.template,
			ParentID: ids[p.parent], BodyMarkdown: p.body, Status: content.StatusPublished}
		if err := ed.CreateArticle(ctx, a); err != nil {
			return fmt.Errorf("seed: page %s: %w", p.slug, err)
		}
		ids[p.slug] = a.ID
	}
	arts, _, err := svc.Store().FindArticles(ctx, store.ArticleFilter{Public: true, Language: "en", Limit: 1})
	if err != nil || len(arts) == 0 {
		return err
	}
	c := &content.Correction{ArticleID: arts[0].ID, Kind: content.CorrectionKind, Position: content.PositionBottom,
		Text: "An earlier version of this article gave the wrong length for the canal's first phase. It is 108 km."}
	if err := ed.AddCorrection(ctx, c); err != nil {
		return fmt.Errorf("seed: correction: %w", err)
	}
	return nil
}

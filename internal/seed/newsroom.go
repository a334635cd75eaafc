package seed

import (
	"context"
	"fmt"
	"maps"

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

// newsroom adds the demo's pages, menus, banner and one correction, so
// `folio serve --demo` shows them.
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
	st, err := svc.Store().Settings(ctx)
	if err != nil {
		return fmt.Errorf("seed: menus: %w", err)
	}
	s := *st
	s.Menus = map[string]content.Menus{"en": {
		Footer: []content.MenuItem{{Label: "About", URL: "/about/"}, {Label: "Masthead", URL: "/masthead/"},
			{Label: "Contact", URL: "/contact/"}, {Label: "Corrections", URL: "/corrections/"}},
	}}
	s.Banner = &content.Banner{Kind: content.BannerFundraising, Text: "The Review is free to read and paid for by readers. Support our reporting.", URL: "/about/"}
	for lang, text := range map[string]string{
		"fa": "ریویو رایگان خوانده می‌شود و هزینه‌اش را خوانندگان می‌پردازند. از گزارشگری ما حمایت کنید.",
		"ps": "ریویو وړیا لوستل کېږي او لګښت یې لوستونکي ورکوي. زموږ د راپور ورکونې ملاتړ وکړئ.",
		"es": "The Review se lee gratis y lo pagan sus lectores. Apoye nuestro periodismo.",
	} {
		tr := maps.Clone(s.Translations[lang])
		if tr == nil {
			tr = map[string]string{}
		}
		tr["banner.text"] = text
		s.Translations = maps.Clone(s.Translations)
		if s.Translations == nil {
			s.Translations = map[string]map[string]string{}
		}
		s.Translations[lang] = tr
	}
	if err := ed.UpdateSettings(ctx, &s); err != nil {
		return fmt.Errorf("seed: menus: %w", err)
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

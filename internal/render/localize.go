package render

import (
	"html/template"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/i18n"
)

// Texts a page shows come in the page language when someone translated them
// and otherwise in the language they were written in. A fallback carries its
// own lang and dir, so screen readers pronounce it right and the bidi
// algorithm lays its punctuation out in its own direction; names and other
// runs of unknown direction inside a sentence sit in <bdi>.

// foreign returns the lang and dir attributes for a text in textLang shown
// on a page in the site's language: empty when they are the same (or the
// text's language is unknown), so the page's own attributes apply.
func (s Site) foreign(textLang string) (lang, dir string) {
	if textLang == "" || textLang == s.lang() {
		return "", ""
	}
	return textLang, Dir(textLang)
}

// setting returns a translatable settings field in the page language, with
// the lang and dir of a fallback.
func (s Site) setting(field string) (text, lang, dir string) {
	text, tl := s.settings().Localized(s.lang(), field)
	lang, dir = s.foreign(tl)
	return text, lang, dir
}

// htmlMessage renders catalog message key with each {placeholder} replaced
// by its value, given as HTML; the message text is escaped.
func htmlMessage(l *i18n.Locale, key string, values map[string]template.HTML) template.HTML {
	text := template.HTMLEscapeString(l.T(key))
	pairs := make([]string, 0, 2*len(values))
	for k, v := range values {
		pairs = append(pairs, "{"+k+"}", string(v))
	}
	return template.HTML(strings.NewReplacer(pairs...).Replace(text)) // the text escaped, values HTML
}

// isolate is text in <bdi>: a name or title keeps its own direction inside
// a sentence of the page language.
func isolate(text string) template.HTML {
	return template.HTML("<bdi>" + template.HTMLEscapeString(text) + "</bdi>")
}

// copyrightLine is the line that closes an article, from the catalog
// message of the page language: each author's name as the byline gives it, isolated,
// joined as the language lists names; the publication's name in the page
// language; the year of first publication in the language's digits.
// The plain text is for JSON-LD.
func (s Site) copyrightLine(names []string, published time.Time) (template.HTML, string) {
	l := s.Locale()
	year := published.Year()
	if published.IsZero() {
		year = s.now().Year()
	}
	y := l.Number(year)
	if len(names) == 0 {
		return htmlMessage(l, "copyright.line_site", map[string]template.HTML{"publication": isolate(s.Title()),
			"year": template.HTML(template.HTMLEscapeString(y))}), l.T("copyright.line_site", "publication", s.Title(), "year", y)
	}
	var authors strings.Builder
	for i, sep := range l.Separators(len(names)) {
		authors.WriteString(template.HTMLEscapeString(sep))
		authors.WriteString(string(isolate(names[i])))
	}
	h := htmlMessage(l, "copyright.line", map[string]template.HTML{"authors": template.HTML(authors.String()),
		"publication": isolate(s.Title()), "year": template.HTML(template.HTMLEscapeString(y))})
	return h, l.T("copyright.line", "authors", l.JoinNames(names), "publication", s.Title(), "year", y)
}

func (s Site) now() time.Time {
	if s.Now.IsZero() {
		return time.Now().In(s.Location())
	}
	return s.Now.In(s.Location())
}

// authorBox introduces au in the page language: the transliterated name and
// translated bio when there are, else the stored ones marked with their
// language (the site's default).
func (s Site) authorBox(au *content.Author) AuthorBox {
	l := s.Locale()
	name, _ := au.NameIn(s.lang())
	bio, translated := au.BioIn(s.lang())
	b := AuthorBox{Name: name, URL: s.URLs.Author(s.linkLang(), au.Slug), PhotoURL: s.URLs.MediaURL(au.PhotoURL),
		Bio: paragraphs(bio), Links: au.Links, AllLabel: l.T("author.all_articles", "name", name)}
	b.LinksLang, b.LinksDir = s.foreign(s.settings().DefaultLanguage)
	if !translated && bio != "" {
		b.BioLang, b.BioDir = s.foreign(s.settings().DefaultLanguage)
	}
	return b
}

// termName is a term's name in the page language, or the stored one with
// its language (the site's default).
func (s Site) termName(t *content.Term) (name, lang, dir string) {
	if n := t.Names[s.lang()]; n != "" {
		return n, "", ""
	}
	lang, dir = s.foreign(s.settings().DefaultLanguage)
	return t.Name, lang, dir
}

// termDescription is a term's description in the page language, or the
// stored one with its language.
func (s Site) termDescription(t *content.Term) (text, lang, dir string) {
	d, translated := t.DescriptionIn(s.lang())
	if !translated && d != "" {
		lang, dir = s.foreign(s.settings().DefaultLanguage)
	}
	return d, lang, dir
}

// licenseView is lic as the republishing notice shows it: the summary
// from the catalog of the page language, or the site's own wording of a
// custom license (in the site's default language, marked so); the
// license's name, a legal title in English, marked as English.
func (s Site) licenseView(lic *content.License) LicenseView {
	v := LicenseView{Code: lic.Code, Name: lic.Name, URL: lic.URL, Summary: lic.Summary}
	if std := content.FindLicense(lic.Code); std != nil && std.Summary == lic.Summary {
		v.Summary = s.Locale().T("license.summary." + lic.Code)
	} else {
		v.Lang, v.Dir = s.foreign(s.settings().DefaultLanguage)
	}
	if lic.Name != "" && (lic.Code != content.LicenseCustom || lic.Name != s.settings().CustomLicense.Name) {
		v.NameLang, v.NameDir = s.foreign("en")
	} else {
		v.NameLang, v.NameDir = s.foreign(s.settings().DefaultLanguage)
	}
	return v
}

// MenuNote is what the language menu says beside a language the site has
// no articles in ("no articles yet"), in the page language.
func (s Site) menuNote(lang string) string {
	st := s.settings()
	if lang == st.DefaultLanguage {
		return ""
	}
	for _, l := range st.Languages {
		if l == lang {
			return ""
		}
	}
	return s.Locale().T("menu.no_content")
}

// notYet is the home page's notice when none of latest is in the page
// language: "Nothing has been published in Japanese yet; here are the
// latest articles in English."
func (s Site) notYet(latest []*content.Article) string {
	if len(latest) == 0 || s.lang() == s.settings().DefaultLanguage {
		return ""
	}
	for _, a := range latest {
		if a.Language == s.lang() {
			return ""
		}
	}
	l := s.Locale()
	return l.T("home.not_yet", "language", l.LanguageName(s.lang()), "original", l.LanguageName(latest[0].Language))
}

package admin

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/store"
	"folio/internal/urls"
)

// MenusView edits the header and footer menus of every language and the
// site banner. Menus are typed one link a line, "Label | /path/", a
// child line starting with "- ".
type MenusView struct {
	Base
	Langs   []MenuLang
	Banner  content.Banner
	Start   string // datetime-local in Zone
	End     string
	Zone    string
	Targets []NavTarget // what a menu may link to, with its path
	Saved   bool
}

// MenuLang is one language's menus as text.
type MenuLang struct {
	Lang, Header, Footer string
}

// NavTarget is a page, dossier, term or author a menu can link to.
type NavTarget struct {
	Kind, Name, URL string
}

func (a *Admin) handleMenus(w http.ResponseWriter, r *http.Request) error {
	if !a.editor(r).Can(content.ActManageSettings) {
		return content.Errorf(content.EFORBIDDEN, "your role may not change the menus and banner")
	}
	ctx := r.Context()
	loc, st, err := a.location(ctx)
	if err != nil {
		return err
	}
	v := &MenusView{Base: Base{Title: "Menus and banner"}, Zone: loc.String()}
	if err := a.fillMenus(r, v, st, loc); err != nil {
		return err
	}
	v.Saved = r.URL.Query().Get("done") != ""
	return a.render(w, r, http.StatusOK, "menus", v)
}

func (a *Admin) fillMenus(r *http.Request, v *MenusView, st *content.Settings, loc *time.Location) error {
	ctx := r.Context()
	langs := st.Languages
	if len(langs) == 0 {
		langs = []string{st.DefaultLanguage}
	}
	for _, l := range langs {
		m := st.Menus[l]
		v.Langs = append(v.Langs, MenuLang{Lang: l, Header: menuText(m.Header), Footer: menuText(m.Footer)})
	}
	if b := st.Banner; b != nil {
		v.Banner = *b
		if !b.Start.IsZero() {
			v.Start = b.Start.In(loc).Format("2006-01-02T15:04")
		}
		if !b.End.IsZero() {
			v.End = b.End.In(loc).Format("2006-01-02T15:04")
		}
	}
	b := urls.New(st)
	pages, _, err := a.st.FindArticles(ctx, store.ArticleFilter{Type: content.TypePage, Statuses: []content.Status{content.StatusPublished}})
	if err != nil {
		return err
	}
	for _, p := range pages {
		v.Targets = append(v.Targets, NavTarget{"page (" + p.Language + ")", p.Title, b.Article(p)})
	}
	terms, _, err := a.st.FindTerms(ctx, store.TermFilter{})
	if err != nil {
		return err
	}
	for _, t := range terms {
		v.Targets = append(v.Targets, NavTarget{string(t.Kind), t.Name, b.Term(st.DefaultLanguage, t.Kind, t.Slug)})
	}
	authors, _, err := a.st.FindAuthors(ctx, store.AuthorFilter{})
	if err != nil {
		return err
	}
	for _, au := range authors {
		v.Targets = append(v.Targets, NavTarget{"author", au.Name, b.Author(st.DefaultLanguage, au.Slug)})
	}
	return nil
}

func (a *Admin) handleMenusSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	loc, st, err := a.location(ctx)
	if err != nil {
		return err
	}
	s := *st
	s.Menus = map[string]content.Menus{}
	p := content.Problems{}
	langs := s.Languages
	if len(langs) == 0 {
		langs = []string{s.DefaultLanguage}
	}
	for _, l := range langs {
		var m content.Menus
		m.Header = parseMenu(p, "menus."+l+".header", r.PostFormValue("header_"+l))
		m.Footer = parseMenu(p, "menus."+l+".footer", r.PostFormValue("footer_"+l))
		if len(m.Header)+len(m.Footer) > 0 {
			s.Menus[l] = m
		}
	}
	s.Banner = nil
	if text := strings.TrimSpace(r.PostFormValue("banner_text")); text != "" {
		b := &content.Banner{Kind: r.PostFormValue("banner_kind"), Text: text, URL: strings.TrimSpace(r.PostFormValue("banner_url"))}
		for _, f := range []struct {
			name string
			dst  *time.Time
		}{{"banner_start", &b.Start}, {"banner_end", &b.End}} {
			if v := strings.TrimSpace(r.PostFormValue(f.name)); v != "" {
				t, err := time.ParseInLocation("2006-01-02T15:04", v, loc)
				if err != nil {
					p.Add(f.name, "%q is not a date and time", v)
				}
				*f.dst = t.UTC()
			}
		}
		s.Banner = b
	}
	err = p.Err("menus")
	if err == nil {
		err = a.editor(r).UpdateSettings(ctx, &s)
	}
	if err != nil {
		if !userError(err) {
			return err
		}
		v := &MenusView{Base: Base{Title: "Menus and banner", Error: content.ErrorMessage(err), Fields: fieldsOf(err)}, Zone: loc.String()}
		if ferr := a.fillMenus(r, v, st, loc); ferr != nil {
			return ferr
		}
		for i := range v.Langs {
			v.Langs[i].Header, v.Langs[i].Footer = r.PostFormValue("header_"+v.Langs[i].Lang), r.PostFormValue("footer_"+v.Langs[i].Lang)
		}
		return a.render(w, r, statusOf(err), "menus", v)
	}
	a.audit(r, "menus.update", "settings", 0, "updated menus and banner")
	return seeOther(w, r, "/admin/menus?done=saved")
}

// menuText writes a menu in the editing format.
func menuText(items []content.MenuItem) string {
	var b strings.Builder
	for _, it := range items {
		fmt.Fprintf(&b, "%s | %s\n", it.Label, it.URL)
		for _, c := range it.Children {
			fmt.Fprintf(&b, "- %s | %s\n", c.Label, c.URL)
		}
	}
	return b.String()
}

// parseMenu reads the editing format, naming the line of any mistake.
func parseMenu(p content.Problems, field, text string) []content.MenuItem {
	var out []content.MenuItem
	for n, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		child := strings.HasPrefix(line, "- ")
		line = strings.TrimSpace(strings.TrimPrefix(line, "- "))
		label, url, ok := strings.Cut(line, "|")
		if !ok {
			p.Add(field, "line %d: write “Label | /path/”", n+1)
			continue
		}
		it := content.MenuItem{Label: strings.TrimSpace(label), URL: strings.TrimSpace(url)}
		if child {
			if len(out) == 0 {
				p.Add(field, "line %d: a child line (“- …”) needs a line above it", n+1)
				continue
			}
			out[len(out)-1].Children = append(out[len(out)-1].Children, it)
			continue
		}
		out = append(out, it)
	}
	return out
}

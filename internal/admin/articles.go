package admin

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"folio/internal/auth"
	"folio/internal/content"
	"folio/internal/render/markdown"
	"folio/internal/store"
	"folio/internal/urls"
)

const perPage = 25

// DashboardView is the admin's home.
type DashboardView struct {
	Base
	MyDrafts    []*content.Article
	ReviewQueue []*content.Article
	ShowQueue   bool
	Recent      []*content.Article
}

func (a *Admin) handleDashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed := a.editor(r)
	v := &DashboardView{Base: Base{Title: "Dashboard"}, ShowQueue: ed.Can(content.ActPublishAny)}
	drafts, _, err := a.st.FindArticles(ctx, store.ArticleFilter{Statuses: []content.Status{content.StatusDraft, content.StatusReview}, Limit: 200})
	if err != nil {
		return err
	}
	for _, d := range drafts {
		if ed.Owns(d) && len(v.MyDrafts) < 10 {
			v.MyDrafts = append(v.MyDrafts, d)
		}
	}
	if v.ShowQueue {
		if v.ReviewQueue, _, err = a.st.FindArticles(ctx, store.ArticleFilter{Statuses: []content.Status{content.StatusReview}, Limit: 20}); err != nil {
			return err
		}
	}
	if v.Recent, _, err = a.st.FindArticles(ctx, store.ArticleFilter{Public: true, Now: a.now(), Limit: 10}); err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "dashboard", v)
}

// ArticlesView is the filtered article list.
type ArticlesView struct {
	Base
	Articles  []*content.Article
	Total     int
	Status    string
	AuthorID  int64
	TermID    int64
	Language  string
	Query     string
	Page      int
	PrevURL   string
	NextURL   string
	Statuses  []content.Status
	Authors   []*content.Author
	Terms     []*content.Term
	Languages []string
}

func (a *Admin) handleArticles(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	v := &ArticlesView{Base: Base{Title: "Articles"}, Status: q.Get("status"), Language: q.Get("language"),
		Query: strings.TrimSpace(q.Get("q")), Page: max(1, formIntQ(q, "page")), Statuses: content.Statuses}
	v.AuthorID, _ = strconv.ParseInt(q.Get("author"), 10, 64)
	v.TermID, _ = strconv.ParseInt(q.Get("term"), 10, 64)
	f := store.ArticleFilter{Language: v.Language, AuthorID: v.AuthorID, TermID: v.TermID, Search: v.Query, SearchBody: true,
		Limit: perPage, Offset: (v.Page - 1) * perPage}
	if s := content.Status(v.Status); s.Valid() {
		f.Statuses = []content.Status{s}
	}
	var err error
	if v.Articles, v.Total, err = a.st.FindArticles(ctx, f); err != nil {
		return err
	}
	if v.Authors, _, err = a.st.FindAuthors(ctx, store.AuthorFilter{}); err != nil {
		return err
	}
	if v.Terms, _, err = a.st.FindTerms(ctx, store.TermFilter{}); err != nil {
		return err
	}
	st, err := a.st.Settings(ctx)
	if err != nil {
		return err
	}
	v.Languages = st.Languages
	page := func(n int) string {
		qq := url.Values{}
		for k, vals := range q {
			qq[k] = vals
		}
		qq.Set("page", strconv.Itoa(n))
		return "/admin/articles?" + qq.Encode()
	}
	if v.Page > 1 {
		v.PrevURL = page(v.Page - 1)
	}
	if v.Page*perPage < v.Total {
		v.NextURL = page(v.Page + 1)
	}
	return a.render(w, r, http.StatusOK, "articles", v)
}

func formIntQ(q url.Values, name string) int {
	n, _ := strconv.Atoi(q.Get(name))
	return n
}

// EditorView is the article editor.
type EditorView struct {
	Base
	A           *content.Article // the values shown: stored, or as typed
	IsNew       bool
	Version     int
	Action      string // form target
	PublishAt   string // datetime-local value in Zone
	FreeAt      string // datetime-local value in Zone, members-first only
	Accesses    []content.Access
	Zone        string
	Authors     []AuthorOption
	TermGroups  []TermGroup
	Media       []*content.Media
	ImageID     int64
	Licenses    []content.License
	Languages   []string
	CanSubmit   bool
	CanPublish  bool
	CanDelete   bool
	IsPublic    bool
	WordCount   int
	PreviewHTML template.HTML
	Conflict    *ConflictView
	Autosave    *store.Autosave // newer than the stored text
	PublicURL   string
	PreviewURL  string // signed link, after asking for one
	Saved       bool
	SlugNote    bool                  // the slug of a public article changed: a redirect was added
	Noun        string                // "article" or "page"
	Parents     []PageRow             // pages: where this page may sit
	Templates   []string              // pages: the layouts on offer
	EmbedNotes  []string              // what in the body looks like an embed but will not be one, and why
	Notes       []*content.Correction // the article's correction and update notes
	AskNote     bool                  // a public article's text changed: suggest a note
}

// AuthorOption is one author in the byline picker.
type AuthorOption struct {
	ID      int64
	Name    string
	Checked bool
	Order   int
}

// TermGroup is the picker of one term kind.
type TermGroup struct {
	Kind  content.TermKind
	Terms []TermOption
}

// TermOption is one term in a picker.
type TermOption struct {
	ID      int64
	Name    string
	Checked bool
}

// ConflictView shows a save refused because someone else saved first.
type ConflictView struct {
	Current *content.Article
	Diff    template.HTML // stored text against what was typed
}

func (a *Admin) location(ctx context.Context) (*time.Location, *content.Settings, error) {
	st, err := a.st.Settings(ctx)
	if err != nil {
		return nil, nil, err
	}
	loc, err := time.LoadLocation(st.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	return loc, st, nil
}

// editorView fills the pickers and permissions around art.
func (a *Admin) editorView(ctx context.Context, r *http.Request, art *content.Article, version int) (*EditorView, error) {
	ed := a.editor(r)
	loc, st, err := a.location(ctx)
	if err != nil {
		return nil, err
	}
	v := &EditorView{Base: Base{Title: "New article"}, A: art, IsNew: art.ID == 0, Version: version,
		Action: "/admin/articles", Zone: loc.String(), Licenses: content.Licenses, Languages: st.Languages, Noun: "article",
		Accesses: content.AccessLevels}
	if !art.FreeAt.IsZero() {
		v.FreeAt = art.FreeAt.In(loc).Format("2006-01-02T15:04")
	}
	if art.IsPage() {
		v.Noun, v.Title, v.Templates = "page", "New page", content.PageTemplates
		if v.Parents, err = a.parentOptions(ctx, art.ID); err != nil {
			return nil, err
		}
	}
	if !v.IsNew {
		v.Title = "Edit: " + art.Title
		v.Action = "/admin/articles/" + strconv.FormatInt(art.ID, 10)
		stored, err := a.st.FindArticleByID(ctx, art.ID)
		if err != nil {
			return nil, err
		}
		v.CanPublish = ed.CanPublish(stored)
		v.CanDelete = ed.CanDelete(stored)
		v.CanSubmit = ed.Can(content.ActSubmitForReview) && (stored.Status == content.StatusDraft)
		v.IsPublic = stored.IsPublic(a.now())
		if v.IsPublic {
			v.PublicURL = urls.New(st).Article(stored)
		}
	} else {
		v.CanPublish = ed.Can(content.ActPublishOwn)
		v.CanSubmit = ed.Can(content.ActSubmitForReview)
	}
	if !art.PublishedAt.IsZero() {
		v.PublishAt = art.PublishedAt.In(loc).Format("2006-01-02T15:04")
	}
	authors, _, err := a.st.FindAuthors(ctx, store.AuthorFilter{})
	if err != nil {
		return nil, err
	}
	for _, au := range authors {
		o := AuthorOption{ID: au.ID, Name: au.Name}
		for i, x := range art.Authors {
			if x.ID == au.ID {
				o.Checked, o.Order = true, i+1
			}
		}
		v.Authors = append(v.Authors, o)
	}
	terms, _, err := a.st.FindTerms(ctx, store.TermFilter{})
	if err != nil {
		return nil, err
	}
	for _, k := range content.TermKinds {
		g := TermGroup{Kind: k}
		for _, t := range terms {
			if t.Kind != k {
				continue
			}
			g.Terms = append(g.Terms, TermOption{ID: t.ID, Name: t.Name,
				Checked: slices.ContainsFunc(art.Terms, func(x *content.Term) bool { return x.ID == t.ID })})
		}
		v.TermGroups = append(v.TermGroups, g)
	}
	if v.Media, _, err = a.st.FindMedia(ctx, 200, 0); err != nil {
		return nil, err
	}
	// The featured image is an image; audio and PDFs go in the body.
	v.Media = slices.DeleteFunc(v.Media, notImage)
	if art.Image != nil {
		v.ImageID = art.Image.MediaID
	}
	if art.ID != 0 {
		if stored, err := a.st.FindArticleByID(ctx, art.ID); err == nil {
			v.Notes = stored.Corrections
		}
	}
	if h, err := markdown.ToHTML(art.BodyMarkdown); err == nil {
		v.WordCount = markdown.WordCount(h)
	}
	v.EmbedNotes = markdown.EmbedNotes(art.BodyMarkdown)
	return v, nil
}

func (a *Admin) handleArticleNew(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if !a.editor(r).Can(content.ActCreateArticle) {
		return content.Errorf(content.EFORBIDDEN, "your role may not create articles")
	}
	st, err := a.st.Settings(ctx)
	if err != nil {
		return err
	}
	art := &content.Article{Language: st.DefaultLanguage, Status: content.StatusDraft}
	if u := auth.UserFrom(ctx); u.AuthorID != 0 {
		art.Authors = []*content.Author{{ID: u.AuthorID}}
	}
	v, err := a.editorView(ctx, r, art, 0)
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "editor", v)
}

func (a *Admin) handleArticleEdit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	art, ed, err := a.ownArticle(r, id, "edit this article")
	if err != nil {
		return err
	}
	v, err := a.editorView(ctx, r, art, art.Version)
	if err != nil {
		return err
	}
	v.Saved = r.URL.Query().Get("done") != ""
	v.SlugNote = r.URL.Query().Get("moved") == "1"
	v.AskNote = r.URL.Query().Get("asknote") == "1"
	if as, err := a.st.FindAutosave(ctx, id, ed.User().ID); err == nil && as.At.After(art.UpdatedAt) && as.BodyMarkdown != art.BodyMarkdown {
		v.Autosave = as
	}
	return a.render(w, r, http.StatusOK, "editor", v)
}

// articleFromForm reads the editor form. Problems holds messages for
// fields that cannot even be parsed (a bad date); the service validates
// the rest.
func (a *Admin) articleFromForm(ctx context.Context, r *http.Request) (*content.Article, content.Problems, error) {
	p := content.Problems{}
	loc, st, err := a.location(ctx)
	if err != nil {
		return nil, nil, err
	}
	art := &content.Article{
		Title: r.PostFormValue("title"), Deck: r.PostFormValue("deck"), Slug: strings.TrimSpace(r.PostFormValue("slug")),
		BodyMarkdown: strings.ReplaceAll(r.PostFormValue("body_markdown"), "\r\n", "\n"),
		Excerpt:      strings.TrimSpace(r.PostFormValue("excerpt")), Featured: r.PostFormValue("featured") != "",
		License: r.PostFormValue("license"), SourceURL: strings.TrimSpace(r.PostFormValue("source_url")),
		SourceName: strings.TrimSpace(r.PostFormValue("source_name")), Language: strings.TrimSpace(r.PostFormValue("language")),
		Authors: []*content.Author{}, Terms: []*content.Term{},
		Access: content.Access(r.PostFormValue("access")), AccessTier: strings.TrimSpace(r.PostFormValue("access_tier")),
		Type: content.Type(r.PostFormValue("type")), Template: r.PostFormValue("template"),
		ParentID: formID(r, "parent_id"),
	}
	if s := strings.TrimSpace(r.PostFormValue("free_at")); s != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", s, loc)
		if err != nil {
			p.Add("free_at", "%q is not a date and time (YYYY-MM-DDTHH:MM)", s)
		}
		art.FreeAt = t.UTC()
	}
	if art.Type == "" {
		art.Type = content.TypeArticle
	}
	seo := &content.SEO{Title: strings.TrimSpace(r.PostFormValue("seo_title")), Description: strings.TrimSpace(r.PostFormValue("seo_description")),
		ImageURL: strings.TrimSpace(r.PostFormValue("seo_image_url")), Canonical: strings.TrimSpace(r.PostFormValue("seo_canonical"))}
	if !seo.IsZero() {
		art.SEO = seo
	}
	if art.Language == "" {
		art.Language = st.DefaultLanguage
	}
	if s := strings.TrimSpace(r.PostFormValue("publish_at")); s != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", s, loc)
		if err != nil {
			p.Add("published_at", "%q is not a date and time (YYYY-MM-DDTHH:MM)", s)
		}
		art.PublishedAt = t.UTC()
	}
	type ordered struct {
		id    int64
		order int
		pos   int
	}
	var byline []ordered
	for i, s := range r.PostForm["author"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			continue
		}
		o := formInt(r, "author_order_"+s)
		if o == 0 {
			o = 1000 + i
		}
		byline = append(byline, ordered{id, o, i})
	}
	slices.SortStableFunc(byline, func(x, y ordered) int { return x.order - y.order })
	for _, b := range byline {
		art.Authors = append(art.Authors, &content.Author{ID: b.id})
	}
	for _, s := range r.PostForm["term"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			art.Terms = append(art.Terms, &content.Term{ID: id})
		}
	}
	if mid := formID(r, "image_media_id"); mid != 0 {
		m, err := a.st.FindMediaByID(ctx, mid)
		if err != nil {
			p.Add("image", "the chosen image no longer exists")
		} else if notImage(m) {
			p.Add("image", "%s is not an image: put audio and PDFs in the body with Insert from library", m.Filename)
		} else {
			im := &content.Image{MediaID: m.ID, URL: "/media/" + m.Path, Width: m.Width, Height: m.Height,
				Alt: orDefault(r.PostFormValue("image_alt"), m.Alt), Caption: orDefault(r.PostFormValue("image_caption"), m.Caption),
				Credit: orDefault(r.PostFormValue("image_credit"), m.Credit), CreditURL: orDefault(r.PostFormValue("image_credit_url"), m.CreditURL),
				CreditType: content.CreditType(orDefault(r.PostFormValue("image_credit_type"), string(m.CreditType)))}
			art.Image = im
		}
	}
	return art, p, nil
}

// notImage reports whether a library item is audio or a document, which
// cannot be a featured image.
func notImage(m *content.Media) bool {
	return m.ContentType != "" && !strings.HasPrefix(m.ContentType, "image/")
}

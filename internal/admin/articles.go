package admin

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"folio/internal/auth"
	"folio/internal/content"
	"folio/internal/editorial"
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
	SlugNote    bool // the slug of a public article changed: a redirect was added
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
		Action: "/admin/articles", Zone: loc.String(), Licenses: content.Licenses, Languages: st.Languages,
		Accesses: content.AccessLevels}
	if !art.FreeAt.IsZero() {
		v.FreeAt = art.FreeAt.In(loc).Format("2006-01-02T15:04")
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
	if art.Image != nil {
		v.ImageID = art.Image.MediaID
	}
	if h, err := markdown.ToHTML(art.BodyMarkdown); err == nil {
		v.WordCount = markdown.WordCount(h)
	}
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
	}
	if s := strings.TrimSpace(r.PostFormValue("free_at")); s != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", s, loc)
		if err != nil {
			p.Add("free_at", "%q is not a date and time (YYYY-MM-DDTHH:MM)", s)
		}
		art.FreeAt = t.UTC()
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
		} else {
			im := &content.Image{MediaID: m.ID, URL: "/media/" + m.Path, Width: m.Width, Height: m.Height,
				Alt: orDefault(r.PostFormValue("image_alt"), m.Alt), Caption: orDefault(r.PostFormValue("image_caption"), m.Caption),
				Credit: orDefault(r.PostFormValue("image_credit"), m.Credit), CreditURL: orDefault(r.PostFormValue("image_credit_url"), m.CreditURL)}
			art.Image = im
		}
	}
	return art, p, nil
}

func orDefault(s, def string) string {
	if s = strings.TrimSpace(s); s != "" {
		return s
	}
	return def
}

// statusFor maps the editor's button to the status asked for.
func statusFor(action string, current content.Status) (content.Status, error) {
	switch action {
	case "", "save":
		if current == "" {
			return content.StatusDraft, nil
		}
		return current, nil
	case "submit":
		return content.StatusReview, nil
	case "publish":
		return content.StatusPublished, nil
	case "unpublish":
		return content.StatusDraft, nil
	}
	return "", content.Errorf(content.EINVALID, "unknown action %q", action)
}

var doneFor = map[string]string{"save": "saved", "": "saved", "submit": "submitted", "publish": "published", "unpublish": "unpublished"}

func (a *Admin) handleArticleCreate(w http.ResponseWriter, r *http.Request) error {
	return a.saveArticle(w, r, 0)
}

func (a *Admin) handleArticleSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return a.saveArticle(w, r, id)
}

// saveArticle handles every button of the editor. A refused save shows
// the form again with what was typed and a message next to each field.
func (a *Admin) saveArticle(w http.ResponseWriter, r *http.Request, id int64) error {
	ctx := r.Context()
	ed := a.editor(r)
	art, problems, err := a.articleFromForm(ctx, r)
	if err != nil {
		return err
	}
	art.ID = id
	version := formInt(r, "version")
	action := r.PostFormValue("action")
	var old *content.Article
	if id != 0 {
		if old, err = a.st.FindArticleByID(ctx, id); err != nil {
			return err
		}
		art.CreatedBy = old.CreatedBy
	}
	if action == "preview" {
		v, err := a.formAgain(ctx, r, art, version, nil)
		if err != nil {
			return err
		}
		h, err := markdown.ToHTML(art.BodyMarkdown)
		if err != nil {
			v.Fields = map[string]string{"body_markdown": err.Error()}
		}
		v.PreviewHTML = template.HTML(h) // sanitized by markdown.ToHTML
		return a.render(w, r, http.StatusOK, "editor", v)
	}
	cur := content.StatusDraft
	if old != nil {
		cur = old.Status
	}
	if art.Status, err = statusFor(action, cur); err != nil {
		return err
	}
	if len(problems) > 0 {
		err = problems.Err("article")
	} else if id == 0 {
		err = ed.CreateArticle(ctx, art)
	} else {
		err = ed.UpdateArticle(ctx, art, editorial.Version(version))
	}
	if err != nil {
		if !userError(err) {
			return err
		}
		v, verr := a.formAgain(ctx, r, art, version, err)
		if verr != nil {
			return verr
		}
		return a.render(w, r, statusOf(err), "editor", v)
	}
	verb := "article.update"
	if id == 0 {
		verb = "article.create"
	}
	if action == "publish" || action == "unpublish" || action == "submit" {
		verb = "article." + action
	}
	done := doneFor[action]
	if art.Status == content.StatusScheduled {
		done, verb = "scheduled", "article.schedule"
	}
	a.audit(r, verb, "article", art.ID, fmt.Sprintf("%s %q (version %d, %s)", verb, art.Title, art.Version, art.Status))
	_ = ed.DiscardAutosave(ctx, art.ID)
	target := fmt.Sprintf("/admin/articles/%d?done=%s", art.ID, done)
	if old != nil && old.IsPublic(a.now()) && (old.Slug != art.Slug || old.Language != art.Language) {
		target += "&moved=1"
	}
	return seeOther(w, r, target)
}

// formAgain rebuilds the editor around what was typed after a refused
// save; a version conflict also shows how the stored text differs.
func (a *Admin) formAgain(ctx context.Context, r *http.Request, typed *content.Article, version int, cause error) (*EditorView, error) {
	shown := *typed
	if typed.ID != 0 {
		stored, err := a.st.FindArticleByID(ctx, typed.ID)
		if err != nil {
			return nil, err
		}
		shown.Status = stored.Status
	}
	// The pickers need names; the typed article holds only IDs.
	v, err := a.editorView(ctx, r, &shown, version)
	if err != nil {
		return nil, err
	}
	if cause == nil {
		return v, nil
	}
	v.Error, v.Fields = content.ErrorMessage(cause), fieldsOf(cause)
	if content.ErrorCode(cause) == content.ECONFLICT && v.Fields["version"] != "" {
		cur, err := a.st.FindArticleByID(ctx, typed.ID)
		if err != nil {
			return nil, err
		}
		v.Conflict = &ConflictView{Current: cur, Diff: diffHTML(cur.Title+"\n\n"+cur.BodyMarkdown, typed.Title+"\n\n"+typed.BodyMarkdown)}
		// Saving again now overwrites, knowingly: the form carries the
		// version the user has just been shown.
		v.Version = cur.Version
		v.Error = "Someone else saved this article while you were editing. Your text is below, unsaved; " +
			"compare it with theirs, then save again to replace their version."
	}
	return v, nil
}

func (a *Admin) handleArticleDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	art, err := a.st.FindArticleByID(r.Context(), id)
	if err != nil {
		return err
	}
	if err := a.editor(r).DeleteArticle(r.Context(), id); err != nil {
		return err
	}
	a.audit(r, "article.delete", "article", id, fmt.Sprintf("deleted %q", art.Title))
	return seeOther(w, r, "/admin/articles?done=deleted")
}

func (a *Admin) handleAutosave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	s := &store.Autosave{ArticleID: id, BaseVersion: formInt(r, "version"), Title: r.PostFormValue("title"),
		BodyMarkdown: strings.ReplaceAll(r.PostFormValue("body_markdown"), "\r\n", "\n")}
	if err := a.editor(r).Autosave(r.Context(), s); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// handlePreview renders posted Markdown exactly as the site will: through
// the sanitizing renderer. The live preview script calls it.
func (a *Admin) handlePreview(w http.ResponseWriter, r *http.Request) error {
	h, err := markdown.ToHTML(r.PostFormValue("body_markdown"))
	if err != nil {
		return content.Errorf(content.EINVALID, "%v", err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, err = w.Write([]byte(h))
	return err
}

func (a *Admin) handlePreviewLink(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	art, _, err := a.ownArticle(r, id, "share this article")
	if err != nil {
		return err
	}
	v, err := a.editorView(ctx, r, art, art.Version)
	if err != nil {
		return err
	}
	_, st, err := a.location(ctx)
	if err != nil {
		return err
	}
	base := a.cfg.BaseURL
	if base == "" {
		base = st.BaseURL
	}
	v.PreviewURL = strings.TrimRight(base, "/") + a.previewPath(art, a.now().Add(PreviewLifetime))
	a.audit(r, "article.preview_link", "article", id, "shared a preview link")
	return a.render(w, r, http.StatusOK, "editor", v)
}

package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/store"
	"folio/internal/urls"
)

// articleInput is what clients send to create or change an article.
type articleInput struct {
	Language      string         `json:"language"`
	Type          content.Type   `json:"type"`      // article (default) or page
	ParentID      int64          `json:"parent_id"` // pages: the page this one sits under
	Template      string         `json:"template"`  // pages: about, contact, masthead, corrections or empty
	SEO           *content.SEO   `json:"seo"`
	Title         string         `json:"title"`
	Deck          string         `json:"deck"`
	Slug          string         `json:"slug"`
	BodyMarkdown  string         `json:"body_markdown"`
	Excerpt       string         `json:"excerpt"`
	Status        content.Status `json:"status"`
	Featured      bool           `json:"featured"`
	Image         *imageInput    `json:"image"`
	License       string         `json:"license"`
	SourceURL     string         `json:"source_url"`
	SourceName    string         `json:"source_name"`
	PublishedAt   *time.Time     `json:"published_at"`
	Access        content.Access `json:"access"`         // public (default), members, members-first, paid
	AccessTier    string         `json:"access_tier"`    // paid: one tier's slug; empty is any paid tier
	FreeAt        *time.Time     `json:"free_at"`        // members-first: when the text opens to all
	TranslationOf *int64         `json:"translation_of"` // an article ID whose translation group to join
	AuthorIDs     []int64        `json:"author_ids"`     // byline order
	TermIDs       []int64        `json:"term_ids"`
}

// imageInput names a library image by media_id, or any image by url. With a
// media_id, url and size come from the library and alt, caption and credit
// default to the library's.
type imageInput struct {
	MediaID   int64  `json:"media_id"`
	URL       string `json:"url"`
	Alt       string `json:"alt"`
	Caption   string `json:"caption"`
	Credit    string `json:"credit"`
	CreditURL string `json:"credit_url"`
	// CreditType is photo, illustration, chart or video; empty takes the
	// library image's, else it is read from the credit.
	CreditType content.CreditType `json:"credit_type"`
}

// publishInput is the optional body of the publish route.
type publishInput struct {
	At *time.Time `json:"at"` // a future time schedules the article
}

// articleOutput is an article as the API shows it.
type articleOutput struct {
	*content.Article
	URL string `json:"url"` // absolute public URL
}

type articleList = list[articleOutput]

func toArticleOutput(b urls.Builder, a *content.Article) articleOutput {
	if a.Authors == nil {
		a.Authors = []*content.Author{}
	}
	if a.Terms == nil {
		a.Terms = []*content.Term{}
	}
	return articleOutput{Article: a, URL: b.Abs(b.Article(a))}
}

func (a *API) writeArticle(w http.ResponseWriter, r *http.Request, status int, art *content.Article) error {
	b, err := a.builder(r.Context())
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", articlesPath+"/"+strconv.FormatInt(art.ID, 10))
	}
	writeJSON(w, status, toArticleOutput(b, art))
	return nil
}

// inputOf is the input that would recreate a: the base a PATCH applies to.
func inputOf(a *content.Article) articleInput {
	in := articleInput{
		Language: a.Language, Title: a.Title, Deck: a.Deck, Slug: a.Slug, BodyMarkdown: a.BodyMarkdown,
		Excerpt: a.Excerpt, Status: a.Status, Featured: a.Featured, License: a.License,
		SourceURL: a.SourceURL, SourceName: a.SourceName, Access: a.Access, AccessTier: a.AccessTier,
		Type: a.Type, ParentID: a.ParentID, Template: a.Template, SEO: a.SEO,
	}
	if !a.FreeAt.IsZero() {
		t := a.FreeAt
		in.FreeAt = &t
	}
	if !a.PublishedAt.IsZero() {
		t := a.PublishedAt
		in.PublishedAt = &t
	}
	if im := a.Image; im != nil {
		in.Image = &imageInput{MediaID: im.MediaID, URL: im.URL, Alt: im.Alt, Caption: im.Caption, Credit: im.Credit, CreditURL: im.CreditURL,
			CreditType: im.CreditType}
	}
	for _, au := range a.Authors {
		in.AuthorIDs = append(in.AuthorIDs, au.ID)
	}
	for _, t := range a.Terms {
		in.TermIDs = append(in.TermIDs, t.ID)
	}
	return in
}

// apply copies in onto art. Image and translation group are resolved only
// when the input set them (set), so a PATCH of the title never depends on
// a media record or sibling article still existing.
func (a *API) apply(ctx context.Context, art *content.Article, in *articleInput, set func(string) bool) error {
	art.Language, art.Title, art.Deck, art.Slug = in.Language, in.Title, in.Deck, in.Slug
	art.BodyMarkdown, art.Excerpt, art.Status, art.Featured = in.BodyMarkdown, in.Excerpt, in.Status, in.Featured
	art.License, art.SourceURL, art.SourceName = in.License, in.SourceURL, in.SourceName
	art.Type, art.ParentID, art.Template, art.SEO = in.Type, in.ParentID, in.Template, in.SEO
	if art.Type == "" {
		art.Type = content.TypeArticle
	}
	art.PublishedAt = time.Time{}
	if in.PublishedAt != nil {
		art.PublishedAt = in.PublishedAt.UTC()
	}
	art.Access, art.AccessTier, art.FreeAt = in.Access, in.AccessTier, time.Time{}
	if in.FreeAt != nil {
		art.FreeAt = in.FreeAt.UTC()
	}
	art.Authors = make([]*content.Author, len(in.AuthorIDs))
	for i, id := range in.AuthorIDs {
		art.Authors[i] = &content.Author{ID: id}
	}
	art.Terms = make([]*content.Term, len(in.TermIDs))
	for i, id := range in.TermIDs {
		art.Terms[i] = &content.Term{ID: id}
	}
	p := content.Problems{}
	if set("image") {
		im, err := a.resolveImage(ctx, in.Image, p)
		if err != nil {
			return err
		}
		art.Image = im
	}
	if set("translation_of") {
		art.TranslationGroup = 0 // its own group, unless joining one below
		if in.TranslationOf != nil && *in.TranslationOf != 0 {
			g, err := a.translationGroup(ctx, art, *in.TranslationOf, p)
			if err != nil {
				return err
			}
			art.TranslationGroup = g
		}
	}
	return p.Err("article")
}

func (a *API) resolveImage(ctx context.Context, in *imageInput, p content.Problems) (*content.Image, error) {
	if in == nil {
		return nil, nil
	}
	im := &content.Image{URL: in.URL, Alt: in.Alt, Caption: in.Caption, Credit: in.Credit, CreditURL: in.CreditURL,
		CreditType: in.CreditType}
	if in.MediaID == 0 {
		return im, nil
	}
	m, err := a.store.FindMediaByID(ctx, in.MediaID)
	if content.ErrorCode(err) == content.ENOTFOUND {
		p.Add("image.media_id", "media %d not found", in.MediaID)
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("api: find media %d: %w", in.MediaID, err)
	}
	b, err := a.builder(ctx)
	if err != nil {
		return nil, err
	}
	im.MediaID, im.URL, im.Width, im.Height = m.ID, b.Media(m.Path), m.Width, m.Height
	if im.CreditType == "" {
		im.CreditType = m.CreditType
	}
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&im.Alt, m.Alt}, {&im.Caption, m.Caption}, {&im.Credit, m.Credit}, {&im.CreditURL, m.CreditURL},
	} {
		if strings.TrimSpace(*f.dst) == "" {
			*f.dst = f.src
		}
	}
	return im, nil
}

// translationGroup returns the group of article otherID, which art joins. A
// group holds one article per language.
func (a *API) translationGroup(ctx context.Context, art *content.Article, otherID int64, p content.Problems) (int64, error) {
	other, err := a.store.FindArticleByID(ctx, otherID)
	if content.ErrorCode(err) == content.ENOTFOUND {
		p.Add("translation_of", "article %d not found", otherID)
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("api: find article %d: %w", otherID, err)
	}
	g := other.TranslationGroup
	if g == 0 {
		g = other.ID
	}
	if art.Language != "" {
		same, _, err := a.store.FindArticles(ctx, store.ArticleFilter{TranslationGroup: g, Language: art.Language, ExcludeIDs: nonZero(art.ID)})
		if err != nil {
			return 0, fmt.Errorf("api: find translations: %w", err)
		}
		if len(same) > 0 {
			p.Add("translation_of", "article %d already has a %q translation (article %d)", otherID, art.Language, same[0].ID)
		}
	}
	return g, nil
}

func nonZero(id int64) []int64 {
	if id == 0 {
		return nil
	}
	return []int64{id}
}

func (a *API) handleArticleCreate(w http.ResponseWriter, r *http.Request) error {
	raw, err := a.readBody(w, r, false)
	if err != nil {
		return err
	}
	var in articleInput
	if err := decodeInto(raw, &in); err != nil {
		return err
	}
	art := &content.Article{}
	if err := a.apply(r.Context(), art, &in, func(string) bool { return true }); err != nil {
		return err
	}
	if err := a.ed().CreateArticle(r.Context(), art); err != nil {
		return err
	}
	return a.writeArticle(w, r, http.StatusCreated, art)
}

func (a *API) handleArticleShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "article")
	if err != nil {
		return err
	}
	art, err := a.store.FindArticleByID(r.Context(), id)
	if err != nil {
		return err
	}
	return a.writeArticle(w, r, http.StatusOK, art)
}

func (a *API) handleArticlePatch(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "article")
	if err != nil {
		return err
	}
	raw, err := a.readBody(w, r, false)
	if err != nil {
		return err
	}
	// Check the body's shape before loading anything.
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return badRequest("request body must be an object")
	}
	art, err := a.store.FindArticleByID(r.Context(), id)
	if err != nil {
		return err
	}
	in := inputOf(art)
	if err := decodeInto(raw, &in); err != nil {
		return err
	}
	set := func(name string) bool { _, ok := fields[name]; return ok }
	if err := a.apply(r.Context(), art, &in, set); err != nil {
		return err
	}
	if err := a.ed().UpdateArticle(r.Context(), art); err != nil {
		return err
	}
	// Reload: the store resolves authors and terms from their IDs.
	if art, err = a.store.FindArticleByID(r.Context(), id); err != nil {
		return err
	}
	return a.writeArticle(w, r, http.StatusOK, art)
}

func (a *API) handleArticleDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "article")
	if err != nil {
		return err
	}
	if err := a.ed().DeleteArticle(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) handleArticlePublish(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "article")
	if err != nil {
		return err
	}
	raw, err := a.readBody(w, r, true)
	if err != nil {
		return err
	}
	var in publishInput
	if raw != nil {
		if err := decodeInto(raw, &in); err != nil {
			return err
		}
	}
	var at time.Time
	if in.At != nil {
		at = *in.At
	}
	art, err := a.ed().Publish(r.Context(), id, at)
	if err != nil {
		return err
	}
	return a.writeArticle(w, r, http.StatusOK, art)
}

func (a *API) handleArticleUnpublish(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "article")
	if err != nil {
		return err
	}
	art, err := a.ed().Unpublish(r.Context(), id)
	if err != nil {
		return err
	}
	return a.writeArticle(w, r, http.StatusOK, art)
}

func (a *API) handleArticleList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.ArticleFilter{Language: q.Get("language"), Search: q.Get("q")}
	switch t := q.Get("type"); t {
	case "", string(content.TypeArticle), string(content.TypePage):
		f.Type = content.Type(t)
	case "any":
		f.Type = store.AnyType
	default:
		return &content.Error{Code: codeBadRequest, Message: fmt.Sprintf("unknown type %q", t),
			Fields: map[string]string{"type": "must be article, page or any"}}
	}
	for s := range strings.SplitSeq(q.Get("status"), ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if !content.Status(s).Valid() {
			return &content.Error{Code: codeBadRequest, Message: fmt.Sprintf("unknown status %q", s),
				Fields: map[string]string{"status": "must be among " + strings.Join(statusNames(), ", ")}}
		}
		f.Statuses = append(f.Statuses, content.Status(s))
	}
	var err error
	if f.AuthorID, err = queryInt(r, "author"); err != nil {
		return err
	}
	if f.TermID, err = queryInt(r, "term"); err != nil {
		return err
	}
	limit, err := queryLimit(r)
	if err != nil {
		return err
	}
	if c := q.Get("cursor"); c != "" {
		if f.After, err = store.ParseCursor(c); err != nil {
			return &content.Error{Code: codeBadRequest, Message: content.ErrorMessage(err), Fields: map[string]string{"cursor": "is not valid"}}
		}
	}
	f.Limit = limit + 1 // one more tells whether there is a next page
	items, total, err := a.store.FindArticles(r.Context(), f)
	if err != nil {
		return err
	}
	b, err := a.builder(r.Context())
	if err != nil {
		return err
	}
	out := articleList{Items: []articleOutput{}, Total: total}
	if len(items) > limit {
		items = items[:limit]
		c := store.CursorOf(items[limit-1]).String()
		out.NextCursor = &c
	}
	for _, art := range items {
		out.Items = append(out.Items, toArticleOutput(b, art))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

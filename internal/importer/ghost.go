package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/media"
	"folio/internal/render/markdown"
)

// Ghost's JSON export (Ghost 1.x to 5.x): {"db":[{"meta":…,"data":{…}}]}.

type ghostExport struct {
	DB []struct {
		Data ghostData `json:"data"`
	} `json:"db"`
}

type ghostData struct {
	Posts        []ghostPost     `json:"posts"`
	PostsMeta    []ghostPostMeta `json:"posts_meta"`
	Tags         []ghostTag      `json:"tags"`
	Users        []ghostUser     `json:"users"`
	PostsTags    []ghostLink     `json:"posts_tags"`
	PostsAuthors []ghostLink     `json:"posts_authors"`
}

type ghostPost struct {
	ID                  string  `json:"id"`
	Title               string  `json:"title"`
	Slug                string  `json:"slug"`
	HTML                *string `json:"html"`
	FeatureImage        *string `json:"feature_image"`
	FeatureImageAlt     *string `json:"feature_image_alt"`
	FeatureImageCaption *string `json:"feature_image_caption"`
	Featured            any     `json:"featured"` // bool, or 0/1 in old exports
	Page                any     `json:"page"`     // Ghost 1–2: bool or 0/1
	Type                string  `json:"type"`     // Ghost 3+: "post" or "page"
	Status              string  `json:"status"`
	CustomExcerpt       *string `json:"custom_excerpt"`
	PublishedAt         *string `json:"published_at"`
	AuthorID            string  `json:"author_id"`
}

type ghostPostMeta struct {
	PostID              string  `json:"post_id"`
	FeatureImageAlt     *string `json:"feature_image_alt"`
	FeatureImageCaption *string `json:"feature_image_caption"`
}

type ghostTag struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Slug        string  `json:"slug"`
	Description *string `json:"description"`
	Visibility  string  `json:"visibility"`
}

type ghostUser struct {
	ID           string  `json:"id"`
	Name         string  `json:"name"`
	Slug         string  `json:"slug"`
	Email        string  `json:"email"`
	Bio          *string `json:"bio"`
	Website      *string `json:"website"`
	ProfileImage *string `json:"profile_image"`
}

type ghostLink struct {
	PostID    string `json:"post_id"`
	TagID     string `json:"tag_id"`
	AuthorID  string `json:"author_id"`
	SortOrder int    `json:"sort_order"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func truthy(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case float64:
		return v != 0
	case string:
		return v == "1" || v == "true"
	}
	return false
}

// GhostError is a problem with a Ghost export that stops an import.
type GhostError struct {
	Line int    // 1-based line of a JSON syntax error, 0 otherwise
	Item string // "post 3 (id …)" when an item is at fault
	Msg  string
}

func (e *GhostError) Error() string {
	switch {
	case e.Line > 0:
		return fmt.Sprintf("ghost export: line %d: %s", e.Line, e.Msg)
	case e.Item != "":
		return fmt.Sprintf("ghost export: %s: %s", e.Item, e.Msg)
	}
	return "ghost export: " + e.Msg
}

// maxGhostExport bounds the file read into memory: Ghost exports hold text
// only (images are separate), and the largest sites' stay well under this.
const maxGhostExport = 512 << 20

// ImportGhost imports a Ghost JSON export. Images named by feature_image
// are read from opt.Uploads, a copy of Ghost's content/images directory.
func ImportGhost(ctx context.Context, src io.Reader, opt Options) (*Report, error) {
	r, err := newRun(ctx, "ghost", opt)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(src, maxGhostExport+1))
	if err != nil {
		return r.rep, fmt.Errorf("importer: read ghost export: %w", err)
	}
	if len(b) > maxGhostExport {
		return r.rep, &GhostError{Msg: "file is larger than 512 MiB"}
	}
	var ex ghostExport
	if err := json.Unmarshal(b, &ex); err != nil {
		return r.rep, ghostSyntax(b, err)
	}
	if len(ex.DB) == 0 {
		return r.rep, &GhostError{Msg: `no "db" section: not a Ghost export`}
	}
	d := ex.DB[0].Data
	// Check every post before writing anything.
	for i, p := range d.Posts {
		if p.ID == "" {
			return r.rep, &GhostError{Item: fmt.Sprintf("post %d", i+1), Msg: "has no id"}
		}
		if p.PublishedAt != nil && *p.PublishedAt != "" {
			if _, err := ghostTime(*p.PublishedAt); err != nil {
				return r.rep, &GhostError{Item: fmt.Sprintf("post %d (id %s)", i+1, p.ID), Msg: err.Error()}
			}
		}
	}
	g := &ghostRun{run: r, d: d, tags: map[string]*content.Term{}, users: map[string]*content.Author{}}
	if opt.Progress != nil {
		opt.Progress.Start(len(d.Posts), "importing")
		defer opt.Progress.Done()
	}
	err = g.all(ctx)
	return r.finish(err)
}

func ghostSyntax(b []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &GhostError{Line: 1 + bytes.Count(b[:min(int(se.Offset), len(b))], []byte("\n")), Msg: se.Error()}
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &GhostError{Line: 1 + bytes.Count(b[:min(int(te.Offset), len(b))], []byte("\n")),
			Msg: fmt.Sprintf("%s should be %s, not %s", te.Field, te.Type, te.Value)}
	}
	return &GhostError{Msg: err.Error()}
}

func ghostTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	// Ghost 1.x wrote milliseconds since the epoch as a number in a string.
	return time.Time{}, fmt.Errorf("published_at %q is not a time", s)
}

type ghostRun struct {
	*run
	d     ghostData
	tags  map[string]*content.Term
	users map[string]*content.Author
}

func (g *ghostRun) all(ctx context.Context) error {
	tagByID := map[string]ghostTag{}
	for _, t := range g.d.Tags {
		tagByID[t.ID] = t
	}
	userByID := map[string]ghostUser{}
	for _, u := range g.d.Users {
		userByID[u.ID] = u
	}
	meta := map[string]ghostPostMeta{}
	for _, m := range g.d.PostsMeta {
		meta[m.PostID] = m
	}
	postTags, postAuthors := map[string][]ghostLink{}, map[string][]ghostLink{}
	for _, l := range g.d.PostsTags {
		postTags[l.PostID] = append(postTags[l.PostID], l)
	}
	for _, l := range g.d.PostsAuthors {
		postAuthors[l.PostID] = append(postAuthors[l.PostID], l)
	}
	var batch []func() error
	flush := func() error {
		err := g.inOneBatch(ctx, func() error {
			for _, write := range batch {
				if err := write(); err != nil {
					return err
				}
			}
			return nil
		})
		if g.opt.Progress != nil {
			g.opt.Progress.Add(len(batch))
		}
		clear(batch)
		batch = batch[:0]
		return err
	}
	for i, p := range g.d.Posts {
		if err := ctx.Err(); err != nil {
			return err
		}
		write, err := g.post(ctx, i+1, p, meta[p.ID], tagByID, userByID, postTags[p.ID], postAuthors[p.ID])
		if err != nil {
			return err
		}
		switch {
		case write == nil:
			if g.opt.Progress != nil {
				g.opt.Progress.Add(1)
			}
		default:
			// Authors, tags and images were made by post in their own
			// transactions; the article writes wait for one shared batch.
			batch = append(batch, write)
			if len(batch) >= g.opt.batchSize() {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	if len(batch) > 0 {
		return flush()
	}
	return nil
}

// post resolves a post's authors, tags and image and returns how to write
// the article and its old address through g.cur; nil when it is not imported.
func (g *ghostRun) post(ctx context.Context, n int, p ghostPost, pm ghostPostMeta, tags map[string]ghostTag,
	users map[string]ghostUser, tagLinks, authorLinks []ghostLink) (func() error, error) {
	kind := kindArticle
	if p.Type == "page" || truthy(p.Page) {
		kind = kindPage
		if g.opt.SkipPages {
			g.rep.count(kindPage).Skipped++
			return nil, nil
		}
	} else if p.Type != "" && p.Type != "post" {
		g.rep.warn(n, p.ID, "post type %q is not imported", p.Type)
		g.rep.count("other").Skipped++
		return nil, nil
	}
	var status content.Status
	switch p.Status {
	case "published":
		status = content.StatusPublished
	case "scheduled":
		status = content.StatusScheduled
	case "draft", "":
		status = content.StatusDraft
	case "sent":
		status = content.StatusPublished
		g.rep.warn(n, p.ID, "newsletter-only post imported as published")
	default:
		g.rep.warn(n, p.ID, "status %q imported as a draft", p.Status)
		status = content.StatusDraft
	}
	var published time.Time
	if s := str(p.PublishedAt); s != "" {
		published, _ = ghostTime(s)
	}
	if status == content.StatusScheduled && published.IsZero() {
		status = content.StatusDraft
	}
	title := strings.TrimSpace(p.Title)
	if title == "" {
		title = "Untitled"
		g.rep.warn(n, p.ID, "post has no title; titled %q", title)
	}
	title = truncateUTF8(title, content.MaxTitle)

	var authors []*content.Author
	sortLinks(authorLinks)
	if len(authorLinks) == 0 && p.AuthorID != "" {
		authorLinks = []ghostLink{{AuthorID: p.AuthorID}}
	}
	seenA := map[string]bool{}
	for _, l := range authorLinks {
		u, ok := users[l.AuthorID]
		if !ok {
			g.rep.warn(n, p.ID, "author %s is not in the export", l.AuthorID)
			continue
		}
		if seenA[u.ID] {
			continue
		}
		seenA[u.ID] = true
		au, err := g.user(ctx, u)
		if err != nil {
			return nil, fmt.Errorf("post %d (id %s): author %s: %w", n, p.ID, u.ID, err)
		}
		if au != nil {
			authors = append(authors, au)
		}
	}
	var terms []*content.Term
	sortLinks(tagLinks)
	for _, l := range tagLinks {
		tg, ok := tags[l.TagID]
		if !ok || tg.Visibility == "internal" || strings.HasPrefix(tg.Name, "#") {
			continue // internal tags steer Ghost themes; they are not topics
		}
		t, err := g.tag(ctx, tg)
		if err != nil {
			return nil, fmt.Errorf("post %d (id %s): tag %s: %w", n, p.ID, tg.Slug, err)
		}
		if t != nil {
			terms = append(terms, t)
		}
	}
	if kind == kindPage {
		t, err := g.ensureTerm(ctx, "page", &content.Term{Kind: content.KindTag, Name: "Page", Slug: pageTag})
		if err != nil {
			return nil, err
		}
		if t != nil {
			terms = append(terms, t)
		}
	}
	var img *content.Image
	if fi := str(p.FeatureImage); fi != "" {
		alt := firstNonEmpty(str(pm.FeatureImageAlt), str(p.FeatureImageAlt), title)
		caption := markdown.PlainText(firstNonEmpty(str(pm.FeatureImageCaption), str(p.FeatureImageCaption)))
		m, err := g.ensureMedia(ctx, n, p.ID, "image:"+fi, fi, media.Meta{Alt: truncateUTF8(alt, media.MaxAlt),
			Caption: truncateUTF8(caption, media.MaxCaption)}, "content/images/")
		if err != nil {
			return nil, err
		}
		if m != nil {
			img = g.imageOf(m, alt)
		}
	}
	body := plainHTML(str(p.HTML))
	excerpt := truncateUTF8(markdown.PlainText(str(p.CustomExcerpt)), content.MaxExcerpt)
	srcHash := sourceHash(p.Title, str(p.HTML), p.Slug, p.Status, str(p.PublishedAt), str(p.CustomExcerpt),
		str(p.FeatureImage), fmt.Sprint(truthy(p.Featured)), fmt.Sprint(tagLinks), fmt.Sprint(authorLinks))
	return func() error {
		a, err := g.upsertArticle(ctx, n, p.ID, kind, srcHash, nil, func(a *content.Article) {
			a.Title, a.Slug, a.BodyMarkdown, a.Excerpt = title, safeSlug(p.Slug), body, excerpt
			a.Status, a.PublishedAt, a.Featured = status, published, truthy(p.Featured)
			a.Authors, a.Terms, a.Image = authors, terms, img
		})
		if err != nil || a == nil {
			return err
		}
		// Ghost's permalinks are /{slug}/ by default; keep the old one when
		// Folio had to pick another slug.
		return g.putRedirect(ctx, n, p.ID, "/"+p.Slug+"/", g.urls.Article(a))
	}, nil
}

func sortLinks(ls []ghostLink) {
	for i := 1; i < len(ls); i++ {
		for j := i; j > 0 && ls[j].SortOrder < ls[j-1].SortOrder; j-- {
			ls[j], ls[j-1] = ls[j-1], ls[j]
		}
	}
}

func (g *ghostRun) user(ctx context.Context, u ghostUser) (*content.Author, error) {
	if au, ok := g.users[u.ID]; ok {
		return au, nil
	}
	want := &content.Author{Name: strings.TrimSpace(html.UnescapeString(u.Name)), Slug: safeSlug(u.Slug),
		Email: u.Email, Bio: truncateUTF8(str(u.Bio), 5000)}
	if want.Name == "" {
		want.Name = u.Slug
	}
	if want.Slug == "" {
		want.Slug = content.Slugify(want.Name)
	}
	if w := cleanURL(str(u.Website)); w != "" {
		want.Links = []content.Link{{Label: "Website", URL: w}}
	}
	au, err := g.ensureAuthor(ctx, "user:"+u.ID, want)
	g.users[u.ID] = au
	return au, err
}

func (g *ghostRun) tag(ctx context.Context, t ghostTag) (*content.Term, error) {
	if tm, ok := g.tags[t.ID]; ok {
		return tm, nil
	}
	kind, keep := g.opt.Mapping.KindOf("post_tag", t.Slug)
	if !keep {
		g.tags[t.ID] = nil
		return nil, nil
	}
	tm, err := g.ensureTerm(ctx, "tag:"+t.ID, &content.Term{Kind: kind, Name: truncateUTF8(strings.TrimSpace(t.Name), 200),
		Slug: safeSlug(t.Slug), Description: str(t.Description)})
	g.tags[t.ID] = tm
	return tm, err
}

package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/media"
	"folio/internal/render/markdown"
	"folio/internal/urls"
)

// Ghost's JSON export: {"db":[{"meta":…,"data":{…}}]} from Ghost 1.x to
// 5.x, and {"meta":…,"data":{…}} without the wrapper from Ghost 0.x (and
// in Ghost's documented import format). Ghost 0.x used numeric ids and
// millisecond timestamps; later versions use strings for both.

type ghostExport struct {
	DB []struct {
		Data ghostData `json:"data"`
	} `json:"db"`
	Meta *json.RawMessage `json:"meta"`
	Data *ghostData       `json:"data"`
}

// ghostID is an id written as a string or (Ghost 0.x) a number.
type ghostID string

func (id *ghostID) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*id = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = ghostID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("id %s is neither a string nor a number", b)
	}
	*id = ghostID(n.String())
	return nil
}

// ghostStamp is a time written as an ISO string, a "YYYY-MM-DD hh:mm:ss"
// string, or (Ghost 0.x) milliseconds since 1970 as a number or a string
// of digits.
type ghostStamp struct {
	T   time.Time
	Raw string
}

func (t *ghostStamp) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	} else {
		s = string(b)
	}
	t.Raw = s
	return nil
}

func (t *ghostStamp) parse() error {
	if t.Raw == "" {
		return nil
	}
	v, err := ghostTime(t.Raw)
	t.T = v
	return err
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
	ID                  ghostID    `json:"id"`
	Title               string     `json:"title"`
	Slug                string     `json:"slug"`
	HTML                *string    `json:"html"`
	Mobiledoc           *string    `json:"mobiledoc"`
	Lexical             *string    `json:"lexical"`
	Markdown            *string    `json:"markdown"` // Ghost 0.x
	Image               *string    `json:"image"`    // Ghost 0.x feature image
	Visibility          string     `json:"visibility"`
	FeatureImage        *string    `json:"feature_image"`
	FeatureImageAlt     *string    `json:"feature_image_alt"`
	FeatureImageCaption *string    `json:"feature_image_caption"`
	Featured            any        `json:"featured"` // bool, or 0/1 in old exports
	Page                any        `json:"page"`     // Ghost 1–2: bool or 0/1
	Type                string     `json:"type"`     // Ghost 3+: "post" or "page"
	Status              string     `json:"status"`
	CustomExcerpt       *string    `json:"custom_excerpt"`
	PublishedAt         ghostStamp `json:"published_at"`
	AuthorID            ghostID    `json:"author_id"`
}

type ghostPostMeta struct {
	PostID              ghostID `json:"post_id"`
	FeatureImageAlt     *string `json:"feature_image_alt"`
	FeatureImageCaption *string `json:"feature_image_caption"`
}

type ghostTag struct {
	ID          ghostID `json:"id"`
	Name        string  `json:"name"`
	Slug        string  `json:"slug"`
	Description *string `json:"description"`
	Visibility  string  `json:"visibility"`
}

type ghostUser struct {
	ID           ghostID `json:"id"`
	Name         string  `json:"name"`
	Slug         string  `json:"slug"`
	Email        string  `json:"email"`
	Bio          *string `json:"bio"`
	Website      *string `json:"website"`
	ProfileImage *string `json:"profile_image"`
}

type ghostLink struct {
	PostID    ghostID `json:"post_id"`
	TagID     ghostID `json:"tag_id"`
	AuthorID  ghostID `json:"author_id"`
	SortOrder int     `json:"sort_order"`
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
	var d ghostData
	switch {
	case len(ex.DB) > 0:
		d = ex.DB[0].Data
	case ex.Data != nil && ex.Meta != nil:
		d = *ex.Data
	default:
		return r.rep, &GhostError{Msg: `neither a "db" section nor "meta" and "data": not a Ghost export`}
	}
	// Check every post before writing anything.
	for i := range d.Posts {
		p := &d.Posts[i]
		if p.ID == "" {
			return r.rep, &GhostError{Item: fmt.Sprintf("post %d", i+1), Msg: "has no id"}
		}
		if err := p.PublishedAt.parse(); err != nil {
			return r.rep, &GhostError{Item: fmt.Sprintf("post %d (id %s)", i+1, p.ID), Msg: err.Error()}
		}
	}
	r.mediaID = func(src string) string { return "image:" + src }
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
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	// Ghost 0.x wrote milliseconds since the epoch, as a number or a
	// string of digits.
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil && ms > 0 {
		return time.UnixMilli(ms).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("published_at %q is not a time", s)
}

type ghostRun struct {
	*run
	d     ghostData
	tags  map[string]*content.Term
	users map[string]*content.Author
}

func (g *ghostRun) all(ctx context.Context) error {
	tagByID := map[ghostID]ghostTag{}
	for _, t := range g.d.Tags {
		tagByID[t.ID] = t
	}
	userByID := map[ghostID]ghostUser{}
	for _, u := range g.d.Users {
		userByID[u.ID] = u
	}
	meta := map[ghostID]ghostPostMeta{}
	for _, m := range g.d.PostsMeta {
		meta[m.PostID] = m
	}
	postTags, postAuthors := map[ghostID][]ghostLink{}, map[ghostID][]ghostLink{}
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
func (g *ghostRun) post(ctx context.Context, n int, p ghostPost, pm ghostPostMeta, tags map[ghostID]ghostTag,
	users map[ghostID]ghostUser, tagLinks, authorLinks []ghostLink) (func() error, error) {
	id := string(p.ID)
	kind := kindArticle
	if p.Type == "page" || truthy(p.Page) {
		kind = kindPage
		if g.opt.SkipPages {
			g.rep.count(kindPage).Skipped++
			return nil, nil
		}
	} else if p.Type != "" && p.Type != "post" {
		g.rep.warn(n, id, "post type %q is not imported", p.Type)
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
		g.rep.warn(n, id, "newsletter-only post imported as published")
	default:
		g.rep.warn(n, id, "status %q imported as a draft", p.Status)
		status = content.StatusDraft
	}
	published := p.PublishedAt.T
	if status == content.StatusScheduled && published.IsZero() {
		status = content.StatusDraft
	}
	title, marks := plainTitle(p.Title)
	if len(marks) > 0 {
		g.rep.warn(n, id, "title markup removed: %s", strings.Join(marks, ", "))
	}
	if title == "" {
		title = "Untitled"
		g.rep.warn(n, id, "post has no title; titled %q", title)
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
			g.rep.warn(n, id, "author %s is not in the export", l.AuthorID)
			continue
		}
		if seenA[string(u.ID)] {
			continue
		}
		seenA[string(u.ID)] = true
		au, err := g.user(ctx, u)
		if err != nil {
			return nil, fmt.Errorf("post %d (id %s): author %s: %w", n, id, u.ID, err)
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
			return nil, fmt.Errorf("post %d (id %s): tag %s: %w", n, id, tg.Slug, err)
		}
		if t != nil {
			terms = append(terms, t)
		}
	}
	var img *content.Image
	if fi := firstNonEmpty(str(p.FeatureImage), str(p.Image)); fi != "" {
		alt := firstNonEmpty(str(pm.FeatureImageAlt), str(p.FeatureImageAlt), title)
		caption := markdown.PlainText(firstNonEmpty(str(pm.FeatureImageCaption), str(p.FeatureImageCaption)))
		m, err := g.ensureMedia(ctx, n, id, "image:"+fi, fi, media.Meta{Alt: truncateUTF8(alt, media.MaxAlt),
			Caption: truncateUTF8(caption, media.MaxCaption)}, ghostImages(fi), "featured image")
		if err != nil {
			return nil, err
		}
		if m != nil {
			img = g.imageOf(m, alt)
		}
	}
	source, dropped, err := ghostBody(p)
	if err != nil {
		g.rep.warn(n, id, "%v; body imported empty", err)
	}
	for _, d := range dropped {
		g.rep.warn(n, id, "%s", d)
	}
	body := plainHTML(strings.ReplaceAll(source, "__GHOST_URL__", ""))
	if b, changed, err := g.bodyMedia(ctx, n, id, body, "content/images/", nil); err != nil {
		return nil, err
	} else if changed {
		body = b
	}
	excerpt := truncateUTF8(markdown.PlainText(str(p.CustomExcerpt)), content.MaxExcerpt)
	access := content.AccessPublic
	switch v := p.Visibility; {
	case v == "" || v == "public":
	case v == "members":
		// Ghost showed the full text to signed-in members: so does Folio,
		// and everyone else gets the lede and a call to join.
		access = content.AccessMembers
		g.rep.withhold(n, id, title, "visibility members: imported members-only")
	case v == "paid" || v == "tiers":
		access = content.AccessPaid
		g.rep.withhold(n, id, title, "visibility "+v+": imported for paying members")
	case status != content.StatusDraft:
		// A visibility Folio does not know must not become public.
		g.rep.warn(n, id, "visibility %q: imported as a draft", v)
		status = content.StatusDraft
		g.rep.withhold(n, id, title, "visibility "+v)
	}
	srcHash := sourceHash(p.Title, str(p.HTML), str(p.Mobiledoc), str(p.Lexical), str(p.Markdown), p.Slug, p.Status,
		p.Visibility, p.PublishedAt.Raw, str(p.CustomExcerpt), str(p.FeatureImage), str(p.Image),
		fmt.Sprint(truthy(p.Featured)), fmt.Sprint(tagLinks), fmt.Sprint(authorLinks))
	return func() error {
		a, err := g.upsertArticle(ctx, n, id, kind, srcHash, nil, func(a *content.Article) {
			a.Title, a.Slug, a.BodyMarkdown, a.Excerpt = title, safeSlug(p.Slug), body, excerpt
			a.Status, a.PublishedAt, a.Featured, a.Access = status, published, truthy(p.Featured), access
			a.Authors, a.Terms, a.Image = authors, terms, img
			if kind == kindPage {
				a.Type = content.TypePage
			}
		})
		if err != nil || a == nil {
			return err
		}
		// Ghost's permalinks are /{slug}/ by default; keep the old one when
		// Folio had to pick another slug. A draft's old address stays a 404.
		from, to := urls.OldPath("/"+p.Slug+"/"), g.urls.Article(a)
		if a.Status != content.StatusPublished {
			return g.dropRedirect(ctx, from, to)
		}
		return g.putRedirect(ctx, n, id, from, to)
	}, nil
}

func sortLinks(ls []ghostLink) {
	for i := 1; i < len(ls); i++ {
		for j := i; j > 0 && ls[j].SortOrder < ls[j-1].SortOrder; j-- {
			ls[j], ls[j-1] = ls[j-1], ls[j]
		}
	}
}

// ghostBody is a post's body as HTML: the html Ghost rendered when the
// export has it, else the post rendered from lexical, mobiledoc or (Ghost
// 0.x) markdown source. dropped names the cards that could not be kept.
func ghostBody(p ghostPost) (string, []string, error) {
	if h := str(p.HTML); strings.TrimSpace(h) != "" {
		return h, nil, nil
	}
	if lx := str(p.Lexical); strings.TrimSpace(lx) != "" {
		return lexicalHTML(lx)
	}
	if md := str(p.Mobiledoc); strings.TrimSpace(md) != "" {
		return mobiledocHTML(md)
	}
	if md := str(p.Markdown); strings.TrimSpace(md) != "" {
		h, err := markdown.ToHTML(md)
		return h, nil, err
	}
	return "", nil, nil
}

// ghostImages is the marker before an image's path below Ghost's images
// directory: "content/images/" since 1.0, "/images/" in 0.x's relative
// addresses.
func ghostImages(u string) string {
	if strings.Contains(u, "content/images/") || !strings.HasPrefix(u, "/images/") {
		return "content/images/"
	}
	return "/images/"
}

func (g *ghostRun) user(ctx context.Context, u ghostUser) (*content.Author, error) {
	if au, ok := g.users[string(u.ID)]; ok {
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
	au, err := g.ensureAuthor(ctx, "user:"+string(u.ID), want)
	g.users[string(u.ID)] = au
	return au, err
}

func (g *ghostRun) tag(ctx context.Context, t ghostTag) (*content.Term, error) {
	if tm, ok := g.tags[string(t.ID)]; ok {
		return tm, nil
	}
	kind, keep := g.opt.Mapping.KindOf("post_tag", t.Slug)
	if !keep {
		g.tags[string(t.ID)] = nil
		return nil, nil
	}
	tm, err := g.ensureTerm(ctx, "tag:"+string(t.ID), &content.Term{Kind: kind, Name: truncateUTF8(strings.TrimSpace(t.Name), 200),
		Slug: safeSlug(t.Slug), Description: str(t.Description)})
	g.tags[string(t.ID)] = tm
	return tm, err
}

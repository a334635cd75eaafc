package importer

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/media"
	"folio/internal/render/markdown"
	"folio/internal/store"
)

// WordPress eXtended RSS (WXR 1.0–1.2). Element names are matched by local
// name, since the wp: namespace URI carries the WXR version; the one clash,
// content:encoded against excerpt:encoded, is told apart by namespace.

type wxrText struct {
	XMLName xml.Name
	Value   string `xml:",chardata"`
}

type wxrTermRef struct {
	Domain   string `xml:"domain,attr"`
	Nicename string `xml:"nicename,attr"`
	Name     string `xml:",chardata"`
}

type wxrMeta struct {
	Key   string `xml:"meta_key"`
	Value string `xml:"meta_value"`
}

type wxrComment struct {
	ID          string `xml:"comment_id"`
	Author      string `xml:"comment_author"`
	AuthorEmail string `xml:"comment_author_email"`
	AuthorURL   string `xml:"comment_author_url"`
	Date        string `xml:"comment_date"`
	DateGMT     string `xml:"comment_date_gmt"`
	Content     string `xml:"comment_content"`
	Approved    string `xml:"comment_approved"`
	Type        string `xml:"comment_type"`
	Parent      string `xml:"comment_parent"`
}

type wxrItem struct {
	Title         string       `xml:"title"`
	Link          string       `xml:"link"`
	Creator       string       `xml:"creator"`
	Encoded       []wxrText    `xml:"encoded"`
	PostID        string       `xml:"post_id"`
	PostDate      string       `xml:"post_date"`
	PostDateGMT   string       `xml:"post_date_gmt"`
	PostName      string       `xml:"post_name"`
	Status        string       `xml:"status"`
	PostParent    string       `xml:"post_parent"`
	PostType      string       `xml:"post_type"`
	IsSticky      string       `xml:"is_sticky"`
	AttachmentURL string       `xml:"attachment_url"`
	Terms         []wxrTermRef `xml:"category"`
	Meta          []wxrMeta    `xml:"postmeta"`
	Comments      []wxrComment `xml:"comment"`
}

func (it *wxrItem) encoded(excerpt bool) string {
	for _, e := range it.Encoded {
		if strings.Contains(e.XMLName.Space, "excerpt") == excerpt {
			return e.Value
		}
	}
	return ""
}

func (it *wxrItem) meta(key string) string {
	for _, m := range it.Meta {
		if m.Key == key {
			return m.Value
		}
	}
	return ""
}

type wxrAuthor struct {
	Login       string `xml:"author_login"`
	Email       string `xml:"author_email"`
	DisplayName string `xml:"author_display_name"`
	FirstName   string `xml:"author_first_name"`
	LastName    string `xml:"author_last_name"`
}

type wxrCategory struct {
	Nicename    string `xml:"category_nicename"`
	Name        string `xml:"cat_name"`
	Description string `xml:"category_description"`
}

type wxrTag struct {
	Slug        string `xml:"tag_slug"`
	Name        string `xml:"tag_name"`
	Description string `xml:"tag_description"`
}

type wxrTerm struct {
	Taxonomy    string `xml:"term_taxonomy"`
	Slug        string `xml:"term_slug"`
	Name        string `xml:"term_name"`
	Description string `xml:"term_description"`
}

// attachment is what the first pass keeps of a WordPress attachment: enough
// to import it later as a post's featured image.
type attachment struct {
	url, title, caption, credit, alt string
}

type termInfo struct{ name, description string }

// wxrIndex is what the first pass learns about the whole export.
type wxrIndex struct {
	items       int
	posts       int // items that become articles
	authors     map[string]wxrAuthor
	terms       map[string]termInfo // "category:slug", "post_tag:slug"
	attachments map[string]attachment
	zone        *time.Location // the blog's zone, inferred from post_date - post_date_gmt
}

// WordPressError is a problem with the export file that stops an import.
type WordPressError struct {
	Line int // 1-based line in the file, 0 when unknown
	Item int // 1-based item number, 0 outside items
	Msg  string
}

func (e *WordPressError) Error() string {
	var where []string
	if e.Line > 0 {
		where = append(where, fmt.Sprintf("line %d", e.Line))
	}
	if e.Item > 0 {
		where = append(where, fmt.Sprintf("item %d", e.Item))
	}
	if len(where) == 0 {
		return "wordpress export: " + e.Msg
	}
	return "wordpress export: " + strings.Join(where, ", ") + ": " + e.Msg
}

// walkWXR streams the export: channel-level authors and terms go to
// onChannel, every <item> to onItem with its number and starting line.
// Only one item is in memory at a time.
func walkWXR(r io.Reader, onChannel func(v any), onItem func(n, line int, it *wxrItem) error) error {
	dec := xml.NewDecoder(r)
	// Exports hold HTML entities outside CDATA now and then.
	dec.Entity = xml.HTMLEntity
	n := 0
	sawRSS := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return wxrSyntax(dec, err, n)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		line, _ := dec.InputPos()
		var v any
		switch se.Name.Local {
		case "rss":
			sawRSS = true
			continue
		case "item":
			n++
			var it wxrItem
			if err := dec.DecodeElement(&it, &se); err != nil {
				return wxrSyntax(dec, err, n)
			}
			if err := onItem(n, line, &it); err != nil {
				return err
			}
			continue
		case "author":
			if !strings.Contains(se.Name.Space, "wordpress.org") {
				continue
			}
			v = &wxrAuthor{}
		case "category":
			v = &wxrCategory{}
		case "tag":
			v = &wxrTag{}
		case "term":
			v = &wxrTerm{}
		default:
			continue
		}
		if err := dec.DecodeElement(v, &se); err != nil {
			return wxrSyntax(dec, err, n)
		}
		if onChannel != nil {
			onChannel(v)
		}
	}
	if !sawRSS {
		return &WordPressError{Msg: "not a WordPress export: no <rss> element"}
	}
	return nil
}

func wxrSyntax(dec *xml.Decoder, err error, item int) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &WordPressError{Line: se.Line, Msg: se.Msg}
	}
	line, _ := dec.InputPos()
	return &WordPressError{Line: line, Item: item, Msg: err.Error()}
}

// wpTime parses WordPress's "2006-01-02 15:04:05"; ok is false for the
// "0000-00-00 00:00:00" of unset dates.
func wpTime(s string, loc *time.Location) (time.Time, bool, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "0000-00-00") {
		return time.Time{}, false, nil
	}
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, loc)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("date %q is not YYYY-MM-DD HH:MM:SS", s)
	}
	return t, true, nil
}

// articleTypes are the post types that become articles; ignoredTypes are
// WordPress's own bookkeeping, left out silently.
var ignoredTypes = map[string]bool{
	"attachment": true, "revision": true, "nav_menu_item": true, "customize_changeset": true,
	"oembed_cache": true, "custom_css": true, "user_request": true, "wp_block": true,
	"wp_template": true, "wp_template_part": true, "wp_global_styles": true, "wp_navigation": true,
	"wp_font_family": true, "wp_font_face": true,
}

// index is the first pass: it reads the whole export, checks every item
// and collects what the second pass needs to look ahead for (authors,
// term names, attachments, the time zone).
func index(r io.Reader) (*wxrIndex, error) {
	ix := &wxrIndex{authors: map[string]wxrAuthor{}, terms: map[string]termInfo{}, attachments: map[string]attachment{}}
	onChannel := func(v any) {
		switch v := v.(type) {
		case *wxrAuthor:
			ix.authors[v.Login] = *v
		case *wxrCategory:
			ix.terms["category:"+decodeSlug(v.Nicename)] = termInfo{v.Name, v.Description}
		case *wxrTag:
			ix.terms["post_tag:"+decodeSlug(v.Slug)] = termInfo{v.Name, v.Description}
		case *wxrTerm:
			if v.Taxonomy == "category" || v.Taxonomy == "post_tag" {
				ix.terms[v.Taxonomy+":"+decodeSlug(v.Slug)] = termInfo{v.Name, v.Description}
			}
		}
	}
	err := walkWXR(r, onChannel, func(n, line int, it *wxrItem) error {
		ix.items++
		bad := func(format string, args ...any) error {
			return &WordPressError{Line: line, Item: n, Msg: fmt.Sprintf(format, args...)}
		}
		if _, err := strconv.ParseInt(strings.TrimSpace(it.PostID), 10, 64); err != nil {
			return bad("wp:post_id %q is not a number", it.PostID)
		}
		if _, _, err := wpTime(it.PostDate, time.UTC); err != nil {
			return bad("wp:post_date: %v", err)
		}
		gmt, okG, err := wpTime(it.PostDateGMT, time.UTC)
		if err != nil {
			return bad("wp:post_date_gmt: %v", err)
		}
		for _, f := range []string{it.Title, it.encoded(false), it.encoded(true)} {
			if !utf8.ValidString(f) {
				return bad("text is not valid UTF-8")
			}
		}
		if ix.zone == nil && okG {
			if local, okL, _ := wpTime(it.PostDate, time.UTC); okL {
				off := local.Sub(gmt).Round(15 * time.Minute)
				if off > -15*time.Hour && off < 15*time.Hour {
					ix.zone = time.FixedZone(fmt.Sprintf("UTC%+.2g", off.Hours()), int(off.Seconds()))
				}
			}
		}
		switch it.PostType {
		case "attachment":
			ix.attachments[strings.TrimSpace(it.PostID)] = attachment{
				url: strings.TrimSpace(it.AttachmentURL), title: it.Title,
				caption: markdown.PlainText(it.encoded(true)), credit: it.meta("credit"),
				alt: it.meta("_wp_attachment_image_alt"),
			}
		case "post", "page":
			ix.posts++
		}
		return nil
	})
	return ix, err
}

// ImportWordPress imports a WXR export. src is read twice: once to check
// it all and learn what posts refer to, once to import.
func ImportWordPress(ctx context.Context, src io.ReadSeeker, opt Options) (*Report, error) {
	r, err := newRun(ctx, "wordpress", opt)
	if err != nil {
		return nil, err
	}
	return importWordPress(ctx, src, r)
}

func importWordPress(ctx context.Context, src io.ReadSeeker, r *run) (*Report, error) {
	opt := r.opt
	ix, err := index(src)
	if err != nil {
		return r.rep, err
	}
	if ix.zone == nil {
		r.rep.warn(0, "", "time zone not found in the export (no post has both post_date and post_date_gmt); dates without GMT are read as UTC")
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return r.rep, fmt.Errorf("importer: rewind export: %w", err)
	}
	w := &wpRun{run: r, ix: ix, terms: map[string]*content.Term{}, authors: map[string]*content.Author{}, media: map[string]*content.Media{}}
	if opt.Progress != nil {
		opt.Progress.Start(ix.items, "importing")
		defer opt.Progress.Done()
	}
	return r.finish(w.pipeline(ctx, src))
}

// wpBatch is how many items share one write transaction: large enough that
// the commit is noise, small enough that the undo steps of a batch and
// the items waiting for it stay a few megabytes whatever the export's size.
const wpBatch = 256

// wpJob is one item on its way through the pipeline: decoded by the
// parser, made ready by a renderer, written by the writer, in file order.
type wpJob struct {
	n    int
	it   *wxrItem
	prep wpPrepared
	done chan struct{}
}

// wpPrepared is what an item turns into without looking at the store:
// the CPU-heavy part of an import, done on every core.
type wpPrepared struct {
	body     string
	dropped  []string
	excerpt  string
	srcHash  string
	rendered *editorial.RenderedBody
	comments []string // sanitized comment bodies, by index in it.Comments
}

func prepareWP(it *wxrItem) wpPrepared {
	if it.PostType != "post" && it.PostType != "page" {
		return wpPrepared{}
	}
	var p wpPrepared
	p.body, p.dropped = cleanWordPress(it.encoded(false))
	p.excerpt = truncateUTF8(markdown.PlainText(it.encoded(true)), content.MaxExcerpt)
	p.srcHash = sourceHash(it.Title, it.encoded(false), it.encoded(true), it.PostName, it.Status,
		it.PostDateGMT, it.PostDate, it.IsSticky, it.Creator, fmt.Sprint(it.Terms), it.meta("_thumbnail_id"))
	p.rendered = editorial.RenderBody(p.body)
	p.comments = make([]string, len(it.Comments))
	for i, wc := range it.Comments {
		p.comments[i] = markdown.Sanitize(autop(wc.Content))
	}
	return p
}

// pipeline is the second pass: one goroutine parses, GOMAXPROCS goroutines
// clean, render and sanitize, and this one writes, in file order, up to
// wpBatch articles per transaction. The channels bound what is in flight,
// so memory stays flat on any export size.
func (w *wpRun) pipeline(parent context.Context, src io.Reader) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	workers := max(1, runtime.GOMAXPROCS(0))
	work := make(chan *wpJob, 4*workers)
	order := make(chan *wpJob, wpBatch)
	var parseErr error
	var wg sync.WaitGroup
	wg.Add(1 + workers)
	go func() {
		defer wg.Done()
		defer close(work)
		defer close(order)
		parseErr = walkWXR(src, nil, func(n, line int, it *wxrItem) error {
			j := &wpJob{n: n, it: it, done: make(chan struct{})}
			select {
			case order <- j:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case work <- j:
			case <-ctx.Done():
				return ctx.Err()
			}
			return nil
		})
	}()
	for range workers {
		go func() {
			defer wg.Done()
			for j := range work {
				j.prep = prepareWP(j.it)
				close(j.done)
			}
		}()
	}
	err := w.write(ctx, order)
	cancel()
	for range order { // let the parser see the cancellation and stop
	}
	wg.Wait()
	if err != nil {
		return err
	}
	if parseErr != nil && !errors.Is(parseErr, context.Canceled) {
		return parseErr
	}
	return parent.Err()
}

// write takes the jobs in file order and writes them in batches.
func (w *wpRun) write(ctx context.Context, order <-chan *wpJob) error {
	var batch []*wpStaged
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := w.inOneBatch(ctx, func() error {
			for _, st := range batch {
				if err := w.writeItem(ctx, st); err != nil {
					return err
				}
			}
			return nil
		})
		if w.opt.Progress != nil {
			w.opt.Progress.Add(len(batch))
		}
		clear(batch)
		batch = batch[:0]
		return err
	}
	for j := range order {
		if err := ctx.Err(); err != nil {
			return err
		}
		select {
		case <-j.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if w.opt.DryRun {
			if err := w.item(ctx, j.n, j.it, &j.prep); err != nil {
				return err
			}
			if w.opt.Progress != nil {
				w.opt.Progress.Add(1)
			}
			continue
		}
		// Staging may create authors, terms and images, each in its own
		// transaction: no batch is open here, and the staged items
		// waiting for the next one do not refer to them.
		st, err := w.stage(ctx, j.n, j.it, &j.prep)
		if err != nil {
			return err
		}
		if st == nil {
			if w.opt.Progress != nil {
				w.opt.Progress.Add(1)
			}
			continue
		}
		batch = append(batch, st)
		if len(batch) >= w.opt.batchSize() {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

type wpRun struct {
	*run
	ix      *wxrIndex
	terms   map[string]*content.Term // by "taxonomy:slug"; nil value = left out
	authors map[string]*content.Author
	media   map[string]*content.Media
}

func (w *wpRun) zone() *time.Location {
	if w.ix.zone != nil {
		return w.ix.zone
	}
	return time.UTC
}

// item stages and writes one item straight away (dry runs, stores
// without batches).
func (w *wpRun) item(ctx context.Context, n int, it *wxrItem, p *wpPrepared) error {
	st, err := w.stage(ctx, n, it, p)
	if err != nil || st == nil {
		return err
	}
	return w.writeItem(ctx, st)
}

// wpStaged is an item that becomes an article, with its relations resolved.
type wpStaged struct {
	n         int
	id, kind  string
	it        *wxrItem
	p         *wpPrepared
	title     string
	status    content.Status
	published time.Time
	authors   []*content.Author
	terms     []*content.Term
	image     *content.Image
}

// stage checks an item and resolves its authors, terms and featured image
// (creating those that are new); nil when the item is not imported.
func (w *wpRun) stage(ctx context.Context, n int, it *wxrItem, p *wpPrepared) (*wpStaged, error) {
	id := strings.TrimSpace(it.PostID)
	kind := kindArticle
	switch {
	case it.PostType == "post":
	case it.PostType == "page":
		kind = kindPage
		if w.opt.SkipPages {
			w.rep.count(kindPage).Skipped++
			return nil, nil
		}
	case ignoredTypes[it.PostType]:
		return nil, nil
	default:
		w.rep.warn(n, id, "post type %q is not imported", it.PostType)
		w.rep.count("other").Skipped++
		return nil, nil
	}
	var status content.Status
	switch it.Status {
	case "publish":
		status = content.StatusPublished
	case "future":
		status = content.StatusScheduled
	case "draft":
		status = content.StatusDraft
	case "pending":
		status = content.StatusReview
	case "private":
		status = content.StatusDraft
		w.rep.warn(n, id, "private post imported as a draft")
	default: // trash, auto-draft, inherit
		w.rep.count(kind).Skipped++
		return nil, nil
	}
	published, err := w.date(n, id, it)
	if err != nil {
		return nil, err
	}
	if status == content.StatusScheduled && published.IsZero() {
		w.rep.warn(n, id, "scheduled post without a date imported as a draft")
		status = content.StatusDraft
	}
	title := strings.TrimSpace(html.UnescapeString(it.Title))
	if title == "" {
		title = "Untitled"
		w.rep.warn(n, id, "post has no title; titled %q", title)
	}
	if len(title) > content.MaxTitle {
		title = truncateUTF8(title, content.MaxTitle)
		w.rep.warn(n, id, "title cut to %d bytes", content.MaxTitle)
	}
	for _, d := range p.dropped {
		w.rep.warn(n, id, "shortcode [%s] has no equivalent and was removed", d)
	}
	authors, terms, image, err := w.relations(ctx, n, id, it, kind)
	if err != nil {
		return nil, err
	}
	return &wpStaged{n: n, id: id, kind: kind, it: it, p: p, title: title, status: status, published: published,
		authors: authors, terms: terms, image: image}, nil
}

// writeItem writes a staged item's article, old addresses and comments
// through w.cur.
func (w *wpRun) writeItem(ctx context.Context, st *wpStaged) error {
	n, id, kind, it, p := st.n, st.id, st.kind, st.it, st.p
	a, err := w.upsertArticle(ctx, n, id, kind, p.srcHash, p.rendered, func(a *content.Article) {
		a.Title, a.Slug, a.BodyMarkdown, a.Excerpt = st.title, safeSlug(decodeSlug(it.PostName)), p.body, p.excerpt
		a.Status, a.PublishedAt, a.Featured = st.status, st.published, strings.TrimSpace(it.IsSticky) == "1"
		a.Authors, a.Terms, a.Image = st.authors, st.terms, st.image
	})
	if err != nil || a == nil || w.opt.DryRun {
		if a != nil && w.opt.DryRun {
			w.rep.count(kindComment).Created += len(it.Comments)
		}
		return err
	}
	to := w.urls.Article(a)
	if u, err := url.Parse(strings.TrimSpace(it.Link)); err == nil && it.Link != "" {
		from := u.EscapedPath()
		if p := u.Query().Get("p"); p != "" || u.Query().Get("page_id") != "" {
			from = "" // a plain-permalink site: the ?p= form below covers it
		}
		if from != "" && from != "/" {
			if err := w.putRedirect(ctx, n, id, from, to); err != nil {
				return err
			}
		}
	}
	param := "p"
	if kind == kindPage {
		param = "page_id"
	}
	if err := w.putRedirect(ctx, n, id, "/?"+param+"="+id, to); err != nil {
		return err
	}
	return w.comments(ctx, n, id, a, it.Comments, p.comments)
}

// date picks the publish time: post_date_gmt when set, else post_date in
// the blog's zone (inferred), else nothing for unpublished drafts.
func (w *wpRun) date(n int, id string, it *wxrItem) (time.Time, error) {
	if t, ok, err := wpTime(it.PostDateGMT, time.UTC); err != nil || ok {
		return t, err
	}
	if it.Status == "draft" || it.Status == "pending" || it.Status == "auto-draft" {
		return time.Time{}, nil
	}
	t, ok, err := wpTime(it.PostDate, w.zone())
	if ok && w.ix.zone == nil {
		w.rep.warn(n, id, "no post_date_gmt; post_date read as UTC")
	}
	return t.UTC(), err
}

func (w *wpRun) relations(ctx context.Context, n int, id string, it *wxrItem, kind string) ([]*content.Author, []*content.Term, *content.Image, error) {
	var authors []*content.Author
	if login := strings.TrimSpace(it.Creator); login != "" {
		au, err := w.author(ctx, n, id, login)
		if err != nil {
			return nil, nil, nil, err
		}
		if au != nil {
			authors = append(authors, au)
		}
	} else {
		w.rep.warn(n, id, "post has no author")
	}
	var terms []*content.Term
	seen := map[int64]bool{}
	add := func(t *content.Term) {
		if t != nil && (t.ID == 0 || !seen[t.ID]) {
			seen[t.ID] = true
			terms = append(terms, t)
		}
	}
	for _, ref := range it.Terms {
		if ref.Domain != "category" && ref.Domain != "post_tag" {
			continue
		}
		t, err := w.term(ctx, ref.Domain, decodeSlug(ref.Nicename), ref.Name)
		if err != nil {
			return nil, nil, nil, err
		}
		add(t)
	}
	if kind == kindPage {
		t, err := w.term(ctx, "folio_page", pageTag, "Page")
		if err != nil {
			return nil, nil, nil, err
		}
		add(t)
	}
	var img *content.Image
	if thumb := strings.TrimSpace(it.meta("_thumbnail_id")); thumb != "" {
		var err error
		if img, err = w.featured(ctx, n, id, thumb, it.Title); err != nil {
			return nil, nil, nil, err
		}
	}
	return authors, terms, img, nil
}

func (w *wpRun) author(ctx context.Context, n int, id, login string) (*content.Author, error) {
	if au, ok := w.authors[login]; ok {
		return au, nil
	}
	info, known := w.ix.authors[login]
	if !known && len(w.ix.authors) > 0 {
		w.rep.warn(n, id, "author %q is not in the export; imported without a byline", login)
		w.authors[login] = nil
		return nil, nil
	}
	name := strings.TrimSpace(html.UnescapeString(info.DisplayName))
	if name == "" {
		name = strings.TrimSpace(info.FirstName + " " + info.LastName)
	}
	if name == "" {
		name = login
	}
	au, err := w.ensureAuthor(ctx, login, &content.Author{Name: name, Slug: content.Slugify(login), Email: strings.TrimSpace(info.Email)})
	if err != nil {
		return nil, fmt.Errorf("item %d: author %q: %w", n, login, err)
	}
	w.authors[login] = au
	return au, nil
}

// ensureAuthor returns the author an earlier run created for sourceID, the
// Folio author with the same slug, or a new one.
func (r *run) ensureAuthor(ctx context.Context, sourceID string, want *content.Author) (*content.Author, error) {
	rec, err := r.findRecord(ctx, sourceID, kindAuthor)
	if err != nil {
		return nil, err
	}
	if rec != nil {
		if au, err := r.opt.Store.FindAuthorByID(ctx, rec.EntityID); err == nil {
			r.rep.count(kindAuthor).Unchanged++
			return au, nil
		} else if content.ErrorCode(err) != content.ENOTFOUND {
			return nil, err
		}
	}
	if au, err := r.opt.Store.FindAuthorBySlug(ctx, want.Slug); err == nil {
		r.rep.count(kindAuthor).Unchanged++
		return au, nil
	} else if content.ErrorCode(err) != content.ENOTFOUND {
		return nil, err
	}
	if want.Email != "" && want.Validate() != nil {
		want.Email = "" // an address WordPress accepted but Folio does not is not worth failing for
	}
	r.rep.count(kindAuthor).Created++
	if r.opt.DryRun {
		return &content.Author{Name: want.Name, Slug: want.Slug}, nil
	}
	if err := r.ed.CreateAuthor(ctx, want); err != nil {
		return nil, err
	}
	id := want.ID
	if err := r.did(undoStep{Op: undoAuthor, ID: id}); err != nil {
		return nil, err
	}
	return want, r.putRecord(ctx, &store.ImportRecord{Kind: r.source, SourceID: sourceID, EntityKind: kindAuthor, EntityID: id}, rec)
}

func (w *wpRun) term(ctx context.Context, taxonomy, slug, name string) (*content.Term, error) {
	key := taxonomy + ":" + slug
	if t, ok := w.terms[key]; ok {
		return t, nil
	}
	kind := content.KindTag
	if taxonomy != "folio_page" {
		k, keep := w.opt.Mapping.KindOf(taxonomy, slug)
		if !keep {
			w.terms[key] = nil
			return nil, nil
		}
		kind = k
	}
	info := w.ix.terms[key]
	if info.name == "" {
		info.name = name
	}
	info.name = strings.TrimSpace(html.UnescapeString(info.name))
	if info.name == "" {
		info.name = slug
	}
	t, err := w.ensureTerm(ctx, key, &content.Term{Kind: kind, Name: info.name, Slug: safeSlug(slug),
		Description: markdown.PlainText(info.description)})
	if err != nil {
		return nil, fmt.Errorf("term %q: %w", key, err)
	}
	w.terms[key] = t
	return t, nil
}

// ensureTerm is ensureAuthor for terms: same record, same kind and slug, or new.
func (r *run) ensureTerm(ctx context.Context, sourceID string, want *content.Term) (*content.Term, error) {
	if want.Slug == "" {
		want.Slug = content.Slugify(want.Name)
	}
	rec, err := r.findRecord(ctx, sourceID, kindTerm)
	if err != nil {
		return nil, err
	}
	if rec != nil {
		if t, err := r.opt.Store.FindTermByID(ctx, rec.EntityID); err == nil {
			r.rep.count(kindTerm).Unchanged++
			return t, nil
		} else if content.ErrorCode(err) != content.ENOTFOUND {
			return nil, err
		}
	}
	if t, err := r.opt.Store.FindTermBySlug(ctx, want.Kind, want.Slug); err == nil {
		r.rep.count(kindTerm).Unchanged++
		return t, nil
	} else if content.ErrorCode(err) != content.ENOTFOUND {
		return nil, err
	}
	r.rep.count(kindTerm).Created++
	if r.opt.DryRun {
		return nil, nil
	}
	if len(want.Name) > 200 {
		want.Name = truncateUTF8(want.Name, 200)
	}
	want.Description = truncateUTF8(want.Description, 5000)
	if err := r.ed.CreateTerm(ctx, want); err != nil {
		return nil, err
	}
	id := want.ID
	if err := r.did(undoStep{Op: undoTerm, ID: id}); err != nil {
		return nil, err
	}
	return want, r.putRecord(ctx, &store.ImportRecord{Kind: r.source, SourceID: sourceID, EntityKind: kindTerm, EntityID: id}, rec)
}

// featured imports attachment thumb as a featured image, once per run.
func (w *wpRun) featured(ctx context.Context, n int, id, thumb, title string) (*content.Image, error) {
	att, ok := w.ix.attachments[thumb]
	if !ok {
		w.rep.warn(n, id, "featured image %s is not in the export", thumb)
		return nil, nil
	}
	m, ok := w.media[thumb]
	if ok {
		// Found or saved earlier in this run: what ensureMedia would say.
		w.rep.count(kindMedia).Unchanged++
	} else {
		var err error
		m, err = w.ensureMedia(ctx, n, id, thumb, att.url, media.Meta{
			Alt: truncateUTF8(firstNonEmpty(att.alt, att.title, title), media.MaxAlt), Caption: truncateUTF8(att.caption, media.MaxCaption),
			Credit: truncateUTF8(att.credit, media.MaxCredit)}, "wp-content/uploads/")
		if err != nil || m == nil {
			return nil, err
		}
		w.media[thumb] = m
	}
	return w.imageOf(m, firstNonEmpty(att.alt, att.title, title)), nil
}

func (r *run) imageOf(m *content.Media, alt string) *content.Image {
	if strings.TrimSpace(m.Alt) != "" {
		alt = m.Alt
	}
	if strings.TrimSpace(alt) == "" {
		alt = m.Filename
	}
	return &content.Image{MediaID: m.ID, URL: r.urls.Media(m.Path), Alt: alt, Caption: m.Caption,
		Credit: m.Credit, CreditURL: m.CreditURL, Width: m.Width, Height: m.Height}
}

// ensureMedia returns the media an earlier run imported for sourceID, or
// saves the file the URL names from the uploads directory. A file that is
// not there is a warning: the article is imported without its image.
func (r *run) ensureMedia(ctx context.Context, n int, id, sourceID, fileURL string, meta media.Meta, marker string) (*content.Media, error) {
	rec, err := r.findRecord(ctx, sourceID, kindMedia)
	if err != nil {
		return nil, err
	}
	if rec != nil {
		if m, err := r.opt.Store.FindMediaByID(ctx, rec.EntityID); err == nil {
			r.rep.count(kindMedia).Unchanged++
			return m, nil
		} else if content.ErrorCode(err) != content.ENOTFOUND {
			return nil, err
		}
	}
	if r.opt.Uploads == "" {
		r.rep.warn(n, id, "featured image %s not imported: no uploads directory given", fileURL)
		return nil, nil
	}
	rel := uploadsPath(fileURL, marker)
	if rel == "" {
		r.rep.warn(n, id, "featured image URL %q has no %s path", fileURL, marker)
		return nil, nil
	}
	f, err := os.Open(filepath.Join(r.opt.Uploads, filepath.FromSlash(rel)))
	if err != nil {
		r.rep.warn(n, id, "featured image file %s is missing from the uploads directory", rel)
		r.rep.count(kindMedia).Skipped++
		return nil, nil
	}
	defer f.Close()
	if r.opt.DryRun {
		r.rep.count(kindMedia).Created++
		return nil, nil
	}
	if r.opt.Media == nil {
		return nil, errors.New("importer: no media library to store images in")
	}
	m, err := r.ed.SaveMedia(ctx, r.opt.Media, path.Base(rel), f, meta)
	if err != nil {
		if code := content.ErrorCode(err); code == content.EINVALID || code == content.ETOOLARGE {
			r.rep.warn(n, id, "featured image %s not imported: %s", rel, content.ErrorMessage(err))
			r.rep.count(kindMedia).Skipped++
			return nil, nil
		}
		return nil, err
	}
	r.rep.count(kindMedia).Created++
	mid := m.ID
	if err := r.did(undoStep{Op: undoMedia, ID: mid}); err != nil {
		return nil, err
	}
	return m, r.putRecord(ctx, &store.ImportRecord{Kind: r.source, SourceID: sourceID, EntityKind: kindMedia, EntityID: mid}, rec)
}

// uploadsPath returns the part of an upload URL after marker
// ("wp-content/uploads/"), percent-decoded and checked not to climb out.
func uploadsPath(u, marker string) string {
	p := u
	if pu, err := url.Parse(u); err == nil {
		p = pu.Path
	}
	i := strings.Index(p, marker)
	if i < 0 {
		return ""
	}
	rel := path.Clean(p[i+len(marker):])
	if rel == "." || strings.HasPrefix(rel, "../") || strings.HasPrefix(rel, "/") {
		return ""
	}
	return rel
}

func (w *wpRun) comments(ctx context.Context, n int, id string, a *content.Article, cs []wxrComment, bodies []string) error {
	if len(cs) == 0 {
		return nil
	}
	existing, err := w.cur.Reads().FindArticleComments(ctx, a.ID)
	if err != nil {
		return err
	}
	before := map[string]*store.Comment{}
	for _, c := range existing {
		before[c.SourceID] = c
	}
	ids := map[string]int64{}
	for i, wc := range cs {
		var status string
		switch strings.TrimSpace(wc.Approved) {
		case "1", "approve":
			status = store.CommentApproved
		case "0", "hold":
			status = store.CommentPending
		default: // spam, trash
			w.rep.count(kindComment).Skipped++
			continue
		}
		if wc.Type == "pingback" || wc.Type == "trackback" {
			w.rep.count(kindComment).Skipped++
			continue
		}
		at, ok, _ := wpTime(wc.DateGMT, time.UTC)
		if !ok {
			at, _, _ = wpTime(wc.Date, w.zone())
		}
		c := &store.Comment{ArticleID: a.ID, ParentID: ids[strings.TrimSpace(wc.Parent)],
			AuthorName: truncateUTF8(strings.TrimSpace(wc.Author), 200), AuthorEmail: strings.TrimSpace(wc.AuthorEmail),
			AuthorURL: cleanURL(wc.AuthorURL), BodyHTML: bodies[i],
			Status: status, CreatedAt: at.UTC(), SourceID: strings.TrimSpace(wc.ID)}
		old := before[c.SourceID]
		if err := w.cur.PutComment(ctx, c); err != nil {
			return fmt.Errorf("item %d (id %s): comment %s: %w", n, id, c.SourceID, err)
		}
		ids[c.SourceID] = c.ID
		if old != nil {
			w.rep.count(kindComment).Updated++
			if err := w.did(undoStep{Op: undoCommentOld, Comment: old}); err != nil {
				return err
			}
		} else {
			w.rep.count(kindComment).Created++
			if err := w.did(undoStep{Op: undoCommentNew, ID: c.ID, ArticleID: c.ArticleID}); err != nil {
				return err
			}
		}
	}
	return nil
}

// cleanURL keeps only absolute http(s) URLs: a commenter's website is shown
// as a link one day.
func cleanURL(s string) string {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return s
}

// decodeSlug undoes WordPress's percent-encoding of non-ASCII slugs
// ("%d8%a2%d8%a8" → "آب") and lowers the case.
func decodeSlug(s string) string {
	s = strings.TrimSpace(s)
	if d, err := url.PathUnescape(s); err == nil && utf8.ValidString(d) {
		s = d
	}
	return strings.ToLower(s)
}

func truncateUTF8(s string, max int) string {
	if len(s) <= max {
		return s
	}
	s = s[:max]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(html.UnescapeString(s)); s != "" {
			return s
		}
	}
	return ""
}

package importer

import (
	"context"
	"fmt"
	"html"
	"sort"
	"strconv"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/media"
	"folio/internal/render/markdown"
	"folio/internal/store"
)

// title is the plain text of an item's title: WordPress titles may hold
// markup ("Title <em>With</em> Markup"), which Folio would show as literal
// tags; the tags go, with a warning naming them.
func (w *wpRun) title(n int, id, raw string) (string, error) {
	title, tags := plainTitle(raw)
	if len(tags) > 0 {
		w.rep.warn(n, id, "title markup removed: %s", strings.Join(tags, ", "))
	}
	if title == "" {
		title = "Untitled"
		w.rep.warn(n, id, "post has no title; titled %q", title)
	}
	if len(title) > content.MaxTitle {
		title = truncateUTF8(title, content.MaxTitle)
		w.rep.warn(n, id, "title cut to %d bytes", content.MaxTitle)
	}
	return title, nil
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
			Credit: truncateUTF8(att.credit, media.MaxCredit)}, "wp-content/uploads/", "featured image")
		if err != nil || m == nil {
			return nil, err
		}
		w.media[thumb] = m
	}
	return w.imageOf(m, firstNonEmpty(att.alt, att.title, title)), nil
}

func (w *wpRun) comments(ctx context.Context, n int, id string, a *content.Article, cs []wxrComment, bodies []string) error {
	if len(cs) == 0 {
		return nil
	}
	existing, err := w.readComments(ctx, a.ID)
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
		if old != nil && sameComment(old, c) {
			ids[c.SourceID] = old.ID
			w.rep.count(kindComment).Unchanged++
			continue
		}
		if err := w.writeComment(ctx, c); err != nil {
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

// sameComment reports whether an imported comment is already stored as the
// export has it: a second run leaves it alone.
func sameComment(a, b *store.Comment) bool {
	return a.ParentID == b.ParentID && a.AuthorName == b.AuthorName && a.AuthorEmail == b.AuthorEmail &&
		a.AuthorURL == b.AuthorURL && a.BodyHTML == b.BodyHTML && a.Status == b.Status && a.CreatedAt.Equal(b.CreatedAt)
}

// galleryOf lists the images of a [gallery]: the attachments its ids name,
// or, without ids, those attached to the post, in id order.
func (w *wpRun) galleryOf(postID, ids string) []attachment {
	var out []attachment
	if strings.TrimSpace(ids) != "" {
		for _, id := range strings.Split(ids, ",") {
			if a, ok := w.ix.attachments[strings.TrimSpace(id)]; ok {
				out = append(out, a)
			}
		}
		return out
	}
	var keys []int
	for id, a := range w.ix.attachments {
		if a.parent == postID {
			if k, err := strconv.Atoi(id); err == nil {
				keys = append(keys, k)
			}
		}
	}
	sort.Ints(keys)
	for _, k := range keys {
		out = append(out, w.ix.attachments[strconv.Itoa(k)])
	}
	return out
}

// pageParents places each imported page under its parent page, once both
// are stored (an export may list a child first). A parent that is not a
// page of this import leaves the page at the top level, with a warning.
func (w *wpRun) pageParents(ctx context.Context) error {
	for _, pc := range w.parents {
		n, _ := strconv.Atoi(pc[0])
		child, err := w.findRecord(ctx, pc[1], kindArticle)
		if err != nil || child == nil {
			return err
		}
		parent, err := w.findRecord(ctx, pc[2], kindArticle)
		if err != nil {
			return err
		}
		a, err := w.readArticle(ctx, child.EntityID)
		if err != nil {
			return err
		}
		var pa *content.Article
		if parent != nil {
			if pa, err = w.readArticle(ctx, parent.EntityID); err != nil && content.ErrorCode(err) != content.ENOTFOUND {
				return err
			}
		}
		if pa == nil || !pa.IsPage() {
			w.rep.warn(n, pc[1], "parent page %s is not in the import; the page is at the top level", pc[2])
			continue
		}
		if a.ParentID == pa.ID || !a.IsPage() {
			continue
		}
		old := *a
		a.ParentID = pa.ID
		if err := w.writeArticle(ctx, a, nil, false); err != nil {
			return fmt.Errorf("item %d (id %s): parent page: %w", n, pc[1], err)
		}
		if err := w.did(undoStep{Op: undoArticleOld, Article: &old}); err != nil {
			return err
		}
	}
	return nil
}

package readers

import (
	"net/http"
	"net/url"
	"strconv"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store"
	"folio/internal/urls"
)

type commentData struct {
	ArticleID    int64
	Article      string // title
	ArticleURL   string
	ParentID     int64
	ParentAuthor string
	Closed       bool
	Open         bool // anyone may comment, signed in or not
	SigninURL    string
	Stamp        string
	Name, Body   string
}

func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// commentData loads what the form of article id (replying to parent) shows.
func (h *Readers) commentData(r *http.Request, articleID, parentID int64) (*commentData, error) {
	ctx := r.Context()
	a, err := h.st.FindArticleByID(ctx, articleID)
	if err != nil || !a.IsPublic(h.now()) {
		return nil, content.Errorf(content.ENOTFOUND, "article %d not found", articleID)
	}
	mode, err := h.st.CommentMode(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	st := h.settings(ctx)
	d := &commentData{ArticleID: a.ID, Article: a.Title, ArticleURL: urls.New(st).Article(a), Closed: mode == store.CommentsClosed,
		Open: mode == store.CommentsOpen, Stamp: h.formStamp()}
	d.SigninURL = h.path(ctx, "/members/signin?"+url.Values{"next": {d.ArticleURL + "#comments"}}.Encode())
	if parentID != 0 {
		c, err := h.st.FindCommentByID(ctx, parentID)
		if err != nil || c.ArticleID != a.ID || c.Status != store.CommentApproved {
			return nil, content.Errorf(content.ENOTFOUND, "comment %d not found on this article", parentID)
		}
		d.ParentID, d.ParentAuthor = c.ID, c.AuthorName
	}
	return d, nil
}

// handleCommentForm serves the comment form of one article: as a page, or
// with fragment=1 as the piece comments.js puts into the cached article
// page. It is the member-specific part of that page, so it is never cached.
func (h *Readers) handleCommentForm(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	id, ok := parseID(q.Get("article"))
	if !ok {
		return content.Errorf(content.EINVALID, "article %q is not an article id", q.Get("article"))
	}
	parent, _ := parseID(q.Get("parent"))
	d, err := h.commentData(r, id, parent)
	if err != nil {
		return err
	}
	p := h.newPage(r, "members.comment.title", d)
	p.Fragment = q.Get("fragment") == "1"
	h.html(w, r, http.StatusOK, "comment", p)
	return nil
}

// handleComment takes a comment. Spam defences come first and cost
// nothing: a filled trap field is answered as a success and dropped; a form
// sent too soon after it was shown is refused; then the per-member and
// per-address rate limits. Sanitizing, the link limit, the article's mode
// and moderation are the editorial service's.
func (h *Readers) handleComment(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, ok := parseID(r.PostFormValue("article"))
	if !ok {
		return content.Errorf(content.EINVALID, "article %q is not an article id", r.PostFormValue("article"))
	}
	parent, _ := parseID(r.PostFormValue("parent"))
	d, err := h.commentData(r, id, parent)
	if err != nil {
		return err
	}
	d.Name, d.Body = r.PostFormValue("name"), r.PostFormValue("body")
	p := h.newPage(r, "members.comment.title", d)
	m := memberFrom(ctx)
	if m == nil && !d.Open {
		return h.errT(ctx, content.EUNAUTHORIZED, "members.comment.signin_first")
	}
	if r.PostFormValue("website") != "" {
		h.log.InfoContext(ctx, "comment trap field filled; dropped", "article_id", id)
		p.Notice = p.T("members.comment.thanks")
		h.html(w, r, http.StatusOK, "message", p)
		return nil
	}
	if msg := h.checkStamp(r.PostFormValue("ts")); msg != "" {
		h.html(w, r, http.StatusBadRequest, "comment", p.withError(h.errT(ctx, content.EINVALID, msg)))
		return nil
	}
	if m != nil {
		err = h.check(ctx, "comment_member", strconv.FormatInt(m.ID, 10), h.cfg.Limits.CommentPerMember)
	}
	if err == nil {
		err = h.check(ctx, "comment_ip", h.clientIP(r), h.cfg.Limits.CommentPerIP)
	}
	var c *store.Comment
	if err == nil {
		nc := editorial.NewComment{ArticleID: id, ParentID: parent, Body: d.Body, Name: d.Name}
		if m != nil {
			c, err = h.svc.AsMember(m).PostComment(ctx, nc)
		} else {
			c, err = h.svc.PostAnonymousComment(ctx, nc)
		}
	}
	switch content.ErrorCode(err) {
	case "":
	case content.EINVALID, ETOOMANY, content.EUNAUTHORIZED, content.EFORBIDDEN:
		status := map[string]int{content.EINVALID: http.StatusBadRequest, ETOOMANY: http.StatusTooManyRequests,
			content.EUNAUTHORIZED: http.StatusUnauthorized, content.EFORBIDDEN: http.StatusForbidden}[content.ErrorCode(err)]
		d.Stamp = h.formStamp()
		h.html(w, r, status, "comment", p.withError(err))
		return nil
	default:
		return err
	}
	if c.Status == store.CommentApproved {
		// The query makes the browser fetch the page anew (it keeps the
		// plain URL for a minute); the page cache ignores it, and the
		// approval already dropped the old copy there.
		id := strconv.FormatInt(c.ID, 10)
		http.Redirect(w, r, d.ArticleURL+"?comment="+id+"#comment-"+id, http.StatusSeeOther)
		return nil
	}
	p.Notice = p.T("members.comment.thanks")
	h.html(w, r, http.StatusOK, "message", p)
	return nil
}

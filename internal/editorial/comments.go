package editorial

import (
	"context"
	"strings"
	"unicode/utf8"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/render/markdown"
	"folio/internal/store"
)

// NewComment is what a reader writes.
type NewComment struct {
	ArticleID int64
	ParentID  int64
	Body      string // Markdown
	Name      string // for anonymous comments on open articles; members use their profile name
}

// PostComment stores a comment by the member on a public article. The
// member's first comment is held for moderation; once one was approved,
// later ones appear at once. Closed articles take no comments.
func (a *Member) PostComment(ctx context.Context, c NewComment) (*store.Comment, error) {
	rs, err := a.check("comment")
	if err != nil {
		return nil, err
	}
	name := a.m.Name
	if name == "" {
		name = strings.SplitN(a.m.Email, "@", 2)[0]
	}
	status := store.CommentPending
	n, err := rs.CountMemberComments(ctx, a.m.ID, store.CommentApproved)
	if err != nil {
		return nil, wrap(err, "post comment")
	}
	if n > 0 {
		status = store.CommentApproved
	}
	return a.s.postComment(ctx, rs, c, &store.Comment{MemberID: a.m.ID, AuthorName: name, AuthorEmail: a.m.Email, Status: status}, true)
}

// PostAnonymousComment stores a comment by a guest (a reader not signed
// in, the actor here), on an article whose comments are open; it is always
// held for moderation.
func (s *Service) PostAnonymousComment(ctx context.Context, c NewComment) (*store.Comment, error) {
	rs, err := s.readers()
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(c.Name)
	p := content.Problems{}
	if name == "" || utf8.RuneCountInString(name) > content.MaxMemberName || strings.ContainsAny(name, "\r\n<>") {
		p.Add("name", "is required: up to %d characters, no line breaks or angle brackets", content.MaxMemberName)
	}
	if err := p.Err("comment"); err != nil {
		return nil, err
	}
	return s.postComment(ctx, rs, c, &store.Comment{AuthorName: name, Status: store.CommentPending}, false)
}

func (s *Service) postComment(ctx context.Context, rs ReaderStore, in NewComment, c *store.Comment, member bool) (*store.Comment, error) {
	a, err := s.store.FindArticleByID(ctx, in.ArticleID)
	if err != nil || !a.IsPublic(s.now()) {
		return nil, content.Errorf(content.ENOTFOUND, "article %d not found", in.ArticleID)
	}
	mode, err := rs.CommentMode(ctx, a.ID)
	if err != nil {
		return nil, wrap(err, "post comment")
	}
	switch {
	case mode == store.CommentsClosed:
		return nil, content.Errorf(content.EFORBIDDEN, "comments on this article are closed")
	case mode == store.CommentsMembers && !member:
		return nil, content.Errorf(content.EUNAUTHORIZED, "sign in to comment on this article")
	}
	body := strings.TrimSpace(in.Body)
	p := content.Problems{}
	var html string
	var links int
	switch {
	case body == "":
		p.Add("body", "is required")
	case len(body) > content.MaxCommentBytes:
		p.Add("body", "is longer than %d bytes", content.MaxCommentBytes)
	default:
		if html, links, err = markdown.Comment(body); err != nil {
			p.Add("body", "%v", err)
		} else if html == "" {
			p.Add("body", "has no text left once HTML is removed")
		} else if links > content.MaxCommentLinks {
			p.Add("body", "has %d links; at most %d are allowed", links, content.MaxCommentLinks)
		}
	}
	if err := p.Err("comment"); err != nil {
		return nil, err
	}
	c.ArticleID, c.ParentID, c.BodyHTML = a.ID, in.ParentID, html
	if c.ParentID != 0 {
		parent, err := rs.FindCommentByID(ctx, c.ParentID)
		if err != nil || parent.Status != store.CommentApproved {
			return nil, content.Errorf(content.EINVALID, "the comment replied to (%d) is not shown on this article", c.ParentID)
		}
	}
	if err := rs.CreateComment(ctx, c); err != nil {
		return nil, wrap(err, "post comment")
	}
	// A held comment is on no page: its event carries no key.
	var keys []string
	if c.Status == store.CommentApproved {
		keys = append(keys, key.Comments(a.ID))
	}
	s.readerChanged(key.Change{Entity: key.EntityComment, ID: c.ID, Op: key.OpCreate, State: c.Status, Parent: a.ID}, keys...)
	return c, nil
}

// Moderation actions.
const (
	ModApprove = "approve"
	ModHold    = "hold"
	ModSpam    = "spam"
	ModDelete  = "delete"
	ModBan     = "ban" // block the member, and mark all their comments spam
)

// Moderate applies a moderation action to one comment. Only a change to
// what readers see (a comment becoming or ceasing to be approved) drops the
// article's page.
func (e *Editor) Moderate(ctx context.Context, id int64, action string) error {
	if err := e.require(content.ActModerateComments, "moderate comments"); err != nil {
		return err
	}
	rs, err := e.readersFor("a comment")
	if err != nil {
		return err
	}
	c, err := rs.FindCommentByID(ctx, id)
	if err != nil {
		return wrap(err, "moderate comment %d", id)
	}
	was := c.Status == store.CommentApproved
	var to string
	switch action {
	case ModApprove:
		to = store.CommentApproved
	case ModHold:
		to = store.CommentPending
	case ModSpam:
		to = store.CommentSpam
	case ModDelete:
		if err := rs.DeleteComment(ctx, id); err != nil {
			return wrap(err, "delete comment %d", id)
		}
		e.changed(key.Change{Entity: key.EntityComment, ID: id, Op: key.OpDelete, Parent: c.ArticleID}, shown(was, c.ArticleID)...)
		return nil
	case ModBan:
		if c.MemberID == 0 {
			return content.Errorf(content.EINVALID, "comment %d has no member to ban; mark it spam", id)
		}
		if err := rs.SetCommentStatus(ctx, id, store.CommentSpam); err != nil {
			return wrap(err, "ban author of comment %d", id)
		}
		e.changed(key.Change{Entity: key.EntityComment, ID: id, Op: key.OpUpdate, State: store.CommentSpam, Parent: c.ArticleID},
			shown(was, c.ArticleID)...)
		_, err := e.SetMemberBlocked(ctx, c.MemberID, true)
		return err
	default:
		return content.Errorf(content.EINVALID, "unknown moderation action %q (approve, hold, spam, delete, ban)", action)
	}
	if to == c.Status {
		return nil
	}
	if err := rs.SetCommentStatus(ctx, id, to); err != nil {
		return wrap(err, "moderate comment %d", id)
	}
	e.changed(key.Change{Entity: key.EntityComment, ID: id, Op: key.OpUpdate, State: to, Parent: c.ArticleID},
		shown(was || to == store.CommentApproved, c.ArticleID)...)
	return nil
}

// shown is the key a comment change drops: its article's page when the
// comment was or now is on it, else none.
func shown(onPage bool, articleID int64) []string {
	if onPage {
		return []string{key.Comments(articleID)}
	}
	return nil
}

// SetCommentMode sets an article's comments open, members-only or closed.
// The page shows the mode (form or "closed"), so it is dropped.
func (e *Editor) SetCommentMode(ctx context.Context, articleID int64, mode string) error {
	if err := e.require(content.ActModerateComments, "change comment settings"); err != nil {
		return err
	}
	switch mode {
	case store.CommentsOpen, store.CommentsMembers, store.CommentsClosed:
	default:
		return content.Errorf(content.EINVALID, "comment mode %q is not open, members or closed", mode)
	}
	rs, err := e.readersFor("a comment")
	if err != nil {
		return err
	}
	if err := rs.SetCommentMode(ctx, articleID, mode); err != nil {
		return wrap(err, "comment mode of article %d", articleID)
	}
	e.changed(key.Change{Entity: key.EntityArticle, ID: articleID, Op: key.OpUpdate}, key.Comments(articleID))
	return nil
}

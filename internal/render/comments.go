package render

import (
	"html/template"
	"net/url"
	"strconv"
	"time"
)

// Comment is one approved comment as the article page shows it. BodyHTML
// was sanitized when it was stored (editorial for the site's own,
// the importer for imported ones).
type Comment struct {
	ID         int64
	ParentID   int64
	AuthorName string
	AuthorURL  string // imported comments may link their author's site
	BodyHTML   string
	CreatedAt  time.Time
}

// CommentView is a comment with its replies.
type CommentView struct {
	ID         int64
	Anchor     string // "comment-12"
	Author     string
	AuthorURL  string
	Date       DateView
	Body       template.HTML
	ReplyURL   string // the uncached reply form
	ReplyLabel string
	Replies    []*CommentView
	ParentLink string // "#comment-3" on replies nested past maxDepth
}

// CommentsView is the comment section of an article page. It holds only
// what every reader sees: the page stays cacheable, and the member-specific
// part (the form, "signed in as") comes from FormURL, which is never cached.
type CommentsView struct {
	Count   int
	Heading string
	Threads []*CommentView
	Closed  bool
	// FormURL is the form page; comments.js loads its fragment in place.
	FormURL     string
	FormLabel   string
	ClosedLabel string
	ReplyLabel  string
}

// maxDepth is how deep replies nest on the page; deeper ones are shown at
// this depth with a link to what they answer, so narrow screens stay readable.
const maxDepth = 4

// CommentFormPath is where the uncached comment form of an article lives,
// in the default language; Site.commentForm puts it in the page's.
func CommentFormPath(articleID, parentID int64) string {
	q := url.Values{"article": {strconv.FormatInt(articleID, 10)}}
	if parentID != 0 {
		q.Set("parent", strconv.FormatInt(parentID, 10))
	}
	return "/members/comment?" + q.Encode()
}

// NewCommentsView threads comments (oldest first) under the article. A
// reply whose parent is not shown becomes a thread of its own.
func NewCommentsView(s Site, articleID int64, comments []Comment, closed bool) *CommentsView {
	l := s.Locale()
	v := &CommentsView{Count: len(comments), Closed: closed, FormURL: s.readerPath(CommentFormPath(articleID, 0)),
		FormLabel: l.T("members.thread.write"), ClosedLabel: l.T("members.comment.closed"), ReplyLabel: l.T("members.thread.reply")}
	v.Heading = l.T("members.thread.heading")
	if v.Count > 0 {
		v.Heading = s.commentsLabel(v.Count)
	}
	byID := map[int64]*CommentView{}
	depth := map[int64]int{}
	for _, c := range comments {
		cv := &CommentView{ID: c.ID, Anchor: "comment-" + strconv.FormatInt(c.ID, 10), Author: c.AuthorName,
			Date: s.date(c.CreatedAt), Body: template.HTML(c.BodyHTML)}
		if isHTTP(c.AuthorURL) {
			cv.AuthorURL = c.AuthorURL
		}
		if cv.Author == "" {
			cv.Author = l.T("members.thread.anonymous")
		}
		if !closed {
			cv.ReplyURL, cv.ReplyLabel = s.readerPath(CommentFormPath(articleID, c.ID)), v.ReplyLabel
		}
		byID[c.ID] = cv
		parent, ok := byID[c.ParentID]
		if c.ParentID == 0 || !ok {
			v.Threads = append(v.Threads, cv)
			continue
		}
		d := depth[c.ParentID] + 1
		for d > maxDepth-1 {
			// Attach to the nearest ancestor that may still nest.
			cv.ParentLink = "#" + parent.Anchor
			parent = byID[parentOf(comments, parent.ID)]
			d--
		}
		depth[c.ID] = d
		parent.Replies = append(parent.Replies, cv)
	}
	return v
}

func parentOf(cs []Comment, id int64) int64 {
	for _, c := range cs {
		if c.ID == id {
			return c.ParentID
		}
	}
	return 0
}

func isHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// commentsLabel says how many comments there are, in the page's language.
func (s Site) commentsLabel(n int) string { return s.Locale().N("members.thread.count", n) }

// readerPath is the reader page p (comment form, sign-in, forward) in the
// page's language, so the form speaks it too.
func (s Site) readerPath(p string) string { return s.URLs.Reader(s.lang(), p) }

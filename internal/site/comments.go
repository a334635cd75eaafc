package site

import (
	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/render"
	"folio/internal/render/markdown"
	"folio/internal/store"
)

// comments builds the comment section of article a: its approved comments
// (the site's own and imported ones, threaded) and whether new ones are
// taken. The page records CommentsDep, so approving or removing a comment
// drops this page and no other. Nothing member-specific goes in: the form
// is fetched from the uncached /members/comment.
func (s *Site) comments(q *request, a *content.Article) (*render.CommentsView, error) {
	cs, ok := s.store.(store.CommentStore)
	if !ok {
		return nil, nil
	}
	q.dep(key.Comments(a.ID))
	list, err := cs.ApprovedComments(q.ctx, a.ID)
	if err != nil {
		return nil, err
	}
	mode, err := cs.CommentMode(q.ctx, a.ID)
	if err != nil {
		return nil, err
	}
	in := make([]render.Comment, len(list))
	for i, c := range list {
		body := c.BodyHTML
		if c.SourceID != "" {
			// Imports sanitized with the article policy; comments get the
			// stricter one (no images or frames, links marked ugc).
			body = markdown.SanitizeComment(body)
		}
		in[i] = render.Comment{ID: c.ID, ParentID: c.ParentID, AuthorName: c.AuthorName, AuthorURL: c.AuthorURL,
			BodyHTML: body, CreatedAt: c.CreatedAt}
	}
	return render.NewCommentsView(q.view(), a.ID, in, mode == store.CommentsClosed), nil
}

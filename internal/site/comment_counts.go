package site

import (
	"context"
	"slices"

	"folio/internal/cache/key"
	"folio/internal/store"
)

// showsArticle notes an article the page shows, for its comment count.
func (q *request) showsArticle(id int64) {
	if !slices.Contains(q.shown, id) {
		q.shown = append(q.shown, id)
	}
}

// commentCounts loads, in one store call, the approved-comment counts of
// every article the page shows as a card, and records key.Comments of
// each: a listing shows the count, so a comment appearing or going drops
// it. Article pages count no cards (pages.go), so the whole reach of a
// comment is its article's page and the listings that count it.
func (q *request) commentCounts() map[int64]int {
	if len(q.shown) == 0 || q.counts == nil {
		return nil
	}
	for _, id := range q.shown {
		q.dep(key.Comments(id))
	}
	return q.counts(q.ctx, q.shown)
}

// findCommentCounts reads counts. A failure is logged and the cards show
// none until the next comment change renders the page again.
func (s *Site) findCommentCounts(ctx context.Context, ids []int64) map[int64]int {
	cs, ok := s.store.(store.CommentStore)
	if !ok {
		return nil
	}
	out, err := cs.CountApprovedComments(ctx, ids)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("count comments", "err", err)
		}
		return nil
	}
	return out
}

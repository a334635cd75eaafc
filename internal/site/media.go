package site

import (
	"context"
	"slices"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/render"
)

// showsImage records that the page shows im. A media-library image makes
// the page depend on the media item, so the page is rendered again with
// srcset once the image's variants are made.
func (q *request) showsImage(im *content.Image) {
	if im == nil || im.MediaID == 0 || slices.Contains(q.media, im.MediaID) {
		return
	}
	q.media = append(q.media, im.MediaID)
	q.dep(key.Media(im.MediaID))
}

// showsBody records the media-library items the blocks of an article's
// body show (figures, players, document cards), for the same reason.
func (q *request) showsBody(bodyHTML string) {
	for _, id := range render.BodyMediaIDs(bodyHTML) {
		q.showsImage(&content.Image{MediaID: id})
	}
}

// imageVariants loads, in one store call, the variants of every image the
// page shows.
func (q *request) imageVariants() map[int64][]content.MediaVariant {
	if len(q.media) == 0 || q.variants == nil {
		return nil
	}
	return q.variants(q.ctx, q.media)
}

// findVariants reads variants. A failure is logged and the page shows the
// originals: the variants are an optimisation, and the media dependency
// re-renders the page later.
func (s *Site) findVariants(ctx context.Context, ids []int64) map[int64][]content.MediaVariant {
	out, err := s.store.FindMediaVariants(ctx, ids)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("find media variants", "err", err)
		}
		return nil
	}
	return out
}

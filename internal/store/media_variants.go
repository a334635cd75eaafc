package store

import (
	"context"

	"folio/internal/content"
)

// MediaVariantStore records the resized copies of media-library images.
// It is apart from MediaStore so that only the image job and the reader
// pages depend on it.
type MediaVariantStore interface {
	// ReplaceMediaVariants sets the variants of media mediaID to vs,
	// dropping any it had; each variant's MediaID is set to mediaID.
	// Errors: not_found when there is no such media, invalid for a variant
	// without a path, format or positive size, conflict when a path is
	// already another variant's.
	ReplaceMediaVariants(ctx context.Context, mediaID int64, vs []content.MediaVariant) error
	// FindMediaVariants returns the variants of each of ids that has any,
	// keyed by media ID, ordered by format and then width, narrowest first.
	// IDs without variants (or without media) are absent from the map.
	FindMediaVariants(ctx context.Context, ids []int64) (map[int64][]content.MediaVariant, error)
	// FindMediaPaths returns every file path (relative to the media root)
	// that a media record or a variant names, read in one transaction, so
	// the start-up sweep can tell a stored file from the leftover of an
	// upload or import killed before its record was written.
	FindMediaPaths(ctx context.Context) ([]string, error)
}

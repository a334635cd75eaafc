package content

// MediaVariant is a resized copy of a media-library image, made for
// srcset: one width in one format, stored beside the original.
type MediaVariant struct {
	MediaID int64  `json:"media_id"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
	Format  string `json:"format"` // "webp", "jpeg" or "png"
	Path    string `json:"path"`   // relative to the media root, like Media.Path
}

// ContentType is the MIME type of the variant's format.
func (v MediaVariant) ContentType() string {
	return "image/" + v.Format
}

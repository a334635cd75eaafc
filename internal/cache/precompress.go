package cache

// Compress returns the gzip and brotli variants of body as the cache makes
// them, or nils when the type is not text. Unlike the cache it compresses
// even tiny bodies: a static export promises a .gz and a .br beside every
// text file, so a host configured for precompressed files never falls back
// to compressing on the fly.
func Compress(contentType string, body []byte) (gz, br []byte) {
	if !compressible(contentType) {
		return nil, nil
	}
	return compressGzip(body), compressBrotli(body)
}

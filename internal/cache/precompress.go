package cache

// Compress returns the gzip and brotli variants of body as the cache makes
// them, or nils when the type is not text or the body is too small. Static
// exports use it for files that are not pages, such as theme files.
func Compress(contentType string, body []byte) (gz, br []byte) {
	if len(body) < minCompressSize || !compressible(contentType) {
		return nil, nil
	}
	gz, br = compressGzip(body), compressBrotli(body)
	if len(gz) >= len(body) {
		gz = nil
	}
	if len(br) >= len(body) {
		br = nil
	}
	return gz, br
}

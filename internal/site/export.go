package site

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// Render renders one public path exactly as the server answers it, without
// the page cache: its content type and identity body. A static export
// renders every path once, so caching would only cost memory and the
// decoding of what the cache compressed.
func (s *Site) Render(ctx context.Context, path string) (contentType string, body []byte, err error) {
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, path, nil)
	if err != nil {
		return "", nil, fmt.Errorf("site: render %s: %w", path, err)
	}
	p, err := s.renderPage(ctx, r)
	var u *uncached
	if errors.As(err, &u) {
		return "", nil, fmt.Errorf("site: render %s: status %d", path, u.status)
	}
	if err != nil {
		return "", nil, fmt.Errorf("site: render %s: %w", path, err)
	}
	return p.ContentType, p.Body, nil
}

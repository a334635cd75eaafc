package api

import (
	"fmt"
	"net/http"
	"strings"

	"folio/internal/auth"
	"folio/internal/content"
)

// authenticate checks the bearer token. Lookups are by hash, so comparing
// secrets never happens in a timing-sensitive way here.
func (a *API) authenticate(r *http.Request) (*content.Token, error) {
	scheme, secret, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	secret = strings.TrimSpace(secret)
	if !ok || !strings.EqualFold(scheme, "Bearer") || secret == "" {
		return nil, content.Errorf(content.EUNAUTHORIZED, "send an API token as \"Authorization: Bearer <token>\"")
	}
	t, err := a.store.FindTokenByHash(r.Context(), auth.HashToken(secret))
	if err != nil {
		if content.ErrorCode(err) == content.ENOTFOUND {
			return nil, content.Errorf(content.EUNAUTHORIZED, "the API token is not valid")
		}
		return nil, fmt.Errorf("api: authenticate: %w", err)
	}
	return t, nil
}

package api

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"

	"folio/internal/content"
)

// tokenPrefix marks Folio secrets so scanners and people can recognise a leak.
const tokenPrefix = "folio_"

// HashToken returns the hex SHA-256 of secret: the only form stored.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// NewTokenSecret returns a new secret: "folio_" and 32 random bytes, base64url.
func NewTokenSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("api: new token secret: %w", err)
	}
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// authenticate checks the bearer token. Lookups are by hash, so comparing
// secrets never happens in a timing-sensitive way here.
func (a *API) authenticate(r *http.Request) (*content.Token, error) {
	scheme, secret, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	secret = strings.TrimSpace(secret)
	if !ok || !strings.EqualFold(scheme, "Bearer") || secret == "" {
		return nil, content.Errorf(content.EUNAUTHORIZED, "send an API token as \"Authorization: Bearer <token>\"")
	}
	t, err := a.store.FindTokenByHash(r.Context(), HashToken(secret))
	if err != nil {
		if content.ErrorCode(err) == content.ENOTFOUND {
			return nil, content.Errorf(content.EUNAUTHORIZED, "the API token is not valid")
		}
		return nil, fmt.Errorf("api: authenticate: %w", err)
	}
	return t, nil
}

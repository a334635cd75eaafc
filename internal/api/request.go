package api

import (
	"encoding/base64"
	"net/http"
	"strconv"

	"folio/internal/content"
)

// Page sizes for lists.
const (
	defaultLimit = 20
	maxLimit     = 100
)

// pathID parses the {id} path value; anything but a positive integer names
// no resource, so it is not_found.
func pathID(r *http.Request, what string) (int64, error) {
	s := r.PathValue("id")
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, content.Errorf(content.ENOTFOUND, "%s %q not found", what, s)
	}
	return id, nil
}

// queryInt parses an optional positive integer query parameter.
func queryInt(r *http.Request, name string) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, &content.Error{Code: codeBadRequest, Message: "query parameter " + name + " must be a positive integer",
			Fields: map[string]string{name: "must be a positive integer"}}
	}
	return n, nil
}

// limitParam returns ?limit=, defaulting to 20 and capped at 100.
func queryLimit(r *http.Request) (int, error) {
	n, err := queryInt(r, "limit")
	switch {
	case err != nil:
		return 0, err
	case n == 0:
		return defaultLimit, nil
	case n > maxLimit:
		return maxLimit, nil
	}
	return int(n), nil
}

// Offset cursors page through lists ordered by something other than time
// (authors, terms, media). They are opaque to clients, like article cursors.
func offsetCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o" + strconv.Itoa(offset)))
}

func queryOffset(r *http.Request) (int, error) {
	s := r.URL.Query().Get("cursor")
	if s == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil && len(b) > 1 && b[0] == 'o' {
		if n, err := strconv.Atoi(string(b[1:])); err == nil && n >= 0 {
			return n, nil
		}
	}
	return 0, &content.Error{Code: codeBadRequest, Message: "cursor " + strconv.Quote(s) + " is not valid",
		Fields: map[string]string{"cursor": "is not valid"}}
}

// list is the envelope of every list response.
type list[T any] struct {
	Items      []T     `json:"items"`
	Total      int     `json:"total"`
	NextCursor *string `json:"next_cursor"`
}

// offsetList builds a list page from an offset query.
func offsetList[T any](items []T, total, offset int) list[T] {
	out := list[T]{Items: items, Total: total}
	if out.Items == nil {
		out.Items = []T{}
	}
	if next := offset + len(items); len(items) > 0 && next < total {
		c := offsetCursor(next)
		out.NextCursor = &c
	}
	return out
}

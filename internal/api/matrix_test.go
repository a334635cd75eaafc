package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"folio/internal/api"
	"folio/internal/auth"
	"folio/internal/content"
)

// TestAuthorizationMatrix checks every route of the API's route table (so
// a new route is in the matrix the moment it is registered) for each kind
// of caller: none, a valid token, a revoked token, a malformed header and
// a well-formed but unknown token. A public route answers everyone alike;
// every other route refuses all but the valid token with 401 and never
// refuses the valid token with 401 or 403. The API takes tokens only:
// staff roles and members act through the admin and reader pages, whose
// own matrices cover them.
func TestAuthorizationMatrix(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	revoked := auth.NewAPITokenSecret()
	tok := &content.Token{Name: "revoked", Hash: auth.HashToken(revoked)}
	if err := e.db.CreateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if err := e.db.DeleteToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	callers := []struct {
		name, auth string
		valid      bool
	}{
		{"anonymous", "", false},
		{"token", "Bearer " + e.token, true},
		{"revoked token", "Bearer " + revoked, false},
		{"malformed", "Basic " + e.token, false},
		{"unknown token", "Bearer " + auth.NewAPITokenSecret(), false},
	}
	rows := 0
	for _, rt := range api.Routes() {
		path := strings.NewReplacer("{id}", "999999").Replace(rt.Path)
		for _, c := range callers {
			rows++
			t.Run(rt.Method+" "+rt.Path+"/"+c.name, func(t *testing.T) {
				var body any
				if rt.Method == "POST" || rt.Method == "PATCH" || rt.Method == "PUT" {
					body = "{}"
				}
				hdr := []string{"Authorization", c.auth}
				res := e.request(rt.Method, path, body, hdr...)
				switch {
				case rt.Public && res.Status == http.StatusUnauthorized:
					t.Errorf("public route refused %s: 401", c.name)
				case !rt.Public && !c.valid && res.Status != http.StatusUnauthorized:
					t.Errorf("%s got %d, want 401", c.name, res.Status)
				case c.valid && (res.Status == http.StatusUnauthorized || res.Status == http.StatusForbidden):
					t.Errorf("valid token refused: %d %s", res.Status, res.Body)
				}
				if res.Status >= 500 {
					t.Errorf("%s: %d %s", c.name, res.Status, res.Body)
				}
			})
		}
	}
	t.Logf("matrix rows checked: %d (%d routes × %d callers)", rows, len(api.Routes()), len(callers))
}

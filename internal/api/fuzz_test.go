package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"folio/internal/content"
)

// bodyRoutes are the routes that read a JSON body, from the route table,
// so a new endpoint is fuzzed without touching this file.
func bodyRoutes() []route {
	var out []route
	for _, rt := range routes {
		if rt.Body != nil {
			out = append(out, rt)
		}
	}
	return out
}

// FuzzDecodeBody sends arbitrary bytes through the request-body path of
// every JSON endpoint (readBody, then the strict decoder onto the route's
// body type). Whatever the input: no panic; a refusal is a client error
// (400 or 422, with a message), never an internal one; and an accepted
// body was valid JSON whose decoded strings gained no U+FFFD that the
// client did not send.
func FuzzDecodeBody(f *testing.F) {
	for _, s := range []string{
		`{"title":"A title","body_markdown":"Text","language":"en"}`,
		`{"title":"\ud800"}`,
		`{"title":"caf` + "\xe9" + `"}`,
		`{"authors":[{"id":1},{"id":"x"}]}`,
		strings.Repeat(`{"a":`, 40) + `1` + strings.Repeat(`}`, 40),
		strings.Repeat(`[`, 40) + strings.Repeat(`]`, 40),
		`{"title":1e999}`,
		`{"title":"a"} {"title":"b"}`,
		`{"unknown_field":true}`,
		`{"at":"2026-13-45T99:00:00Z"}`,
		`{"social":{"x":"https://example.org/"}}`,
		`null`, `[]`, `"string"`, `{"title":null}`, `{"title":"\u0000"}`,
	} {
		for i := range bodyRoutes() {
			f.Add(i, []byte(s))
		}
	}
	a := &API{maxBody: 64 << 10}
	f.Fuzz(func(t *testing.T, which int, body []byte) {
		rs := bodyRoutes()
		rt := rs[((which%len(rs))+len(rs))%len(rs)]
		req := httptest.NewRequest(rt.Method, rt.Path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		raw, err := a.readBody(httptest.NewRecorder(), req, rt.BodyOpt)
		if err == nil && raw != nil {
			v := reflect.New(reflect.TypeOf(rt.Body))
			if err = decodeInto(raw, v.Interface()); err == nil {
				if !json.Valid(body) {
					t.Fatalf("%s %s accepted invalid JSON %q", rt.Method, rt.Path, body)
				}
				out, merr := json.Marshal(v.Interface())
				if merr == nil && bytes.Contains(out, []byte("\ufffd")) && !sentReplacement(body) {
					t.Fatalf("%s %s: decoded strings gained U+FFFD from %q", rt.Method, rt.Path, body)
				}
				return
			}
		}
		if err == nil {
			return // an optional body left out
		}
		status := statusOf[content.ErrorCode(err)]
		if (status != http.StatusBadRequest && status != http.StatusUnprocessableEntity) || content.ErrorMessage(err) == "" {
			t.Fatalf("%s %s: %q refused with %v (status %d), want a 400 or 422 with a message", rt.Method, rt.Path, body, err, status)
		}
	})
}

// sentReplacement reports whether the client itself sent U+FFFD, raw or
// escaped.
func sentReplacement(b []byte) bool {
	return bytes.Contains(b, []byte("\ufffd")) || bytes.Contains(bytes.ToLower(b), []byte(`\ufffd`))
}

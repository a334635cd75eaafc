package api

import (
	"strings"
	"testing"

	"folio/internal/content"
)

func TestCheckJSON(t *testing.T) {
	deep := func(n int) string {
		return `{"title":"x","links":` + strings.Repeat(`[`, n) + strings.Repeat(`]`, n) + `}`
	}
	for _, tt := range []struct {
		name, body, field string
	}{
		{"OK", `{"title":"Water","authors":[1,2],"image":{"alt":"A \ufffd mark","credit":"�"}}`, ""},
		{"OKNested", deep(maxJSONDepth - 1), ""},
		{"ErrInvalidBytes", "{\"title\":\"bad \xff byte\"}", "title"},
		{"ErrInvalidBytesInArray", "{\"tags\":[\"ok\",\"bad \xc3\"]}", "tags[1]"},
		{"ErrLoneSurrogate", `{"image":{"caption":"half \ud800 pair"}}`, "image.caption"},
		{"ErrInvalidKey", "{\"bad\xff\":1}", "bad\uFFFD"},
		{"ErrTooDeep", deep(maxJSONDepth + 1), "links" + strings.Repeat("[0]", maxJSONDepth-1)},
		{"ErrFarTooDeep", deep(20000), "links" + strings.Repeat("[0]", maxJSONDepth-1)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := checkJSON([]byte(tt.body))
			if tt.field == "" {
				if err != nil {
					t.Fatalf("checkJSON: %v", err)
				}
				return
			}
			if content.ErrorCode(err) != codeBadRequest {
				t.Fatalf("err = %v, want a bad request", err)
			}
			if f := content.ErrorFields(err); f[tt.field] == "" {
				t.Fatalf("fields %v do not name %q (%v)", f, tt.field, err)
			}
		})
	}
}

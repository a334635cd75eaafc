package search

import (
	"strings"
	"testing"

	"folio/internal/content"
)

// TestDocOf_Gated checks that the index never holds a members' article's
// text past its lede.
func TestDocOf_Gated(t *testing.T) {
	body := "<p>" + strings.Repeat("The lede of the piece. ", 20) + "</p>\n<p>The SECRET part.</p>"
	for _, tt := range []struct {
		access content.Access
		secret bool
	}{{content.AccessPublic, true}, {content.AccessMembers, false}, {content.AccessPaid, false}} {
		d := DocOf(&content.Article{Access: tt.access, BodyHTML: body})
		if strings.Contains(d.Body, "SECRET") != tt.secret || !strings.Contains(d.Body, "lede") {
			t.Errorf("%s: indexed body %q", tt.access, d.Body)
		}
	}
}

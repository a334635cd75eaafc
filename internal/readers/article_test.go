package readers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/readers"
)

// TestMemberArticle checks that a gated article's text reaches members
// only, through the uncached members' copy, and never the forward page.
func TestMemberArticle(t *testing.T) {
	e := newEnv(t, readers.Limits{})
	lede := strings.Repeat("The harbour reopened after two years. ", 10)
	a := &content.Article{Language: "en", Title: "Harbour accounts", Access: content.AccessMembers,
		BodyMarkdown: lede + "\n\nThe SECRET ledger shows the dredging cost.", Status: content.StatusPublished,
		PublishedAt: e.clock.now().Add(-time.Hour)}
	if err := e.svc.System("test").CreateArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	path := "/members/article/" + itoa(a.ID)
	anon := e.client()
	tests := []struct {
		name, path string
		status     int
		want, not  string
	}{
		{"AnonFragment", path + "?fragment=1", http.StatusNoContent, "", "SECRET"},
		{"AnonPage", path, http.StatusOK, "Become a member", "SECRET"},
		{"AnonForward", "/forward/" + itoa(a.ID) + "/", http.StatusOK, "harbour reopened", "SECRET"},
		{"AnonForwardSource", "/forward/" + itoa(a.ID) + "/source", http.StatusOK, "harbour reopened", "SECRET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := anon.get(tt.path)
			if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) || strings.Contains(body, tt.not) {
				t.Fatalf("%s: %d, want %d with %q and without %q:\n%s", tt.path, resp.StatusCode, tt.status, tt.want, tt.not, body)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
				t.Fatalf("Cache-Control %q, want no-store", cc)
			}
		})
	}

	m := e.client()
	m.signIn("reader@example.org")
	resp, body := m.get(path + "?fragment=1")
	if resp.StatusCode != 200 || !strings.Contains(body, "SECRET ledger") || strings.Contains(body, "<html") {
		t.Fatalf("member fragment: %d %s", resp.StatusCode, body)
	}
	if resp, body = m.get(path); resp.StatusCode != 200 || !strings.Contains(body, "SECRET ledger") || strings.Contains(body, "Become a member") {
		t.Fatalf("member page: %d %s", resp.StatusCode, body)
	}

	// Paid: a free member gets the call to join, not the text.
	a.Access = content.AccessPaid
	if err := e.svc.System("test").UpdateArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if resp, body = m.get(path + "?fragment=1"); resp.StatusCode != http.StatusNoContent || strings.Contains(body, "SECRET") {
		t.Fatalf("free member, paid article: %d %s", resp.StatusCode, body)
	}
	if _, body = m.get(path); !strings.Contains(body, "/members/join") || strings.Contains(body, "SECRET") {
		t.Fatalf("free member, paid article page: %s", body)
	}
}

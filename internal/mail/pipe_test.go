package mail_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"folio/internal/mail"
)

// TestPipe checks that a message piped to a sendmail-style command arrives
// whole on its standard input, and that a failing command is an error.
func TestPipe(t *testing.T) {
	out := filepath.Join(t.TempDir(), "msg.eml")
	p := &mail.Pipe{Command: []string{"sh", "-c", `cat > "$0"`, out}, From: "The Review <news@example.org>"}
	m := mail.Message{To: []string{"reader@example.org"}, Subject: "Weekly", Text: "Plain part.", HTML: "<p>HTML part.</p>",
		Headers: map[string]string{"List-Id": "<weekly.example.org>"}}
	if err := p.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"To: <reader@example.org>", "Subject: Weekly", "List-Id: <weekly.example.org>", "Plain part.", "HTML part."} {
		if !strings.Contains(string(b), want) {
			t.Errorf("piped message lacks %q:\n%s", want, b)
		}
	}
	fail := &mail.Pipe{Command: []string{"sh", "-c", "echo refused >&2; exit 75"}, From: "news@example.org"}
	if err := fail.Send(context.Background(), m); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("failing command: %v", err)
	}
	if err := p.Send(context.Background(), mail.Message{To: []string{"a@b.example\r\nBcc: x@y.example"}}); err == nil {
		t.Fatal("a recipient with a line break was piped")
	}
}

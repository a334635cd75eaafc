package translate

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"folio/internal/content"
)

// needApertium skips the test when the engine or the pair is missing on a
// laptop, and fails it in CI, where `make deps` installs them.
func needApertium(t *testing.T, from, to string) *Apertium {
	t.Helper()
	a := &Apertium{}
	if _, err := exec.LookPath("apertium"); err != nil || !a.Supports(from, to) {
		msg := "apertium with the " + from + "-" + to + " pair is not installed (scripts/test-deps.sh installs the Debian packages)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return a
}

func TestApertium_Translate(t *testing.T) {
	a := needApertium(t, "en", "es")
	ctx := context.Background()
	doc := SplitMarkdown("The house is **very** big.\n\nSee [the red door](https://example.org/door_1) and run `go test` now.\n")
	doc.AddPlain("title", "The black dog")
	out, err := a.Translate(ctx, "en", "es", doc.Segments)
	if err != nil {
		t.Fatal(err)
	}
	got := doc.Join(out)
	for _, want := range []string{"casa", "**muy**", "](https://example.org/door_1)", "`go test`", "perro negro"} {
		if !strings.Contains(got, want) {
			t.Errorf("translation lacks %q:\n%s", want, got)
		}
	}
	t.Logf("en→es:\n%s", got)
}

func TestApertium_Pairs(t *testing.T) {
	a := needApertium(t, "en", "es")
	tests := []struct {
		from, to string
		want     bool
	}{
		{"en", "es", true}, {"en-GB", "es-ES", true}, {"es", "en", true},
		{"en", "ca", a.Supports("en", "ca")}, {"en", "fa", false}, {"xx", "es", false},
	}
	for _, tt := range tests {
		if got := a.Supports(tt.from, tt.to); got != tt.want {
			t.Errorf("Supports(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
	_, err := a.Translate(context.Background(), "en", "fa", []Segment{{Text: "Hello"}})
	if content.ErrorCode(err) != content.EINVALID || !strings.Contains(content.ErrorMessage(err), "apertium does not support en to fa") {
		t.Fatalf("missing pair: err = %v", err)
	}
}

func TestApertium_Errors(t *testing.T) {
	needApertium(t, "en", "es")
	ctx := context.Background()
	t.Run("ErrTimeout", func(t *testing.T) {
		a := &Apertium{Timeout: time.Nanosecond}
		_, err := a.Translate(ctx, "en", "es", []Segment{{Text: "Hello"}})
		if msg := content.ErrorMessage(err); !strings.Contains(msg, "apertium from en to es failed: timed out") {
			t.Fatalf("err = %v (message %q)", err, msg)
		}
	})
	t.Run("ErrMissingProgram", func(t *testing.T) {
		a := &Apertium{Command: "/nonexistent/apertium"}
		_, err := a.Translate(ctx, "en", "es", []Segment{{Text: "Hello"}})
		if msg := content.ErrorMessage(err); !strings.Contains(msg, "apertium from en to es failed: the apertium program is not available") {
			t.Fatalf("err = %v (message %q)", err, msg)
		}
	})
	t.Run("Batches", func(t *testing.T) {
		a := &Apertium{BatchBytes: 30}
		segs := []Segment{{Text: "The house."}, {Text: "The dog."}, {Text: "The cat."}}
		out, err := a.Translate(ctx, "en", "es", segs)
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != 3 || !strings.Contains(out[0], "casa") || !strings.Contains(out[1], "perro") || !strings.Contains(out[2], "gato") {
			t.Fatalf("out = %q", out)
		}
	})
}

// TestApertium_DebianEnglishPairs translates one sentence with every
// English pair Debian ships (scripts/test-deps.sh installs them) and checks
// the pair list the request form offers includes each.
func TestApertium_DebianEnglishPairs(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		pkg, from, to, text, want string
	}{
		{"apertium-eng-spa", "en", "es", "The black dog sleeps in the house.", "casa"},
		{"apertium-eng-cat", "en", "ca", "The black dog sleeps in the house.", "casa"},
		{"apertium-en-gl", "en", "gl", "The black dog sleeps in the house.", "casa"},
		{"apertium-eu-en", "eu", "en", "Etxea handia da.", "house"},
		{"apertium-hbs-eng", "hr", "en", "Kuća je velika.", "House"},
		{"apertium-hbs-eng", "sr", "en", "Kuća je velika.", "House"},
		{"apertium-isl-eng", "is", "en", "Húsið er stórt.", "house"},
		{"apertium-mkd-eng", "mk", "en", "Куќата е голема.", "house"},
		{"apertium-eo-en", "eo", "en", "La domo estas granda.", "house"},
	}
	for _, tt := range tests {
		t.Run(tt.pkg+"/"+tt.from+"-"+tt.to, func(t *testing.T) {
			a := needApertium(t, tt.from, tt.to)
			out, err := a.Translate(ctx, tt.from, tt.to, []Segment{{Text: tt.text}})
			if err != nil {
				t.Fatal(err)
			}
			if len(out) != 1 || !strings.Contains(out[0], tt.want) {
				t.Fatalf("%s→%s %q = %q, want it to contain %q", tt.from, tt.to, tt.text, out, tt.want)
			}
			pairs, err := a.Pairs()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(pairs, Pair{tt.from, tt.to}) {
				t.Errorf("Pairs() lacks %s→%s: %v", tt.from, tt.to, pairs)
			}
		})
	}
	a := &Apertium{}
	if a.Supports("en", "ja") {
		t.Error("Supports(en, ja) with no such pair installed")
	}
}

package importer

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Report says what an import did (or, in a dry run, would do).
type Report struct {
	Source   string            // "wordpress", "ghost", "folio"
	DryRun   bool              // nothing was written
	Counts   map[string]*Count // per kind: article, page, author, term, media, comment, redirect
	Warnings []Warning         // in input order
	// Withheld are the items the source kept from the public (private,
	// password-protected): imported as drafts, so an editor decides.
	Withheld []Withheld
	seen     map[string]struct{} // suppresses repeated identical warnings
}

// Count is what happened to the items of one kind.
type Count struct {
	Created, Updated, Unchanged, Skipped int
}

// Warning is a problem that did not stop the import.
type Warning struct {
	Item    int    // 1-based position of the item in the input; 0 for the file as a whole
	ID      string // the item's id in the source, when it has one
	Message string
}

// Withheld is an item imported unpublished because the source did not
// show it to everyone.
type Withheld struct {
	Item   int
	ID     string
	Title  string
	Reason string // "private", "password-protected", "members-only" …
}

func (r *Report) withhold(item int, id, title, reason string) {
	r.Withheld = append(r.Withheld, Withheld{Item: item, ID: id, Title: title, Reason: reason})
}

func (w Warning) String() string {
	switch {
	case w.Item == 0:
		return w.Message
	case w.ID != "":
		return fmt.Sprintf("item %d (id %s): %s", w.Item, w.ID, w.Message)
	}
	return fmt.Sprintf("item %d: %s", w.Item, w.Message)
}

func newReport(source string, dry bool) *Report {
	return &Report{Source: source, DryRun: dry, Counts: map[string]*Count{}, seen: map[string]struct{}{}}
}

// count returns the counter of kind, creating it.
func (r *Report) count(kind string) *Count {
	c := r.Counts[kind]
	if c == nil {
		c = &Count{}
		r.Counts[kind] = c
	}
	return c
}

func (r *Report) warn(item int, id, format string, args ...any) {
	w := Warning{Item: item, ID: id, Message: fmt.Sprintf(format, args...)}
	k := w.String()
	if _, dup := r.seen[k]; dup {
		return
	}
	r.seen[k] = struct{}{}
	r.Warnings = append(r.Warnings, w)
}

// WriteTo prints the report as a small table followed by the warnings.
func (r *Report) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	title := r.Source + " import"
	if r.DryRun {
		title += " (dry run: nothing was written)"
	}
	fmt.Fprintf(&b, "%s\n%-10s %8s %8s %10s %8s\n", title, "kind", "created", "updated", "unchanged", "skipped")
	kinds := make([]string, 0, len(r.Counts))
	for k := range r.Counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		c := r.Counts[k]
		fmt.Fprintf(&b, "%-10s %8d %8d %10d %8d\n", k, c.Created, c.Updated, c.Unchanged, c.Skipped)
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintf(&b, "\n%d warning(s):\n", len(r.Warnings))
		for _, wn := range r.Warnings {
			fmt.Fprintf(&b, "  %s\n", wn)
		}
	}
	if len(r.Withheld) > 0 {
		fmt.Fprintf(&b, "\n%d item(s) not public in the source, imported as drafts:\n", len(r.Withheld))
		for _, h := range r.Withheld {
			fmt.Fprintf(&b, "  item %d (id %s): %s: %q\n", h.Item, h.ID, h.Reason, h.Title)
		}
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

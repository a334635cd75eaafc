package demo

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"

	"folio/internal/content"
)

// The demo's text formats: "key: value" lines, blank-line separated records,
// # comments, and errors that name the file and line.

// fileError is an error located in a data file.
func fileError(name string, line int, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		return fmt.Errorf("demo: %s line %d: %s", name, line, msg)
	}
	return fmt.Errorf("demo: %s: %s", name, msg)
}

var keyRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-zA-Z0-9-]+)*$`)

// splitKV splits a "key: value" line.
func splitKV(line string) (key, value string, ok bool) {
	k, v, found := strings.Cut(line, ":")
	k = strings.TrimSpace(k)
	if !found || !keyRE.MatchString(k) {
		return "", "", false
	}
	v = strings.TrimSpace(v)
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1] // optional quotes, for values that read better quoted
	}
	return k, v, true
}

// splitList splits a comma-separated value, dropping empty items.
func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// parseLink parses "Label | https://...".
func parseLink(v string) (content.Link, bool) {
	label, url, ok := strings.Cut(v, "|")
	if !ok {
		return content.Link{}, false
	}
	return content.Link{Label: strings.TrimSpace(label), URL: strings.TrimSpace(url)}, true
}

func isComment(line string) bool {
	t := strings.TrimSpace(line)
	return t == "" || strings.HasPrefix(t, "#")
}

func readLines(fsys fs.FS, name string) ([]string, error) {
	b, err := fs.ReadFile(fsys, "data/"+name)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	s = strings.TrimPrefix(s, "\uFEFF")
	return strings.Split(s, "\n"), nil
}

// ---- images ----

type field struct {
	key, value string
	line       int
}

type record struct {
	header string
	line   int
	fields []field
}

// readRecords parses a file of "--- header" records, each followed by
// "key: value" lines.
func readRecords(fsys fs.FS, name string) ([]*record, error) {
	lines, err := readLines(fsys, name)
	if err != nil {
		return nil, err
	}
	var recs []*record
	var cur *record
	for i, line := range lines {
		n := i + 1
		if strings.HasPrefix(line, "---") {
			h := strings.TrimSpace(strings.TrimPrefix(line, "---"))
			if h == "" {
				return nil, fileError(name, n, "record header needs a name after \"---\"")
			}
			cur = &record{header: h, line: n}
			recs = append(recs, cur)
			continue
		}
		if isComment(line) {
			continue
		}
		key, v, ok := splitKV(line)
		if !ok {
			return nil, fileError(name, n, "want \"key: value\", got %q", line)
		}
		if cur == nil {
			return nil, fileError(name, n, "key %q before the first \"--- \" record header", key)
		}
		cur.fields = append(cur.fields, field{key, v, n})
	}
	return recs, nil
}

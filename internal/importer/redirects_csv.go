package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"folio/internal/content"
	"folio/internal/store"
)

// Limits of a redirects CSV: a site moving from another system brings a
// few thousand old addresses; a file far past these is a mistake.
const (
	MaxRedirectsBytes = 1 << 20
	MaxRedirectRows   = 20000
)

// ParseRedirectsCSV reads redirects, one a line: from,to[,status]. A first
// line "from,to[,status]" is a header and skipped. The status is 301 when
// empty; 410 (gone) takes no target. Every line is checked before any is
// returned, and the error names each bad line (the first 20), so an import
// is all or nothing.
func ParseRedirectsCSV(r io.Reader) ([]*content.Redirect, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxRedirectsBytes+1))
	if err != nil {
		return nil, content.Errorf(content.EINVALID, "redirects file: %v", err)
	}
	if len(data) > MaxRedirectsBytes {
		return nil, content.Errorf(content.ETOOLARGE, "redirects file: larger than %d KiB", MaxRedirectsBytes>>10)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var rows []*content.Redirect
	var problems []error
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, content.Errorf(content.EINVALID, "redirects file: line %d: %v", line, errors.Unwrap(err))
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if len(rows) == 0 && len(problems) == 0 && len(seen) == 0 && strings.EqualFold(rec[0], "from") {
			continue // header
		}
		if len(rec) == 1 && rec[0] == "" {
			continue
		}
		if len(rows) >= MaxRedirectRows {
			return nil, content.Errorf(content.ETOOLARGE, "redirects file: more than %d redirects", MaxRedirectRows)
		}
		rd, err := redirectRow(rec)
		if err != nil {
			problems = append(problems, fmt.Errorf("line %d: %w", line, err))
			continue
		}
		if first, dup := seen[rd.From]; dup {
			problems = append(problems, fmt.Errorf("line %d: %s is also on line %d", line, rd.From, first))
			continue
		}
		seen[rd.From] = line
		rows = append(rows, rd)
	}
	if len(problems) > 0 {
		if len(problems) > 20 {
			problems = append(problems[:20], fmt.Errorf("and %d more", len(problems)-20))
		}
		return nil, &content.Error{Code: content.EINVALID, Message: "redirects file: " + errors.Join(problems...).Error()}
	}
	if len(rows) == 0 {
		return nil, content.Errorf(content.EINVALID, "redirects file: no redirects in it")
	}
	return rows, nil
}

// redirectRow turns one record into a redirect and checks it with the
// store's own rule, plus a target a browser can follow safely.
func redirectRow(rec []string) (*content.Redirect, error) {
	if len(rec) < 2 || len(rec) > 3 {
		return nil, fmt.Errorf("want from,to[,status], got %d fields", len(rec))
	}
	rd := &content.Redirect{From: rec[0], To: rec[1], Status: 301}
	if len(rec) == 3 && rec[2] != "" {
		n, err := strconv.Atoi(rec[2])
		if err != nil {
			return nil, fmt.Errorf("status %q is not a number", rec[2])
		}
		rd.Status = n
	}
	if err := CheckRedirect(rd); err != nil {
		return nil, err
	}
	return rd, nil
}

// CheckRedirect validates a redirect an editor typed or imported: the
// store's rule (a local path, a status, a target unless gone) and a target
// that is a path on this site or an http(s) address.
func CheckRedirect(rd *content.Redirect) error {
	if err := store.ValidateRedirect(rd); err != nil {
		return errors.New(problemText(err))
	}
	if rd.To != "" && !strings.HasPrefix(rd.To, "/") && !strings.HasPrefix(rd.To, "https://") && !strings.HasPrefix(rd.To, "http://") {
		return fmt.Errorf("to: %q must be a path starting with / or an http(s) address", rd.To)
	}
	if strings.HasPrefix(rd.From, "//") || strings.ContainsAny(rd.From, " \t\r\n") {
		return fmt.Errorf("from: %q is not a path on this site", rd.From)
	}
	if strings.HasPrefix(rd.To, "//") || strings.ContainsAny(rd.To, " \t\r\n") {
		return fmt.Errorf("to: %q is not a usable address", rd.To)
	}
	return nil
}

// problemText flattens a validation error's fields into one sentence:
// "from: … ; to: …", in a stable order.
func problemText(err error) string {
	f := content.ErrorFields(err)
	if len(f) == 0 {
		return content.ErrorMessage(err)
	}
	var parts []string
	for _, k := range []string{"from", "to", "status"} {
		if m, ok := f[k]; ok {
			parts = append(parts, k+": "+m)
		}
	}
	return strings.Join(parts, "; ")
}

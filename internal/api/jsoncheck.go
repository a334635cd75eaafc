package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"folio/internal/content"
)

// maxJSONDepth bounds how deeply a request body nests: no resource of the
// API goes deeper than a few levels, and a deep body only costs work.
const maxJSONDepth = 32

// checkJSON walks a syntactically valid body once and refuses, naming the
// field, strings that are not valid UTF-8 (raw bytes or lone surrogate
// escapes, which the decoder would silently turn into U+FFFD) and nesting
// deeper than maxJSONDepth.
func checkJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	type level struct {
		object bool
		key    string // object: the current member's name
		index  int    // array: the current element's index
		inKey  bool   // object: the next string is a key
	}
	var stack []level
	path := func() string {
		var sb strings.Builder
		for _, l := range stack {
			switch {
			case l.object && l.key != "":
				if sb.Len() > 0 {
					sb.WriteByte('.')
				}
				sb.WriteString(l.key)
			case !l.object:
				sb.WriteString("[" + strconv.Itoa(l.index) + "]")
			}
		}
		return sb.String()
	}
	// afterValue moves the enclosing level past one member or element.
	afterValue := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].object {
				stack[n-1].inKey = true
			} else {
				stack[n-1].index++
			}
		}
	}
	offset := 0
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return nil // readBody reports syntax errors itself
		}
		end := dec.InputOffset()
		offset = int(end)
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if len(stack) >= maxJSONDepth {
					return fieldError(path(), fmt.Sprintf("nests deeper than %d levels (at byte offset %d)", maxJSONDepth, offset))
				}
				stack = append(stack, level{object: t == '{', inKey: t == '{'})
			case '}', ']':
				stack = stack[:len(stack)-1]
				afterValue()
			}
		case string:
			raw := b[start:end]
			if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].inKey {
				stack[n-1].key, stack[n-1].inKey = t, false
				if !validString(raw, t) {
					return fieldError(path(), "has a name that is not valid UTF-8")
				}
				continue
			}
			if !validString(raw, t) {
				return fieldError(path(), "is not valid UTF-8")
			}
			afterValue()
		default:
			afterValue()
		}
	}
}

// validString reports whether a JSON string token decoded to s from raw
// holds only valid UTF-8: no invalid bytes, and no U+FFFD the decoder made
// from a lone surrogate escape (one written as such, literally or as
// \ufffd, is kept).
func validString(raw []byte, s string) bool {
	if !utf8.Valid(raw) {
		return false
	}
	if !strings.ContainsRune(s, utf8.RuneError) {
		return true
	}
	lower := bytes.ToLower(raw)
	return bytes.Count(lower, []byte(`\ufffd`))+strings.Count(string(raw), "\uFFFD") >= strings.Count(s, "\uFFFD")
}

func fieldError(path, problem string) error {
	if path == "" {
		return badRequest("request body %s", problem)
	}
	return &content.Error{Code: codeBadRequest, Message: fmt.Sprintf("field %q %s", path, problem),
		Fields: map[string]string{path: problem}}
}

package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"

	"folio/internal/content"
)

// writeJSON encodes v before touching the response, so an encoding failure
// can still become a clean 500.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(`{"error":{"code":"internal","message":"Internal error."}}`)
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// isJSON reports whether a Content-Type names JSON (application/json or any
// application/*+json such as merge-patch+json).
func isJSON(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// readBody reads the whole JSON body, at most a.maxBody bytes, and checks it
// is one JSON value. optional lets an empty body through as nil.
func (a *API) readBody(w http.ResponseWriter, r *http.Request, optional bool) (json.RawMessage, error) {
	r.Body = http.MaxBytesReader(w, r.Body, a.maxBody)
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, fmt.Errorf("api: read body: %w", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		if optional {
			return nil, nil
		}
		if !isJSON(r.Header.Get("Content-Type")) {
			return nil, content.Errorf(codeUnsupportedMedia, "Content-Type must be application/json")
		}
		return nil, badRequest("request body is empty; send a JSON object")
	}
	if !isJSON(r.Header.Get("Content-Type")) {
		return nil, content.Errorf(codeUnsupportedMedia, "Content-Type must be application/json, not %q", r.Header.Get("Content-Type"))
	}
	// Before decoding: the decoder's own depth limit names no field.
	if err := checkJSON(b); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		var syn *json.SyntaxError
		switch {
		case errors.As(err, &syn):
			return nil, badRequest("malformed JSON at byte offset %d: %s", syn.Offset, strings.TrimPrefix(syn.Error(), "json: "))
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, badRequest("malformed JSON: unexpected end of input at byte offset %d", len(b))
		}
		return nil, badRequest("malformed JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badRequest("malformed JSON: unexpected data after the value at byte offset %d", dec.InputOffset())
	}
	return raw, nil
}

// decodeInto decodes raw onto v (a pointer), strictly: objects may hold only
// the struct's JSON fields, every wrong type is reported with its field path,
// and fields absent from raw keep their current values (so decoding onto a
// loaded record applies a patch). null sets pointers, slices and maps to nil.
func decodeInto(raw json.RawMessage, v any) error {
	return decodeValue(raw, reflect.ValueOf(v).Elem(), "")
}

var (
	timeType        = reflect.TypeFor[time.Time]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

func decodeValue(raw json.RawMessage, v reflect.Value, path string) error {
	t := v.Type()
	switch {
	case t.Kind() == reflect.Pointer:
		if isNull(raw) {
			v.SetZero()
			return nil
		}
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		return decodeValue(raw, v.Elem(), path)
	case t == timeType || reflect.PointerTo(t).Implements(unmarshalerType):
		if isNull(raw) {
			return nil
		}
		if err := json.Unmarshal(raw, v.Addr().Interface()); err != nil {
			return typeError(path, t)
		}
		return nil
	case t.Kind() == reflect.Struct:
		if isNull(raw) {
			return nil
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			return typeError(path, t)
		}
		fields := jsonFields(t)
		var unknown []string
		for k := range obj {
			if _, ok := fields[k]; !ok {
				unknown = append(unknown, join(path, k))
			}
		}
		if len(unknown) > 0 {
			return unknownFields(unknown)
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if err := decodeValue(obj[k], v.FieldByIndex(fields[k]), join(path, k)); err != nil {
				return err
			}
		}
		return nil
	case t.Kind() == reflect.Slice:
		if isNull(raw) {
			v.SetZero()
			return nil
		}
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return typeError(path, t)
		}
		s := reflect.MakeSlice(t, len(items), len(items))
		for i, item := range items {
			if err := decodeValue(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	default:
		// Scalars and maps: a fresh value, so a map is replaced, not merged.
		if isNull(raw) && t.Kind() == reflect.Map {
			v.SetZero()
			return nil
		}
		p := reflect.New(t)
		if err := json.Unmarshal(raw, p.Interface()); err != nil {
			return typeError(path, t)
		}
		v.Set(p.Elem())
		return nil
	}
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// jsonFields maps the JSON names of t's exported fields, embedded structs
// flattened, to their indexes.
func jsonFields(t reflect.Type) map[string][]int {
	out := map[string][]int{}
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || (f.Anonymous && f.Type.Kind() == reflect.Struct) {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Index
	}
	return out
}

func unknownFields(names []string) error {
	slices.Sort(names)
	quoted := make([]string, len(names))
	fields := map[string]string{}
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
		fields[n] = "is not a known field"
	}
	word := "field"
	if len(names) > 1 {
		word = "fields"
	}
	return &content.Error{Code: codeBadRequest, Message: "unknown " + word + " " + strings.Join(quoted, ", "), Fields: fields}
}

func typeError(path string, t reflect.Type) error {
	want := describe(t)
	if path == "" {
		return badRequest("request body must be %s", want)
	}
	return &content.Error{Code: codeBadRequest, Message: fmt.Sprintf("field %q must be %s", path, want),
		Fields: map[string]string{path: "must be " + want}}
}

func describe(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return "an RFC 3339 time such as \"2026-11-05T09:00:00Z\""
	case t.Kind() == reflect.String:
		return "a string"
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return "an integer"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return "a number"
	case t.Kind() == reflect.Slice:
		return "an array of " + strings.TrimPrefix(strings.TrimPrefix(describe(t.Elem()), "a "), "an ") + "s"
	case t.Kind() == reflect.Map:
		return "an object of " + strings.TrimPrefix(strings.TrimPrefix(describe(t.Elem()), "a "), "an ") + "s"
	}
	return "an object"
}

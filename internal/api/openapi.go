package api

import (
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"folio/internal/content"
)

// Schema names of the Go types the API reads and writes. Types not listed
// are inlined where they appear.
var schemaNames = map[reflect.Type]string{
	reflect.TypeFor[articleOutput]():      "Article",
	reflect.TypeFor[articleInput]():       "ArticleInput",
	reflect.TypeFor[imageInput]():         "ImageInput",
	reflect.TypeFor[publishInput]():       "PublishInput",
	reflect.TypeFor[content.Image]():      "Image",
	reflect.TypeFor[authorOutput]():       "Author",
	reflect.TypeFor[content.Author]():     "AuthorRef", // authors inside an article
	reflect.TypeFor[authorInput]():        "AuthorInput",
	reflect.TypeFor[content.Link]():       "Link",
	reflect.TypeFor[content.Term]():       "Term",
	reflect.TypeFor[termInput]():          "TermInput",
	reflect.TypeFor[settingsOutput]():     "Settings",
	reflect.TypeFor[content.Settings]():   "SettingsInput",
	reflect.TypeFor[content.Notices]():    "Notices",
	reflect.TypeFor[mediaOutput]():        "Media",
	reflect.TypeFor[mediaInput]():         "MediaInput",
	reflect.TypeFor[errorBody]():          "Error",
	reflect.TypeFor[articleList]():        "ArticleList",
	reflect.TypeFor[authorList]():         "AuthorList",
	reflect.TypeFor[termList]():           "TermList",
	reflect.TypeFor[mediaList]():          "MediaList",
	reflect.TypeFor[content.MenuItem]():   "MenuItem", // recursive: children are items
	reflect.TypeFor[content.Menus]():      "Menus",
	reflect.TypeFor[content.Banner]():     "Banner",
	reflect.TypeFor[content.SEO]():        "SEO",
	reflect.TypeFor[content.Correction](): "Correction",
}

// inputTypes are request bodies: no field is required and unknown fields
// are rejected.
var inputTypes = map[reflect.Type]bool{
	reflect.TypeFor[articleInput](): true, reflect.TypeFor[imageInput](): true, reflect.TypeFor[publishInput](): true,
	reflect.TypeFor[authorInput](): true, reflect.TypeFor[termInput](): true, reflect.TypeFor[content.Settings](): true,
	reflect.TypeFor[content.Notices](): true, reflect.TypeFor[mediaInput](): true,
}

// enums lists the allowed values of string types.
var enums = map[reflect.Type][]string{
	reflect.TypeFor[content.Status]():   statusNames(),
	reflect.TypeFor[content.TermKind](): kindNames(),
	reflect.TypeFor[content.Access]():   accessNames(),
	reflect.TypeFor[content.Type]():     {string(content.TypeArticle), string(content.TypePage)},
	// Empty is allowed too: the type is then read from the credit.
	reflect.TypeFor[content.CreditType](): creditTypeNames(),
	reflect.TypeFor[webhookEvent]():       content.WebhookEvents,
}

func creditTypeNames() []string {
	out := []string{""}
	for _, c := range content.CreditTypes {
		out = append(out, string(c))
	}
	return out
}

func accessNames() []string {
	out := make([]string, len(content.AccessLevels))
	for i, a := range content.AccessLevels {
		out[i] = string(a)
	}
	return out
}

// schemaBuilder turns Go types into JSON Schema (the 2020-12 dialect
// OpenAPI 3.1 uses), collecting named types under components.
type schemaBuilder struct {
	components map[string]any
}

func (sb *schemaBuilder) schema(t reflect.Type) map[string]any {
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	if name, ok := schemaNames[t]; ok {
		if _, done := sb.components[name]; !done {
			sb.components[name] = nil // reserve against recursion
			sb.components[name] = sb.build(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return sb.build(t)
}

func (sb *schemaBuilder) build(t reflect.Type) map[string]any {
	switch t.Kind() {
	case reflect.Pointer:
		inner := sb.schema(t.Elem())
		if typ, ok := inner["type"].(string); ok {
			inner["type"] = []string{typ, "null"}
			return inner
		}
		return map[string]any{"anyOf": []any{inner, map[string]any{"type": "null"}}}
	case reflect.String:
		s := map[string]any{"type": "string"}
		if e, ok := enums[t]; ok {
			s["enum"] = e
		}
		return s
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		s := map[string]any{"type": "integer"}
		if t.Kind() == reflect.Int64 {
			s["format"] = "int64"
		}
		return s
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		elem := t.Elem()
		if elem.Kind() == reflect.Pointer {
			elem = elem.Elem() // lists never hold nulls
		}
		return map[string]any{"type": "array", "items": sb.schema(elem)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": sb.schema(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		props := map[string]any{}
		var required []string
		for _, f := range reflect.VisibleFields(t) {
			if !f.IsExported() || (f.Anonymous && f.Type.Kind() == reflect.Struct) ||
				(f.Anonymous && f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct) {
				continue
			}
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			props[name] = sb.schema(f.Type)
			if !inputTypes[t] && !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
				required = append(required, name)
			}
		}
		s := map[string]any{"type": "object", "properties": props}
		if len(required) > 0 {
			slices.Sort(required)
			s["required"] = required
		}
		if inputTypes[t] {
			s["additionalProperties"] = false
		}
		return s
	}
	panic(fmt.Sprintf("api: no schema for %v", t))
}

var pathParamRE = regexp.MustCompile(`\{([a-z_]+)\}`)

var statusText = map[int]string{
	400: "Malformed JSON, a value of the wrong type, an unknown field or a bad query parameter.",
	401: "Missing or invalid bearer token.",
	404: "No such resource.",
	409: "A slug or other unique value is taken, or the change would break a rule.",
	413: "The body or file is too large.",
	415: "The body is not of the required Content-Type.",
	422: "The values are invalid; fields names each problem.",
	429: "Too many requests from this client; wait for Retry-After seconds.",
	500: "Internal error.",
}

// openAPIDocument describes every route in rts. serverURL is the site's
// base URL.
func openAPIDocument(rts []route, serverURL string) map[string]any {
	sb := &schemaBuilder{components: map[string]any{}}
	sb.schema(reflect.TypeFor[errorBody]())
	paths := map[string]any{}
	for _, rt := range rts {
		item, _ := paths[rt.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[rt.Path] = item
		}
		item[strings.ToLower(rt.Method)] = operation(sb, rt)
	}
	responses := map[string]any{}
	for code, text := range statusText {
		responses[strconv.Itoa(code)] = map[string]any{
			"description": text,
			"content":     map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}},
		}
	}
	return map[string]any{
		"openapi":           "3.1.0",
		"jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
		"info": map[string]any{
			"title":       "Folio API",
			"version":     "1",
			"description": "JSON API of a Folio publication. Send a token as \"Authorization: Bearer <token>\". Lists page with limit and the opaque next_cursor.",
		},
		"servers":  []any{map[string]any{"url": serverURL}},
		"security": []any{map[string]any{"bearerAuth": []string{}}},
		"paths":    paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"bearerAuth": map[string]any{"type": "http", "scheme": "bearer", "description": "An API token: \"folio_\" and 43 base64url characters."},
			},
			"schemas":   sb.components,
			"responses": responses,
		},
	}
}

func operation(sb *schemaBuilder, rt route) map[string]any {
	op := map[string]any{"operationId": rt.OpID, "summary": rt.Summary}
	var params []any
	for _, m := range pathParamRE.FindAllStringSubmatch(rt.Path, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true,
			"schema": map[string]any{"type": "integer", "format": "int64", "minimum": 1}})
	}
	for _, p := range rt.Query {
		s := map[string]any{"type": p.Type}
		if p.Enum != nil {
			s["enum"] = p.Enum
			if p.Name == "status" {
				// A comma-separated list of those values.
				s = map[string]any{"type": "string", "description": "Comma-separated: " + strings.Join(p.Enum, ", ")}
			}
		}
		params = append(params, map[string]any{"name": p.Name, "in": "query", "description": p.Description, "schema": s})
	}
	if params != nil {
		op["parameters"] = params
	}
	switch {
	case rt.Upload:
		str := map[string]any{"type": "string"}
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"multipart/form-data": map[string]any{
			"schema": map[string]any{"type": "object", "required": []string{"file"}, "properties": map[string]any{
				"file": map[string]any{"type": "string", "contentMediaType": "application/octet-stream", "description": "A JPEG, PNG, GIF, WebP or SVG image (SVG is sanitized), a PDF document, or MP3, OGG or M4A audio."},
				"alt":  str, "caption": str, "credit": str,
				"credit_url":  map[string]any{"type": "string", "format": "uri"},
				"credit_type": map[string]any{"type": "string", "enum": creditTypeNames()},
			}},
		}}}
	case rt.Body != nil:
		op["requestBody"] = map[string]any{"required": !rt.BodyOpt, "content": map[string]any{
			"application/json": map[string]any{"schema": sb.schema(reflect.TypeOf(rt.Body))}}}
	}
	resp := map[string]any{}
	ok := map[string]any{"description": http.StatusText(rt.Status)}
	if rt.Resp != nil {
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": sb.schema(reflect.TypeOf(rt.Resp))}}
	}
	resp[strconv.Itoa(rt.Status)] = ok
	errs := append([]int{500}, rt.Errors...)
	if !rt.Public {
		errs = append(errs, 401)
	}
	for _, code := range errs {
		resp[strconv.Itoa(code)] = map[string]any{"$ref": "#/components/responses/" + strconv.Itoa(code)}
	}
	op["responses"] = resp
	if rt.Public {
		op["security"] = []any{}
	}
	return op
}

func (a *API) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	server := "/"
	if s, err := a.settings(r.Context()); err == nil && s.BaseURL != "" {
		server = strings.TrimRight(s.BaseURL, "/")
	}
	// The document is the same for every request but the server URL.
	a.docOnce.Do(func() { a.doc = openAPIDocument(a.routes, "") })
	doc := make(map[string]any, len(a.doc))
	for k, v := range a.doc {
		doc[k] = v
	}
	doc["servers"] = []any{map[string]any{"url": server}}
	writeJSON(w, http.StatusOK, doc)
	return nil
}

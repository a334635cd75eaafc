package api

import (
	"net/http"
	"slices"
	"strings"

	"folio/internal/content"
)

// handlerFunc is a route handler; errors go to writeError.
type handlerFunc func(a *API, w http.ResponseWriter, r *http.Request) error

// route is one entry of the API. The same table registers handlers and
// builds the OpenAPI document, so the two cannot drift apart.
type route struct {
	Method  string
	Path    string // ServeMux path pattern, also the OpenAPI path
	Handle  handlerFunc
	Public  bool // no token needed
	Summary string
	Query   []param
	Body    any    // zero value of the JSON request body type; nil for none
	BodyOpt bool   // the body may be omitted
	Upload  bool   // multipart/form-data upload instead of JSON
	Status  int    // success status
	Resp    any    // zero value of the success response type; nil for no body
	Errors  []int  // error statuses beyond 401 and 500
	OpID    string // OpenAPI operationId
}

type param struct {
	Name, Description string
	Type              string // "string" or "integer"
	Enum              []string
}

var (
	limitParam  = param{"limit", "Items per page, 1 to 100 (default 20).", "integer", nil}
	cursorParam = param{"cursor", "The next_cursor of the previous page.", "string", nil}
)

func statusNames() []string {
	out := make([]string, len(content.Statuses))
	for i, s := range content.Statuses {
		out[i] = string(s)
	}
	return out
}

func kindNames() []string {
	out := make([]string, len(content.TermKinds))
	for i, k := range content.TermKinds {
		out[i] = string(k)
	}
	return out
}

const (
	articlesPath = "/api/v1/articles"
	authorsPath  = "/api/v1/authors"
	termsPath    = "/api/v1/terms"
	settingsPath = "/api/v1/settings"
	mediaPath    = "/api/v1/media"
	openAPIPath  = "/api/v1/openapi.json"
)

// Error statuses common to groups of routes.
var (
	readErrs   = []int{404}
	listErrs   = []int{400}
	createErrs = []int{400, 409, 413, 415, 422}
	patchErrs  = []int{400, 404, 409, 413, 415, 422}
)

// routes is every route of the API.
var routes = []route{
	{Method: "GET", Path: openAPIPath, Handle: (*API).handleOpenAPI, Public: true, OpID: "getOpenAPI",
		Summary: "This OpenAPI 3.1 document.", Status: 200, Resp: map[string]any{}},
	{Method: "GET", Path: searchPath, Handle: (*API).handleSearch, Public: true, OpID: "search",
		Summary: "Search the public archive in every language, as readers do.", Status: 200, Resp: searchOutput{},
		Query: searchParams, Errors: []int{400, 404, 429}},

	{Method: "POST", Path: articlesPath, Handle: (*API).handleArticleCreate, OpID: "createArticle",
		Summary: "Create an article.", Body: articleInput{}, Status: 201, Resp: articleOutput{}, Errors: createErrs},
	{Method: "GET", Path: articlesPath, Handle: (*API).handleArticleList, OpID: "listArticles",
		Summary: "List articles, newest first.", Status: 200, Resp: articleList{}, Errors: listErrs, Query: []param{
			{"status", "Only these statuses, comma-separated.", "string", statusNames()},
			{"type", "article (the default), page, or any for both.", "string", []string{"article", "page", "any"}},
			{"author", "Only articles by this author ID.", "integer", nil},
			{"term", "Only articles carrying this term ID.", "integer", nil},
			{"language", "Only articles in this BCP 47 language.", "string", nil},
			{"q", "Only articles whose title contains this text.", "string", nil},
			limitParam, cursorParam,
		}},
	{Method: "GET", Path: articlesPath + "/{id}", Handle: (*API).handleArticleShow, OpID: "getArticle",
		Summary: "Get an article.", Status: 200, Resp: articleOutput{}, Errors: readErrs},
	{Method: "PATCH", Path: articlesPath + "/{id}", Handle: (*API).handleArticlePatch, OpID: "updateArticle",
		Summary: "Change the fields present in the body.", Body: articleInput{}, Status: 200, Resp: articleOutput{}, Errors: patchErrs},
	{Method: "DELETE", Path: articlesPath + "/{id}", Handle: (*API).handleArticleDelete, OpID: "deleteArticle",
		Summary: "Delete an article; a public one leaves a 410 behind.", Status: 204, Errors: readErrs},
	{Method: "POST", Path: articlesPath + "/{id}/publish", Handle: (*API).handleArticlePublish, OpID: "publishArticle",
		Summary: "Publish now, or schedule with a future \"at\".", Body: publishInput{}, BodyOpt: true,
		Status: 200, Resp: articleOutput{}, Errors: []int{400, 404, 413, 415, 422}},
	{Method: "POST", Path: articlesPath + "/{id}/unpublish", Handle: (*API).handleArticleUnpublish, OpID: "unpublishArticle",
		Summary: "Take an article off the site, back to draft.", Status: 200, Resp: articleOutput{}, Errors: readErrs},

	{Method: "POST", Path: authorsPath, Handle: (*API).handleAuthorCreate, OpID: "createAuthor",
		Summary: "Create an author.", Body: authorInput{}, Status: 201, Resp: authorOutput{}, Errors: createErrs},
	{Method: "GET", Path: authorsPath, Handle: (*API).handleAuthorList, OpID: "listAuthors",
		Summary: "List authors by name.", Status: 200, Resp: authorList{}, Errors: listErrs, Query: []param{limitParam, cursorParam}},
	{Method: "GET", Path: authorsPath + "/{id}", Handle: (*API).handleAuthorShow, OpID: "getAuthor",
		Summary: "Get an author.", Status: 200, Resp: authorOutput{}, Errors: readErrs},
	{Method: "PATCH", Path: authorsPath + "/{id}", Handle: (*API).handleAuthorPatch, OpID: "updateAuthor",
		Summary: "Change the fields present in the body.", Body: authorInput{}, Status: 200, Resp: authorOutput{}, Errors: patchErrs},
	{Method: "DELETE", Path: authorsPath + "/{id}", Handle: (*API).handleAuthorDelete, OpID: "deleteAuthor",
		Summary: "Delete an author who is not the only author of an article.", Status: 204, Errors: []int{404, 409}},

	{Method: "POST", Path: termsPath, Handle: (*API).handleTermCreate, OpID: "createTerm",
		Summary: "Create a region, theme, dossier or tag.", Body: termInput{}, Status: 201, Resp: content.Term{}, Errors: createErrs},
	{Method: "GET", Path: termsPath, Handle: (*API).handleTermList, OpID: "listTerms",
		Summary: "List terms by kind, then name.", Status: 200, Resp: termList{}, Errors: listErrs, Query: []param{
			{"kind", "Only terms of this kind.", "string", kindNames()}, limitParam, cursorParam}},
	{Method: "GET", Path: termsPath + "/{id}", Handle: (*API).handleTermShow, OpID: "getTerm",
		Summary: "Get a term.", Status: 200, Resp: content.Term{}, Errors: readErrs},
	{Method: "PATCH", Path: termsPath + "/{id}", Handle: (*API).handleTermPatch, OpID: "updateTerm",
		Summary: "Change the fields present in the body.", Body: termInput{}, Status: 200, Resp: content.Term{}, Errors: patchErrs},
	{Method: "DELETE", Path: termsPath + "/{id}", Handle: (*API).handleTermDelete, OpID: "deleteTerm",
		Summary: "Delete a term and remove it from its articles.", Status: 204, Errors: readErrs},

	{Method: "GET", Path: settingsPath, Handle: (*API).handleSettingsShow, OpID: "getSettings",
		Summary: "Get the site settings.", Status: 200, Resp: settingsOutput{}},
	{Method: "PUT", Path: settingsPath, Handle: (*API).handleSettingsPut, OpID: "replaceSettings",
		Summary: "Replace every setting; absent fields become empty.", Body: content.Settings{}, Status: 200, Resp: settingsOutput{},
		Errors: []int{400, 413, 415, 422}},
	{Method: "PATCH", Path: settingsPath, Handle: (*API).handleSettingsPatch, OpID: "updateSettings",
		Summary: "Change the settings present in the body; nested objects merge.", Body: content.Settings{}, Status: 200,
		Resp: settingsOutput{}, Errors: []int{400, 413, 415, 422}},

	{Method: "POST", Path: mediaPath, Handle: (*API).handleMediaCreate, OpID: "uploadMedia",
		Summary: "Upload an image, SVG drawing, PDF or audio file.", Upload: true, Status: 201, Resp: mediaOutput{},
		Errors: []int{400, 413, 415, 422}},
	{Method: "GET", Path: mediaPath, Handle: (*API).handleMediaList, OpID: "listMedia",
		Summary: "List media, newest first.", Status: 200, Resp: mediaList{}, Errors: listErrs, Query: []param{limitParam, cursorParam}},
	{Method: "GET", Path: mediaPath + "/{id}", Handle: (*API).handleMediaShow, OpID: "getMedia",
		Summary: "Get a media record.", Status: 200, Resp: mediaOutput{}, Errors: readErrs},
	{Method: "PATCH", Path: mediaPath + "/{id}", Handle: (*API).handleMediaPatch, OpID: "updateMedia",
		Summary: "Change alt text, caption or credit.", Body: mediaInput{}, Status: 200, Resp: mediaOutput{},
		Errors: []int{400, 404, 413, 415, 422}},
	{Method: "DELETE", Path: mediaPath + "/{id}", Handle: (*API).handleMediaDelete, OpID: "deleteMedia",
		Summary: "Delete a media record and its file.", Status: 204, Errors: readErrs},
}

// Register adds every route to mux, plus a JSON 404/405 for other paths
// under /api/v1/.
func (a *API) Register(mux *http.ServeMux) {
	a.mux = mux
	for _, rt := range a.routes {
		mux.Handle(rt.Method+" "+rt.Path, a.wrap(rt))
	}
	mux.Handle("/api/v1/", http.HandlerFunc(a.handleUnknown))
}

// wrap applies the shared headers, authentication and the error adapter.
func (a *API) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if !rt.Public {
			if _, err := a.authenticate(r); err != nil {
				a.writeError(w, r, err)
				return
			}
		}
		if err := rt.Handle(a, w, r); err != nil {
			a.writeError(w, r, err)
		}
	})
}

// handleUnknown answers paths under /api/v1/ that no route matches: 405
// with Allow when the path exists for other methods, else 404.
func (a *API) handleUnknown(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	var allow []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := a.mux.Handler(probe); pattern != "" && pattern != "/api/v1/" && !slices.Contains(allow, m) {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		a.writeError(w, r, content.Errorf(codeMethodNotAllowed, "%s is not allowed here; use %s", r.Method, strings.Join(allow, ", ")))
		return
	}
	a.writeError(w, r, content.Errorf(content.ENOTFOUND, "no API route %s %s", r.Method, r.URL.Path))
}

package admin

import "folio/internal/content"

// Public is the policy of a route anyone may use (sign-in, reset, invite).
const Public content.Role = ""

// policy is the authorization matrix of the admin: for every route
// Register adds, the least role that may use it. A signed-out visitor gets
// a sign-in redirect (GET) or 401 (POST) from every non-public route; a
// signed-in user below the route's role gets 403. Some routes decide per
// item inside the handler or the editorial service (a contributor may
// open only their own drafts): their row is the least role that may use
// the route at all, and TestRouteMatrix checks the per-item rule too.
//
// A route added to routes.go without a row here fails TestRouteMatrix
// with "route X has no matrix row".
var policy = map[string]content.Role{
	"GET /admin/login":                                   Public,
	"POST /admin/login":                                  Public,
	"POST /admin/logout":                                 Public,
	"GET /admin/reset":                                   Public,
	"POST /admin/reset":                                  Public,
	"GET /admin/invite":                                  Public,
	"POST /admin/invite":                                 Public,
	"GET /admin/unlock":                                  Public,
	"POST /admin/unlock":                                 Public,
	"GET /admin/{$}":                                     content.RoleContributor,
	"GET /admin/account":                                 content.RoleContributor,
	"POST /admin/account/totp":                           content.RoleContributor,
	"GET /admin/articles":                                content.RoleContributor,
	"GET /admin/articles/new":                            content.RoleContributor,
	"POST /admin/articles":                               content.RoleContributor,
	"GET /admin/articles/{id}":                           content.RoleEditor,
	"POST /admin/articles/{id}":                          content.RoleContributor,
	"POST /admin/articles/{id}/delete":                   content.RoleContributor,
	"POST /admin/articles/{id}/autosave":                 content.RoleContributor,
	"POST /admin/articles/{id}/preview-link":             content.RoleContributor,
	"GET /admin/articles/{id}/revisions":                 content.RoleEditor,
	"GET /admin/revisions/{id}":                          content.RoleEditor,
	"POST /admin/revisions/{id}/restore":                 content.RoleContributor,
	"POST /admin/preview":                                content.RoleContributor,
	"GET /admin/articles/{id}/translations":              content.RoleContributor,
	"POST /admin/articles/{id}/translations":             content.RoleContributor,
	"GET /admin/articles/{id}/translate/{lang}":          content.RoleContributor,
	"POST /admin/articles/{id}/translate/{lang}":         content.RoleContributor,
	"POST /admin/articles/{id}/translate/{lang}/review":  content.RoleContributor,
	"GET /admin/authors":                                 content.RoleEditor,
	"GET /admin/authors/{id}":                            content.RoleEditor,
	"POST /admin/authors":                                content.RoleContributor,
	"POST /admin/authors/{id}":                           content.RoleContributor,
	"POST /admin/authors/{id}/delete":                    content.RoleContributor,
	"GET /admin/terms":                                   content.RoleEditor,
	"GET /admin/terms/{id}":                              content.RoleEditor,
	"POST /admin/terms":                                  content.RoleContributor,
	"POST /admin/terms/{id}":                             content.RoleContributor,
	"POST /admin/terms/{id}/delete":                      content.RoleContributor,
	"GET /admin/settings":                                content.RoleAdmin,
	"GET /admin/settings/translations/{lang}":            content.RoleAdmin,
	"POST /admin/settings/translations/{lang}":           content.RoleContributor,
	"GET /admin/pages":                                   content.RoleContributor,
	"GET /admin/pages/new":                               content.RoleContributor,
	"GET /admin/menus":                                   content.RoleAdmin,
	"POST /admin/menus":                                  content.RoleContributor,
	"POST /admin/articles/{id}/corrections/{cid}/delete": content.RoleContributor,
	"GET /admin/republish":                               content.RoleEditor,
	"GET /admin/republish/export.csv":                    content.RoleEditor,
	"POST /admin/republish/domains":                      content.RoleContributor,
	"POST /admin/republish/domains/delete":               content.RoleContributor,
	"POST /admin/republish/partners":                     content.RoleContributor,
	"POST /admin/republish/partners/{id}/revoke":         content.RoleContributor,
	"POST /admin/republish/releases":                     content.RoleContributor,
	"POST /admin/republish/webhooks":                     content.RoleContributor,
	"POST /admin/republish/webhooks/{id}/delete":         content.RoleContributor,
	"POST /admin/settings":                               content.RoleContributor,
	"GET /admin/users":                                   content.RoleAdmin,
	"POST /admin/users/invite":                           content.RoleContributor,
	"POST /admin/users/{id}":                             content.RoleContributor,
	"GET /admin/tokens":                                  content.RoleAdmin,
	"POST /admin/tokens":                                 content.RoleContributor,
	"POST /admin/tokens/{id}/delete":                     content.RoleContributor,
	"GET /admin/media":                                   content.RoleContributor,
	"POST /admin/media":                                  content.RoleContributor,
	"GET /admin/media/{id}":                              content.RoleContributor,
	"POST /admin/media/{id}":                             content.RoleContributor,
	"POST /admin/media/{id}/delete":                      content.RoleContributor,
	"GET /admin/audit":                                   content.RoleAdmin,
	"GET /admin/members":                                 content.RoleEditor,
	"POST /admin/members/{id}/block":                     content.RoleContributor,
	"GET /admin/members/export.csv":                      content.RoleEditor,
	"POST /admin/members/import":                         content.RoleContributor,
	"GET /admin/comments":                                content.RoleEditor,
	"POST /admin/comments/{id}":                          content.RoleContributor,
	"GET /admin/newsletters":                             content.RoleEditor,
	"POST /admin/newsletters":                            content.RoleContributor,
	"GET /admin/articles/{id}/readers":                   content.RoleEditor,
	"POST /admin/articles/{id}/comments-mode":            content.RoleContributor,
	"POST /admin/articles/{id}/send":                     content.RoleContributor,
}

package admin

import (
	"net/http"
	"strings"

	adminweb "folio/web/admin"
)

// Register adds the admin under /admin/ and the signed draft preview at
// /preview/{id} to mux. Nothing here goes through the page cache.
func (a *Admin) Register(mux *http.ServeMux) {
	in := http.NewServeMux()
	// Every route added here needs a row in policy (policy.go): the
	// authorization matrix test fails for a route without one.
	open := func(pattern string, h handler) {
		a.patterns = append(a.patterns, pattern)
		in.Handle(pattern, a.wrap(h))
	}
	user := func(pattern string, h handler) {
		a.patterns = append(a.patterns, pattern)
		in.Handle(pattern, a.auth.RequireUser(a.wrap(h)))
	}

	in.Handle("GET /admin/static/", http.StripPrefix("/admin/static/", http.FileServerFS(adminweb.Static)))
	open("GET /admin/login", a.handleLoginForm)
	open("POST /admin/login", a.handleLogin)
	open("POST /admin/logout", a.handleLogout)
	open("GET /admin/reset", a.handleResetForm)
	open("POST /admin/reset", a.handleReset)
	open("GET /admin/invite", a.handleInviteForm)
	open("POST /admin/invite", a.handleInviteAccept)
	open("GET /admin/unlock", a.handleUnlockForm)
	open("POST /admin/unlock", a.handleUnlock)

	user("GET /admin/{$}", a.handleDashboard)
	user("GET /admin/account", a.handleAccount)
	user("POST /admin/account/totp", a.handleTOTP)

	user("GET /admin/articles", a.handleArticles)
	user("GET /admin/pages", a.handlePages)
	user("GET /admin/pages/new", a.handlePageNew)
	user("GET /admin/menus", a.handleMenus)
	user("POST /admin/menus", a.handleMenusSave)
	user("GET /admin/articles/new", a.handleArticleNew)
	user("POST /admin/articles", a.handleArticleCreate)
	user("GET /admin/articles/{id}", a.handleArticleEdit)
	user("POST /admin/articles/{id}", a.handleArticleSave)
	user("POST /admin/articles/{id}/delete", a.handleArticleDelete)
	user("POST /admin/articles/{id}/corrections/{cid}/delete", a.handleCorrectionDelete)
	user("POST /admin/articles/{id}/autosave", a.handleAutosave)
	user("POST /admin/articles/{id}/preview-link", a.handlePreviewLink)
	user("GET /admin/articles/{id}/revisions", a.handleRevisions)
	user("GET /admin/revisions/{id}", a.handleRevisionDiff)
	user("POST /admin/revisions/{id}/restore", a.handleRevisionRestore)
	user("POST /admin/preview", a.handlePreview)
	user("POST /admin/paste", a.handlePaste)
	user("GET /admin/media/picker", a.handleMediaPicker)
	user("GET /admin/articles/{id}/translations", a.handleTranslations)
	user("POST /admin/articles/{id}/translations", a.handleTranslationRequest)
	user("GET /admin/articles/{id}/translate/{lang}", a.handleTranslateEdit)
	user("POST /admin/articles/{id}/translate/{lang}", a.handleTranslateSave)
	user("POST /admin/articles/{id}/translate/{lang}/review", a.handleTranslateReview)

	user("GET /admin/authors", a.handleAuthors)
	user("GET /admin/authors/{id}", a.handleAuthorEdit)
	user("POST /admin/authors", a.handleAuthorSave)
	user("POST /admin/authors/{id}", a.handleAuthorSave)
	user("POST /admin/authors/{id}/delete", a.handleAuthorDelete)

	user("GET /admin/terms", a.handleTerms)
	user("GET /admin/terms/{id}", a.handleTermEdit)
	user("POST /admin/terms", a.handleTermSave)
	user("POST /admin/terms/{id}", a.handleTermSave)
	user("POST /admin/terms/{id}/delete", a.handleTermDelete)

	user("GET /admin/settings", a.handleSettings)
	user("POST /admin/settings", a.handleSettingsSave)
	user("GET /admin/settings/translations/{lang}", a.handleSettingsTranslation)
	user("POST /admin/settings/translations/{lang}", a.handleSettingsTranslationSave)

	user("GET /admin/users", a.handleUsers)
	user("POST /admin/users/invite", a.handleUserInvite)
	user("POST /admin/users/{id}", a.handleUserUpdate)

	user("GET /admin/tokens", a.handleTokens)
	user("POST /admin/tokens", a.handleTokenCreate)
	user("POST /admin/tokens/{id}/delete", a.handleTokenDelete)

	user("GET /admin/media", a.handleMedia)
	user("POST /admin/media", a.handleMediaUpload)
	user("GET /admin/media/{id}", a.handleMediaEdit)
	user("POST /admin/media/{id}", a.handleMediaSave)
	user("POST /admin/media/{id}/delete", a.handleMediaDelete)

	user("GET /admin/audit", a.handleAudit)

	user("GET /admin/redirects", a.handleRedirects)
	user("POST /admin/redirects", a.handleRedirectCreate)
	user("POST /admin/redirects/delete", a.handleRedirectDelete)
	user("POST /admin/redirects/import", a.handleRedirectsImport)

	user("GET /admin/republish", a.handleRepublish)
	user("GET /admin/republish/export.csv", a.handleRepublishExport)
	user("POST /admin/republish/domains", a.handleDomainRule)
	user("POST /admin/republish/domains/delete", a.handleDomainRuleDelete)
	user("POST /admin/republish/partners", a.handlePartnerCreate)
	user("POST /admin/republish/partners/{id}/revoke", a.handlePartnerRevoke)
	user("POST /admin/republish/releases", a.handlePartnerRelease)
	user("POST /admin/republish/webhooks", a.handleWebhookCreate)
	user("POST /admin/republish/webhooks/{id}/delete", a.handleWebhookDelete)

	user("GET /admin/members", a.handleMembers)
	user("POST /admin/members/{id}/block", a.handleMemberBlock)
	user("GET /admin/members/export.csv", a.handleMembersExport)
	user("POST /admin/members/import", a.handleMembersImport)
	user("GET /admin/suppressions", a.handleSuppressions)
	user("POST /admin/suppressions/lift", a.handleSuppressionLift)
	user("GET /admin/comments", a.handleComments)
	user("POST /admin/comments/{id}", a.handleModerate)
	user("GET /admin/newsletters", a.handleNewsletters)
	user("POST /admin/newsletters", a.handleNewsletterCreate)
	user("GET /admin/articles/{id}/readers", a.handleArticleReaders)
	user("POST /admin/articles/{id}/comments-mode", a.handleCommentMode)
	user("POST /admin/articles/{id}/send", a.handleSendNewsletter)

	h := a.auth.Middleware(a.auth.CSRF(in))
	mux.Handle("/admin/", a.private(a.limitBody(h)))
	mux.Handle("GET /preview/{id}", a.private(a.wrap(a.handleSignedPreview)))
}

// private marks responses as per-user and not for search engines. The
// public page cache never sees them: they are registered beside it.
func (a *Admin) private(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Robots-Tag", "noindex, nofollow")
		next.ServeHTTP(w, r)
	})
}

// limitBody bounds request bodies before anything parses them (the CSRF
// check reads the form): uploads get the media limit plus room for fields.
func (a *Admin) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := a.cfg.MaxBody
		if r.URL.Path == "/admin/media" && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			limit = a.cfg.MaxUpload + 1<<20
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

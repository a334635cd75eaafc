// Package admin is the editorial web UI under /admin/: sign-in, the
// article list and editor with revisions, review and publishing, authors,
// terms, settings, users, API tokens, the media library and the audit log,
// plus signed draft previews at /preview/{id}.
//
// Pages are server-rendered from web/admin and work without JavaScript;
// admin.js only adds live preview, word count and autosave. Every write
// passes auth.CSRF, goes through an editorial.Editor (which checks the
// user's role) so cache invalidation fires, and is recorded in the audit
// log. Responses are never cached and carry X-Robots-Tag: noindex.
//
// It must not import internal/site: the public pages and the admin meet
// only in the store and the editorial service.
package admin

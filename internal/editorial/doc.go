// Package editorial is the one write path. Every change to what Folio
// stores — articles, authors, terms, media, settings, redirects, comments,
// import bookkeeping, tokens and staff accounts — goes through one method
// of an Editor: the service acting for a signed-in user (Service.As) or for
// the system (Service.System: the API's tokens, imports, the scheduler, the
// CLI). The method checks the actor's role, validates, renders Markdown to
// sanitized HTML, keeps slugs unique, writes through the store and, after
// the commit, publishes one key.Event naming the entities it changed and
// the cache keys of every page that may show them. Editor.Batch runs many
// of the same writes in one transaction and publishes one event for all of
// them after the commit.
//
// Consumers of events (page cache, change log for other processes, search
// index) subscribe with OnChange; nothing else needs to remember the cache.
//
// Security state of staff accounts (sessions, sign-in attempts, one-time
// tokens, password hashes, TOTP steps) is kept by internal/auth, and the
// progress of background work (translation jobs, memory, notices; the job
// queue) by the packages doing it: those rows show on no public page and
// feed no consumer. The bypass test in this package lists them.
//
// It imports content, store, cache/key, media and render/markdown; never
// HTTP packages.
package editorial

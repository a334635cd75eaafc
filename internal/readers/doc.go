// Package readers serves what readers do with an account: sign up and sign
// in by a mailed link (no password), their profile, data export and account
// deletion, the comment form, newsletter subscriptions and one-click
// unsubscribe, the forward page of each article and the contact form of
// contact pages.
//
// Member sessions are apart from staff ones: their own table, their own
// cookie (folio_member, path /), their own CSRF token. Nothing here goes
// through the page cache; every response is no-store. The cached article
// page stays the same for every reader and loads the comment form from
// /members/comment.
//
// Writes of members, comments and subscriptions go through the editorial
// service; this package writes only its own bookkeeping (sessions, sign-in
// links, rate-limit counters), as internal/auth does for staff.
//
// It imports auth (client address), editorial, mail, render/markdown,
// store, urls and content; never admin or site.
package readers

// Package auth owns staff sign-in: argon2id passwords, an optional TOTP
// second factor, server-side sessions behind an HttpOnly cookie, CSRF
// protection for every unsafe request, sign-in and reset throttling,
// password resets and invitations by email, role checks and the audit log.
//
// Handlers wrap the admin mux as Middleware(CSRF(mux)) and each private
// route with RequireUser; forms carry CSRFToken(r) in a field named _csrf
// (or scripts send it as X-CSRF-Token).
//
// It imports content, store and mail; never a store implementation or the
// HTTP handler packages.
package auth

// Package content holds Folio's domain types and the rules that need no storage:
// statuses, slugs, licenses, the copyright line and validation.
//
// It imports nothing of Folio's; every other package may import it.
package content

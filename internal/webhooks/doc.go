// Package webhooks delivers change events to subscribers' URLs.
//
// It follows the change log that the editorial service's change events
// are appended to (it is a consumer, never a writer of content), from a
// position saved in the store: each change that names a subscribed event
// becomes one durable, unique job per subscription, delivered with retries
// and backoff by the job queue. So an event logged just before a crash is
// delivered after the restart, and nodes sharing a database deliver it once. Payloads are signed with HMAC-SHA256 over a
// timestamp and the body (see Sign and docs/webhooks.md); deliveries are
// logged with the receiver's answer; addresses that are loopback, private
// or link-local are refused at dial time unless the subscription allows
// them.
package webhooks

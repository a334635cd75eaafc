// Package webhooks delivers change events to subscribers' URLs.
//
// It consumes the editorial service's change events (it is a consumer,
// never a writer of content): each change that names a subscribed event
// becomes one durable job per subscription, delivered with retries and
// backoff by the job queue. Payloads are signed with HMAC-SHA256 over a
// timestamp and the body (see Sign and docs/webhooks.md); deliveries are
// logged with the receiver's answer; addresses that are loopback, private
// or link-local are refused at dial time unless the subscription allows
// them.
package webhooks

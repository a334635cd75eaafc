// Package cdn purges a CDN's copies of pages when their content changes.
//
// Every public page carries the keys of what it read in its Surrogate-Key
// header (and, for Cloudflare, Cache-Tag; see TagHeader). A Dispatcher
// subscribes to the change events of the one write path and hands the
// keys each event names, batched, to a Purger: Fastly's and Cloudflare's
// APIs, or a generic webhook for anything else (Varnish with xkey, a
// purge proxy, a CDN with its own API).
//
// It imports cache (the spelling of keys) and cache/key (events).
package cdn

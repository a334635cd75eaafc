// Package cache owns Folio's rendered-page cache: every public GET goes
// through it, so a cached site answers at close to static-file speed.
//
// It owns four things:
//
//   - the store of rendered pages (Page: body, gzip and brotli variants, strong
//     ETag, Last-Modified, content type, Cache-Control), bounded by a byte budget
//     with CLOCK (second-chance LRU) eviction;
//   - request coalescing: a missing page is rendered once however many
//     requests wait for it (Cache.Get);
//   - dependency tracking and invalidation: each page lists the entity keys its
//     render read ("article:12", "term:5", "settings", "list:term:5"); an index
//     from entity key to pages lets Cache.Invalidate drop exactly the dependent
//     pages in time proportional to the pages affected, and a render that was
//     in flight when its data changed is never stored;
//   - writing a page to a client (Write): content-coding negotiation,
//     conditional requests (304), HEAD, Vary and Surrogate-Key headers.
//
// Keys are built by the caller and are method-independent: the request path,
// plus the language when the path alone does not determine it.
//
// The package imports nothing of Folio's: it knows neither the store nor the
// renderer, only keys, bytes and dependency names. Handlers (internal/site)
// build keys and fills; whatever observes store changes calls Invalidate.
// Its only third-party import is github.com/andybalholm/brotli.
package cache

// Package cache owns Folio's rendered-page cache: every public GET goes
// through it, so a cached site answers at close to static-file speed.
//
// It owns four things:
//
//   - the store of rendered pages (Page: its bytes, strong ETag,
//     Last-Modified, content type, Cache-Control), bounded by a byte budget
//     that counts what the heap really holds. A page is kept compressed, in
//     the coding of the request that rendered it; its other compressed coding
//     is made on first request, and identity is decoded for the rare client
//     that sends no Accept-Encoding (kept once asked for again, and dropped
//     first under pressure). Eviction is CLOCK (second-chance LRU) with
//     TinyLFU admission: when the cache is full, a new page displaces the
//     CLOCK victim only if a count-min sketch of recent requests says it is
//     asked for at least as often, so a crawl of the archive, each page read
//     once, cannot push out the front page;
//   - request coalescing: a missing page is rendered once however many
//     requests wait for it (Cache.Get);
//   - dependency tracking and invalidation: each page lists the entity keys its
//     render read ("article:12", "term:5", "settings", "list:term:5"); an index
//     from entity key to pages lets Cache.Invalidate drop exactly the dependent
//     pages in time proportional to the pages affected, and a render that was
//     in flight when its data changed is never stored; OnDrop hears of the
//     hot pages an invalidation dropped, so they can be rendered again before
//     the next reader asks;
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

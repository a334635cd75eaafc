// Package feed encodes listings of articles as RSS 2.0, Atom 1.0 and JSON
// Feed 1.1. The encoders are pure: they turn content into bytes and never
// touch the store, so handlers and the static exporter get identical output.
//
// Every format carries what the republishing policy asks to travel with an
// article: the copyright line, the license, the original source and the
// featured image's credit.
//
// It imports content, urls and render/markdown; nothing imports it but
// handlers.
package feed

// Package sitemap encodes the discovery files search engines read: sitemap
// indexes, URL sets with language alternates, the Google News sitemap and
// robots.txt. The encoders are pure; handlers choose the URLs.
//
// It imports only the standard library.
package sitemap

// Package republish turns an article's license into action: the copy-ready
// HTML and text a republisher pastes ("Republish this article"), the
// first-party tracking image that counts republished views without storing
// anything about readers, and the full-content feeds of syndication
// partners.
//
// The attribution (title, byline, copyright line, canonical link, license)
// is newsletter.Attribute's, the same one the forward page uses; this
// package adds what a republished web page needs beyond a mailed copy.
package republish

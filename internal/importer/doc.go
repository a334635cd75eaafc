// Package importer brings content into Folio from WordPress (WXR), Ghost
// (JSON export) and Folio's own archives, and writes those archives.
//
// WordPress and Ghost content goes through the editorial service, so the
// same validation, Markdown rendering, sanitizing and cache invalidation
// apply as to anything an editor writes. A run is all-or-nothing: the
// input is read and checked completely before anything is written, and
// everything a run writes is journaled so a failure part-way undoes it.
// Folio archives are restored in one store transaction instead.
//
// importer knows the editorial service, the media library and the store
// interfaces; it must not import HTTP handlers or the renderer beyond the
// Markdown sanitizer.
package importer

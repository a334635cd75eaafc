// Package editorial holds the services that change content: create, update,
// publish, unpublish and delete articles, and manage authors, terms and
// settings. It validates input, renders Markdown to sanitized HTML and keeps
// slugs unique before anything reaches the store.
//
// It imports content, store and render/markdown; never HTTP packages.
package editorial

// Package web holds the files compiled into the binary: the public theme's
// templates and static files. Packages that render pages read them from here;
// a theme directory may override any of them by relative name (see
// internal/render).
package web

import (
	"embed"
	"io/fs"
)

// FS holds templates/ and static/.
//
//go:embed templates static
var FS embed.FS

// Templates is the templates/ tree: layout.html, partials/*.html, pages/*.html.
var Templates = mustSub("templates")

// Static is the static/ tree served under /static/.
var Static = mustSub("static")

func mustSub(dir string) fs.FS {
	sub, err := fs.Sub(FS, dir)
	if err != nil {
		panic(err) // only if the embed directive above is wrong
	}
	return sub
}

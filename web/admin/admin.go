// Package admin holds the editorial admin's templates, stylesheet and
// script, compiled into the binary: the admin loads nothing from elsewhere.
package admin

import (
	"embed"
	"io/fs"
)

//go:embed templates static
var files embed.FS

// Templates is the templates/ tree: layout.html and one file per page.
var Templates = mustSub("templates")

// Static is the static/ tree served under /admin/static/.
var Static = mustSub("static")

func mustSub(dir string) fs.FS {
	sub, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // only if the embed directive above is wrong
	}
	return sub
}

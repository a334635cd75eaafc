// Package readers holds the templates of the reader pages (sign-in,
// profile, comment form, newsletters, forward), compiled into the binary.
// They use the public theme's stylesheet.
package readers

import (
	"embed"
	"io/fs"
)

//go:embed templates
var files embed.FS

// Templates is the templates/ tree: layout.html and one file per page.
var Templates = mustSub("templates")

func mustSub(dir string) fs.FS {
	sub, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // only if the embed directive above is wrong
	}
	return sub
}

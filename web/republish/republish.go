// Package republish embeds the templates of the republish page.
package republish

import "embed"

// Templates holds page.html.
//
//go:embed templates/*.html
var Templates embed.FS

//go:build tools

// Package deps pins modules that packages under construction will import.
package deps

import (
	_ "github.com/PuerkitoBio/goquery"
	_ "github.com/andybalholm/brotli"
	_ "github.com/google/go-cmp/cmp"
	_ "github.com/gosimple/slug"
	_ "github.com/microcosm-cc/bluemonday"
	_ "github.com/mmcdole/gofeed"
	_ "github.com/pressly/goose/v3"
	_ "github.com/yuin/goldmark"
	_ "golang.org/x/image/webp"
	_ "golang.org/x/text/language"
	_ "modernc.org/sqlite"
)

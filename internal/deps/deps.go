//go:build tools

// Package deps pins modules that packages under construction will import.
package deps

import (
	_ "github.com/PuerkitoBio/goquery"
	_ "github.com/alexedwards/argon2id"
	_ "github.com/andybalholm/brotli"
	_ "github.com/chromedp/chromedp"
	_ "github.com/disintegration/imaging"
	_ "github.com/gen2brain/webp"
	_ "github.com/go-playground/locales/en"
	_ "github.com/google/go-cmp/cmp"
	_ "github.com/gosimple/slug"
	_ "github.com/microcosm-cc/bluemonday"
	_ "github.com/mmcdole/gofeed"
	_ "github.com/pquerna/otp/totp"
	_ "github.com/pressly/goose/v3"
	_ "github.com/riverqueue/river"
	_ "github.com/riverqueue/river/riverdriver/riversqlite"
	_ "github.com/schollz/progressbar/v3"
	_ "github.com/sergi/go-diff/diffmatchpatch"
	_ "github.com/yuin/goldmark"
	_ "golang.org/x/image/webp"
	_ "golang.org/x/text/language"
	_ "modernc.org/sqlite"
)

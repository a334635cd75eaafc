package content

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/gosimple/slug"
)

// MaxSlug is the longest slug Folio generates or accepts, in bytes.
const MaxSlug = 120

var slugRE = regexp.MustCompile(`^[\p{Ll}\p{Lo}\p{Lm}\p{Mn}\p{Mc}\p{Nd}]+(?:-[\p{Ll}\p{Lo}\p{Lm}\p{Mn}\p{Mc}\p{Nd}]+)*$`)

// reserved are first path segments the site uses itself.
var reserved = map[string]bool{
	"api": true, "admin": true, "author": true, "region": true, "theme": true, "dossier": true,
	"tag": true, "media": true, "static": true, "page": true, "feed.xml": true, "atom.xml": true,
	"feed.json": true, "sitemap.xml": true, "robots.txt": true, "search": true,
}

// Slugify turns a title into a URL slug. Latin, Greek and Cyrillic scripts are
// transliterated to ASCII; scripts without a sensible transliteration (Arabic,
// Persian, Chinese ...) keep their letters, lower-cased, so the slug stays
// readable to the article's readers. The result is never empty.
func Slugify(title string) string {
	s := ""
	if mostlyTransliterable(title) {
		// slug.Make keeps underscores, which CheckSlug rejects; re-running
		// unicodeSlug folds them (and any run of separators) into one hyphen.
		s = unicodeSlug(slug.Make(title))
	} else {
		s = unicodeSlug(title)
	}
	s = truncateSlug(s, MaxSlug)
	if s == "" || reserved[s] {
		if s == "" {
			s = "untitled"
		} else {
			s += "-1"
		}
	}
	return s
}

func mostlyTransliterable(s string) bool {
	var latinish, other int
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		if unicode.In(r, unicode.Latin, unicode.Greek, unicode.Cyrillic) {
			latinish++
		} else {
			other++
		}
	}
	return other == 0 || latinish > other
}

func unicodeSlug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			if v, ok := digitValue(r); ok {
				r = '0' + v
			}
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String()
}

// digitValue maps Arabic-Indic, Persian, Devanagari, Bengali, Thai and
// full-width digits to their value so slugs use ASCII numbers.
func digitValue(r rune) (rune, bool) {
	for _, base := range []rune{0x660, 0x6F0, 0x966, 0x9E6, 0xE50, 0xFF10} {
		if r >= base && r <= base+9 {
			return r - base, true
		}
	}
	return 0, false
}

func truncateSlug(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := s[:max]
	for len(cut) > 0 && !utf8ValidEnd(cut) {
		cut = cut[:len(cut)-1]
	}
	if i := strings.LastIndexByte(cut, '-'); i > max/2 {
		cut = cut[:i]
	}
	return strings.Trim(cut, "-")
}

func utf8ValidEnd(s string) bool {
	return strings.ToValidUTF8(s, "\uFFFD") == s && !strings.HasSuffix(s, "\uFFFD")
}

// CheckSlug reports why s is not an acceptable slug, or nil.
func CheckSlug(s string) error {
	switch {
	case len(s) > MaxSlug:
		return fmt.Errorf("%q is longer than %d bytes", s, MaxSlug)
	case !slugRE.MatchString(s):
		return fmt.Errorf("%q may hold only lower-case letters, digits and single hyphens", s)
	case reserved[s]:
		return fmt.Errorf("%q is reserved for the site's own pages", s)
	}
	return nil
}

// UniqueSlug returns base, or base-2, base-3 ... the first that taken reports free.
func UniqueSlug(base string, taken func(string) (bool, error)) (string, error) {
	for i := 1; i < 10000; i++ {
		s := base
		if i > 1 {
			suffix := fmt.Sprintf("-%d", i)
			s = truncateSlug(base, MaxSlug-len(suffix)) + suffix
		}
		t, err := taken(s)
		if err != nil {
			return "", err
		}
		if !t {
			return s, nil
		}
	}
	return "", Errorf(ECONFLICT, "no free slug for %q", base)
}

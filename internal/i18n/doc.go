// Package i18n owns the reader interface's languages: the 51 supported BCP 47
// tags with their native names and writing direction, the UI message catalogs
// embedded from catalogs/{tag}.json (and catalogs/{feature}/{tag}.json), and the CLDR plural rules and long date
// formats each language uses.
//
// Plural categories and month names come from github.com/go-playground/locales
// (CLDR data, one package per locale). Where that package has no cardinal
// plural rules for a locale (Tajik, tg, at v0.14.1), golang.org/x/text/feature/plural
// answers instead; language names inside sentences ("Machine translation from
// English") come from golang.org/x/text/language/display, also CLDR.
// go-playground/locales emits ASCII digits for every locale, so numbers.go
// applies the CLDR default numbering system (arab for ar, arabext for fa and
// ps, beng for bn) to dates and counts, unless the site asks for Latin
// digits. Persian and Pashto dates are in the Solar Hijri calendar, CLDR's
// preferred calendar for Iran and Afghanistan (calendar.go; the arithmetic
// is github.com/jalaali/go-jalaali's).
//
// A catalog value is either a string or, for counted messages, an object keyed
// by CLDR plural category ("zero", "one", "two", "few", "many", "other").
// Placeholders are written {name} and filled from name/value argument pairs.
//
// It imports nothing of Folio's.
package i18n

// Package i18n owns the reader interface's languages: the 51 supported BCP 47
// tags with their native names and writing direction, the UI message catalogs
// embedded from catalogs/{tag}.json (and catalogs/{feature}/{tag}.json), and the CLDR plural rules and long date
// formats each language uses.
//
// Plural categories and month names come from github.com/go-playground/locales
// (CLDR data, one package per locale). Where that package has no cardinal
// plural rules for a locale (Tajik, tg, at v0.14.1), golang.org/x/text/feature/plural
// answers instead; language names inside sentences ("Machine translation from
// English") come from golang.org/x/text/language/display, also CLDR. Digits in
// dates are what go-playground/locales emits: ASCII digits for every locale,
// including fa and ar, whose CLDR default numbering systems (arabext, arab)
// the package does not apply.
//
// A catalog value is either a string or, for counted messages, an object keyed
// by CLDR plural category ("zero", "one", "two", "few", "many", "other").
// Placeholders are written {name} and filled from name/value argument pairs.
//
// It imports nothing of Folio's.
package i18n

package i18n

import "strings"

// numberingSystems are the CLDR default numbering systems of the interface
// languages that do not write ASCII digits by default (CLDR
// defaultNumberingSystem; every other interface language is "latn").
// go-playground/locales formats with ASCII digits whatever the locale, so
// Folio applies the digits itself.
var numberingSystems = map[string]string{
	"ar": "arab",    // Arabic-Indic ٠١٢٣٤٥٦٧٨٩
	"fa": "arabext", // Extended Arabic-Indic (Persian) ۰۱۲۳۴۵۶۷۸۹
	"ps": "arabext",
	"bn": "beng", // Bengali ০১২৩৪৫৬৭৮৯
}

// digitZero is the zero of each numbering system; the other nine digits
// follow it in Unicode.
var digitZero = map[string]rune{"arab": '٠', "arabext": '۰', "beng": '০'}

// NumberingSystem is the CLDR numbering system the locale writes numbers
// in: "latn" unless the language defaults to another, or Latin digits were
// asked for with LatinDigits.
func (l *Locale) NumberingSystem() string {
	if l.latin {
		return "latn"
	}
	if ns, ok := numberingSystems[l.lang.Tag]; ok {
		return ns
	}
	return "latn"
}

// LatinDigits returns a copy of l that writes ASCII digits, for sites that
// choose Latin digits over the language's own.
func (l *Locale) LatinDigits() *Locale {
	cp := *l
	cp.latin = true
	return &cp
}

// Digits rewrites the ASCII digits of s in the locale's numbering system:
// "2026" is "۲۰۲۶" in Persian. Other characters are kept.
func (l *Locale) Digits(s string) string {
	zero, ok := digitZero[l.NumberingSystem()]
	if !ok || !strings.ContainsAny(s, "0123456789") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) * 2)
	for _, r := range s {
		if r >= '0' && r <= '9' {
			r = zero + (r - '0')
		}
		b.WriteRune(r)
	}
	return b.String()
}

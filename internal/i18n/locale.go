package i18n

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/go-playground/locales"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Each feature may keep its messages in its own folder, catalogs/{feature}/{tag}.json,
// so that features add strings without touching the same files; a key may
// be defined in one file of a language only.
//
//go:embed catalogs
var catalogFS embed.FS

// Reference is the language whose catalog defines the keys every other
// catalog must have, and the fallback for a missing key.
const Reference = "en"

// message is one catalog entry: a text, or plural forms by CLDR category.
type message struct {
	text   string
	plural map[string]string
}

func (m *message) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '{' {
		return json.Unmarshal(b, &m.plural)
	}
	return json.Unmarshal(b, &m.text)
}

type catalog map[string]message

// Locale is one interface language: its catalog, plural rules and date
// format. It is immutable and safe for concurrent use.
type Locale struct {
	lang    Language
	cat     catalog
	ref     catalog // the reference catalog, for fallback
	cldr    locales.Translator
	tag     language.Tag
	namer   display.Namer
	plurals []string // CLDR cardinal categories of the language
	strict  bool
	latin   bool // ASCII digits whatever the language's numbering system
}

var (
	loadOnce sync.Once
	loaded   map[string]*Locale
	loadErr  error
)

// load parses every embedded catalog once.
func load() {
	loaded = make(map[string]*Locale, len(Languages))
	cats := make(map[string]catalog, len(Languages))
	dirs := []string{"catalogs"}
	entries, err := catalogFS.ReadDir("catalogs")
	if err != nil {
		loadErr = fmt.Errorf("i18n: catalogs: %w", err)
		return
	}
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, path.Join("catalogs", e.Name()))
		}
	}
	for _, l := range Languages {
		c := catalog{}
		for _, dir := range dirs {
			if err := readCatalog(c, path.Join(dir, l.Tag+".json"), dir == "catalogs"); err != nil {
				loadErr = fmt.Errorf("i18n: catalog %s: %w", l.Tag, err)
				return
			}
		}
		cats[l.Tag] = c
	}
	for _, l := range Languages {
		tag := language.Make(l.Tag)
		loc := &Locale{lang: l, cat: cats[l.Tag], ref: cats[Reference], cldr: cldr[l.Tag](),
			tag: tag, namer: display.Tags(tag)}
		loc.plurals = loc.pluralCategories()
		loaded[l.Tag] = loc
	}
}

// readCatalog adds the messages of one catalog file to c. A feature folder
// need not have every language (the completeness test says which keys are
// missing); the main catalog must.
func readCatalog(c catalog, name string, required bool) error {
	b, err := catalogFS.ReadFile(name)
	if err != nil {
		if !required && errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	var part catalog
	if err := json.Unmarshal(b, &part); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	for k, m := range part {
		if _, dup := c[k]; dup {
			return fmt.Errorf("%s: key %q is defined in another catalog file too", name, k)
		}
		c[k] = m
	}
	return nil
}

// Load parses the embedded catalogs and reports the first problem; For
// falls back to English when a catalog cannot be read, so tests call Load.
func Load() error {
	loadOnce.Do(load)
	return loadErr
}

// For returns the locale of tag, or the English one for a tag outside the
// interface languages. Subtags beyond a supported tag are ignored, so
// "es-x-mtfrom-en" gets the Spanish interface.
func For(tag string) *Locale {
	loadOnce.Do(load)
	if loadErr != nil {
		panic(loadErr) // embedded catalogs are checked by the package tests
	}
	for t := tag; t != ""; {
		if l, ok := loaded[t]; ok {
			return l
		}
		i := strings.LastIndexByte(t, '-')
		if i < 0 {
			break
		}
		t = t[:i]
	}
	return loaded[Reference]
}

// Strict returns a copy of l that shows a key missing from its catalog as
// [[key]] instead of the English text, so untranslated strings stand out
// during development.
func (l *Locale) Strict() *Locale {
	cp := *l
	cp.strict = true
	return &cp
}

// Tag is the locale's BCP 47 tag.
func (l *Locale) Tag() string { return l.lang.Tag }

// Name is the language's native name.
func (l *Locale) Name() string { return l.lang.Name }

// Dir is "rtl" or "ltr".
func (l *Locale) Dir() string { return l.lang.Dir }

// lookup finds key in the locale's catalog, then in the reference one.
func (l *Locale) lookup(key string) (message, bool) {
	if m, ok := l.cat[key]; ok {
		return m, true
	}
	if l.strict {
		return message{}, false
	}
	m, ok := l.ref[key]
	return m, ok
}

// T returns the message key with its {placeholders} filled from args, given
// as name/value pairs: T("byline", "names", "Ana and Ben").
func (l *Locale) T(key string, args ...any) string {
	m, ok := l.lookup(key)
	if !ok {
		return "[[" + key + "]]"
	}
	text := m.text
	if m.plural != nil {
		text = m.plural["other"]
	}
	return fill(text, args)
}

// N returns the plural form of key for count n, with {n} and args filled:
// N("reading_time", 5) is "5 min read".
func (l *Locale) N(key string, n int, args ...any) string {
	m, ok := l.lookup(key)
	if !ok {
		return "[[" + key + "]]"
	}
	text := m.text
	if m.plural != nil {
		var found bool
		if text, found = m.plural[l.PluralCategory(n)]; !found {
			text = m.plural["other"]
		}
	}
	return fill(text, append([]any{"n", l.Number(n)}, args...))
}

// Around splits the message key at {placeholder}, filling the other
// placeholders from args, so a template can put markup (a link, a list of
// links) where the placeholder was.
func (l *Locale) Around(key, placeholder string, args ...any) (before, after string) {
	text := l.T(key, args...)
	before, after, _ = strings.Cut(text, "{"+placeholder+"}")
	return before, after
}

func fill(text string, args []any) string {
	if len(args) < 2 || !strings.Contains(text, "{") {
		return text
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

// PluralCategory returns the CLDR cardinal category of the integer n:
// "zero", "one", "two", "few", "many" or "other".
func (l *Locale) PluralCategory(n int) string {
	if len(l.cldr.PluralsCardinal()) > 0 {
		return pluralName(l.cldr.CardinalPluralRule(float64(n), 0))
	}
	return xtextForm(l.tag, n)
}

// PluralCategories lists the CLDR cardinal categories the language uses for
// integers, "other" last.
func (l *Locale) PluralCategories() []string { return append([]string(nil), l.plurals...) }

func (l *Locale) pluralCategories() []string {
	seen := map[string]bool{"other": true}
	if rules := l.cldr.PluralsCardinal(); len(rules) > 0 {
		for _, r := range rules {
			seen[pluralName(r)] = true
		}
	} else {
		// x/text does not list a language's categories; probe integers,
		// which reach every integer category of every CLDR rule set.
		for n := 0; n <= 1000; n++ {
			seen[xtextForm(l.tag, n)] = true
		}
	}
	order := map[string]int{"zero": 0, "one": 1, "two": 2, "few": 3, "many": 4, "other": 5}
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return order[out[i]] < order[out[j]] })
	return out
}

func pluralName(r locales.PluralRule) string {
	switch r {
	case locales.PluralRuleZero:
		return "zero"
	case locales.PluralRuleOne:
		return "one"
	case locales.PluralRuleTwo:
		return "two"
	case locales.PluralRuleFew:
		return "few"
	case locales.PluralRuleMany:
		return "many"
	}
	return "other"
}

func xtextForm(tag language.Tag, n int) string {
	i := n % 1000000
	switch plural.Cardinal.MatchPlural(tag, i, 0, 0, 0, 0) {
	case plural.Zero:
		return "zero"
	case plural.One:
		return "one"
	case plural.Two:
		return "two"
	case plural.Few:
		return "few"
	case plural.Many:
		return "many"
	}
	return "other"
}

// LanguageName returns the name of the language tag in this locale's
// language ("inglés" in Spanish), from CLDR display names, or tag's native
// name when CLDR has none.
func (l *Locale) LanguageName(tag string) string {
	if n := l.namer.Name(language.Make(tag)); n != "" {
		return n
	}
	return NativeName(tag)
}

// Separators returns, for a list of n items, the text to put before each
// item following the language's list pattern ("", ", ", " and "), so a
// template can join linked names.
func (l *Locale) Separators(n int) []string {
	out := make([]string, n)
	if n < 2 {
		return out
	}
	between := func(key string) string {
		_, a, _ := strings.Cut(l.T(key), "{0}")
		s, _, _ := strings.Cut(a, "{1}")
		return s
	}
	if n == 2 {
		out[1] = between("list.two")
		return out
	}
	for i := 1; i < n-1; i++ {
		out[i] = between("list.middle")
	}
	out[n-1] = between("list.end")
	return out
}

// JoinNames joins names as the language writes a list: "A, B and C".
func (l *Locale) JoinNames(names []string) string {
	var b strings.Builder
	for i, s := range l.Separators(len(names)) {
		b.WriteString(s)
		b.WriteString(names[i])
	}
	return b.String()
}

// Keys returns the catalog's keys, sorted; for tests and tools.
func (l *Locale) Keys() []string {
	out := make([]string, 0, len(l.cat))
	for k := range l.cat {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Forms returns the plural forms of key in this catalog (nil for a plain
// message); for tests and tools.
func (l *Locale) Forms(key string) map[string]string { return l.cat[key].plural }

// Raw returns the unfilled text of key in this catalog; for tests and tools.
func (l *Locale) Raw(key string) (string, bool) {
	m, ok := l.cat[key]
	return m.text, ok
}

package i18n

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

var placeholder = regexp.MustCompile(`\{[a-z0-9_]+\}`)

func placeholders(s string) []string {
	out := placeholder.FindAllString(s, -1)
	sort.Strings(out)
	return slices.Compact(out)
}

func TestLanguages(t *testing.T) {
	if len(Languages) != 51 {
		t.Fatalf("%d languages, want 51", len(Languages))
	}
	for _, l := range Languages {
		if cldr[l.Tag] == nil {
			t.Errorf("%s: no CLDR locale", l.Tag)
		}
		want := "ltr"
		if slices.Contains([]string{"ar", "fa", "ps", "ur", "he"}, l.Tag) {
			want = "rtl"
		}
		if l.Dir != want || Dir(l.Tag) != want {
			t.Errorf("%s: dir %s, want %s", l.Tag, l.Dir, want)
		}
	}
	for tag, want := range map[string]string{"fa-AF": "rtl", "prs": "rtl", "es-x-mtfrom-en": "ltr", "ar-x-mtfrom-en": "rtl"} {
		if got := Dir(tag); got != want {
			t.Errorf("Dir(%q) = %s, want %s", tag, got, want)
		}
	}
}

// TestCatalogs_Complete checks every catalog against the English reference:
// the same keys, plain or plural alike, the same placeholders, every CLDR
// plural category of the language, and real translations.
func TestCatalogs_Complete(t *testing.T) {
	if err := Load(); err != nil {
		t.Fatal(err)
	}
	ref := For(Reference)
	refKeys := ref.Keys()
	for _, lang := range Languages {
		t.Run(lang.Tag, func(t *testing.T) {
			l := For(lang.Tag)
			if l.Tag() != lang.Tag {
				t.Fatalf("For(%q) gave %q", lang.Tag, l.Tag())
			}
			keys := l.Keys()
			for _, k := range refKeys {
				if !slices.Contains(keys, k) {
					t.Errorf("missing key %q", k)
				}
			}
			for _, k := range keys {
				if !slices.Contains(refKeys, k) {
					t.Errorf("extra key %q", k)
				}
			}
			cats := l.PluralCategories()
			same := 0
			for _, k := range refKeys {
				refForms := ref.Forms(k)
				forms := l.Forms(k)
				if (refForms == nil) != (forms == nil) {
					t.Errorf("%s: plural in one catalog, plain in the other", k)
					continue
				}
				if refForms == nil {
					want, _ := ref.Raw(k)
					got, _ := l.Raw(k)
					if strings.TrimSpace(got) == "" {
						t.Errorf("%s: empty", k)
					}
					if !slices.Equal(placeholders(got), placeholders(want)) {
						t.Errorf("%s: placeholders %v, want %v (%q)", k, placeholders(got), placeholders(want), got)
					}
					if got == want && lang.Tag != Reference {
						same++
					}
					continue
				}
				allowed := placeholders(refForms["other"])
				for _, c := range cats {
					if _, ok := forms[c]; !ok {
						t.Errorf("%s: no %q form (CLDR categories %v)", k, c, cats)
					}
				}
				for c, f := range forms {
					if !slices.Contains(cats, c) {
						t.Errorf("%s: form %q is not a CLDR category of %s (%v)", k, c, lang.Tag, cats)
					}
					for _, p := range placeholders(f) {
						if !slices.Contains(allowed, p) {
							t.Errorf("%s.%s: unknown placeholder %s", k, c, p)
						}
					}
				}
			}
			// A few values may match English ("Email", list patterns);
			// more means the catalog was copied, not translated.
			if same > 6 {
				t.Errorf("%d messages are identical to English", same)
			}
		})
	}
}

func TestLocale_N(t *testing.T) {
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "1 min read"},
		{"en", 7, "7 min read"},
		{"ru", 1, "1 минута чтения"},
		{"ru", 3, "3 минуты чтения"},
		{"ru", 5, "5 минут чтения"},
		{"ru", 21, "21 минута чтения"},
		{"ar", 2, "دقيقتان للقراءة"},
		{"ar", 3, "٣ دقائق للقراءة"},
		{"ar", 11, "١١ دقيقة للقراءة"},
		{"pl", 2, "2 minuty czytania"},
		{"pl", 5, "5 minut czytania"},
	}
	for _, tt := range tests {
		if got := For(tt.lang).N("reading_time", tt.n); got != tt.want {
			t.Errorf("%s N(%d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
	if got := For("en").N("authors.heading", 2); got != "About the authors" {
		t.Errorf("authors.heading(2) = %q", got)
	}
}

func TestLocale_Date(t *testing.T) {
	d := time.Date(2026, 11, 29, 23, 30, 0, 0, time.UTC)
	tests := []struct {
		lang string
		loc  *time.Location
		want string
	}{
		{"en", time.UTC, "November 29, 2026"},
		{"ru", time.UTC, "29 ноября 2026 г."},
		{"zh-Hans", time.UTC, "2026年11月29日"},
		// CLDR digits; Persian dates are Solar Hijri (see calendar.go).
		{"fa", time.UTC, "۸ آذر ۱۴۰۵"},
		{"ar", time.UTC, "٢٩ نوفمبر ٢٠٢٦"},
		// The zone moves the day.
		{"en", time.FixedZone("X", 3600), "November 30, 2026"},
	}
	for _, tt := range tests {
		if got := For(tt.lang).Date(d, tt.loc); got != tt.want {
			t.Errorf("%s: Date = %q, want %q", tt.lang, got, tt.want)
		}
	}
}

func TestLocale_TAndFallback(t *testing.T) {
	en := For("en")
	if got := en.T("byline", "names", "Ana"); got != "By Ana" {
		t.Errorf("T byline = %q", got)
	}
	if got := For("es-x-mtfrom-en").Tag(); got != "es" {
		t.Errorf("For(es-x-mtfrom-en) = %s", got)
	}
	if got := For("xx").Tag(); got != "en" {
		t.Errorf("For(xx) = %s", got)
	}
	if got := en.T("no.such.key"); got != "[[no.such.key]]" {
		t.Errorf("missing key = %q", got)
	}
	// A key missing from a catalog falls back to English, or shows itself
	// in strict mode.
	es := *For("es")
	es.cat = catalog{}
	if got := es.T("home.latest"); got != "Latest" {
		t.Errorf("fallback = %q", got)
	}
	if got := es.Strict().T("home.latest"); got != "[[home.latest]]" {
		t.Errorf("strict = %q", got)
	}
	b, a := en.Around("byline", "names")
	if b != "By " || a != "" {
		t.Errorf("Around = %q, %q", b, a)
	}
}

func TestLocale_JoinNames(t *testing.T) {
	tests := []struct {
		lang  string
		names []string
		want  string
	}{
		{"en", nil, ""},
		{"en", []string{"A"}, "A"},
		{"en", []string{"A", "B"}, "A and B"},
		{"en", []string{"A", "B", "C"}, "A, B and C"},
		{"es", []string{"A", "B", "C"}, "A, B y C"},
		{"ja", []string{"A", "B", "C"}, "A、B、C"},
		{"ar", []string{"A", "B"}, "A وB"},
	}
	for _, tt := range tests {
		if got := For(tt.lang).JoinNames(tt.names); got != tt.want {
			t.Errorf("%s %v = %q, want %q", tt.lang, tt.names, got, tt.want)
		}
	}
}

func TestLocale_LanguageName(t *testing.T) {
	for _, tt := range []struct{ ui, tag, want string }{
		{"es", "en", "inglés"}, {"en", "fa", "Persian"}, {"fa", "en", "انگلیسی"},
	} {
		if got := For(tt.ui).LanguageName(tt.tag); got != tt.want {
			t.Errorf("%s name of %s = %q, want %q", tt.ui, tt.tag, got, tt.want)
		}
	}
}

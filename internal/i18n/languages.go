package i18n

import "strings"

// Language is one language of the reader interface.
type Language struct {
	Tag  string // BCP 47, e.g. "zh-Hans"
	Name string // native name, as the language menu shows it
	Dir  string // "ltr" or "rtl"
}

// Languages lists the 51 interface languages in the order the language menu
// shows them.
var Languages = []Language{
	{"en", "English", "ltr"}, {"ar", "العربية", "rtl"}, {"bn", "বাংলা", "ltr"},
	{"bg", "Български", "ltr"}, {"ca", "Català", "ltr"}, {"zh-Hans", "简体中文", "ltr"},
	{"zh-Hant", "繁體中文", "ltr"}, {"hr", "Hrvatski", "ltr"}, {"cs", "Čeština", "ltr"},
	{"da", "Dansk", "ltr"}, {"nl", "Nederlands", "ltr"}, {"et", "Eesti", "ltr"},
	{"fil", "Filipino", "ltr"}, {"fi", "Suomi", "ltr"}, {"fr", "Français", "ltr"},
	{"gl", "Galego", "ltr"}, {"de", "Deutsch", "ltr"}, {"el", "Ελληνικά", "ltr"},
	{"he", "עברית", "rtl"}, {"hi", "हिन्दी", "ltr"}, {"hu", "Magyar", "ltr"},
	{"id", "Bahasa Indonesia", "ltr"}, {"it", "Italiano", "ltr"}, {"ja", "日本語", "ltr"},
	{"ko", "한국어", "ltr"}, {"lv", "Latviešu", "ltr"}, {"lt", "Lietuvių", "ltr"},
	{"ms", "Bahasa Melayu", "ltr"}, {"mt", "Malti", "ltr"}, {"nb", "Norsk bokmål", "ltr"},
	{"fa", "فارسی", "rtl"}, {"ps", "پښتو", "rtl"}, {"pl", "Polski", "ltr"},
	{"pt", "Português", "ltr"}, {"ro", "Română", "ltr"}, {"ru", "Русский", "ltr"},
	{"sr", "Српски", "ltr"}, {"sk", "Slovenčina", "ltr"}, {"sl", "Slovenščina", "ltr"},
	{"es", "Español", "ltr"}, {"sw", "Kiswahili", "ltr"}, {"sv", "Svenska", "ltr"},
	{"tg", "Тоҷикӣ", "ltr"}, {"th", "ไทย", "ltr"}, {"tr", "Türkçe", "ltr"},
	{"uk", "Українська", "ltr"}, {"ur", "اردو", "rtl"}, {"uz", "Oʻzbekcha", "ltr"},
	{"vi", "Tiếng Việt", "ltr"}, {"sq", "Shqip", "ltr"}, {"hy", "Հայերեն", "ltr"},
}

var byTag = func() map[string]int {
	m := make(map[string]int, len(Languages))
	for i, l := range Languages {
		m[l.Tag] = i
	}
	return m
}()

// Supported reports whether tag is one of the interface languages, exactly
// as listed (tags are case-sensitive in URLs: "zh-Hans", not "zh-hans").
func Supported(tag string) bool {
	_, ok := byTag[tag]
	return ok
}

// Tags returns the 51 interface language tags in menu order.
func Tags() []string {
	out := make([]string, len(Languages))
	for i, l := range Languages {
		out[i] = l.Tag
	}
	return out
}

// rtlPrimary are primary subtags written right to left, for content tags
// outside the interface list (Dari "prs", Sorani "ckb", ...).
var rtlPrimary = map[string]bool{
	"ar": true, "fa": true, "ps": true, "ur": true, "he": true, "iw": true,
	"prs": true, "ckb": true, "sd": true, "ug": true, "yi": true, "dv": true,
}

// Dir returns "rtl" for a tag written right to left, else "ltr". It accepts
// any BCP 47 tag, e.g. "fa-AF" or "ar-x-mtfrom-en".
func Dir(tag string) string {
	if i, ok := byTag[tag]; ok {
		return Languages[i].Dir
	}
	primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
	if rtlPrimary[primary] {
		return "rtl"
	}
	return "ltr"
}

// extraNames are autonyms of content languages outside the interface list.
var extraNames = map[string]string{
	"fa-AF": "دری", "prs": "دری", "az": "Azərbaycanca", "ka": "ქართული", "kk": "Қазақша",
	"ku": "Kurdî", "ky": "Кыргызча", "mn": "Монгол", "tk": "Türkmençe", "zh": "中文",
}

// NativeName returns the name of tag in its own language, or the tag itself
// when unknown.
func NativeName(tag string) string {
	if i, ok := byTag[tag]; ok {
		return Languages[i].Name
	}
	if n, ok := extraNames[tag]; ok {
		return n
	}
	if primary, _, ok := strings.Cut(tag, "-"); ok {
		return NativeName(primary)
	}
	return tag
}

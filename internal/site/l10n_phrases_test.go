package site_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"

	"folio/internal/i18n"
)

// The page-level language check compares every text of a page with the
// English texts of the same site: the text nodes of the English pages and
// every English catalog message. A text that reads the same as one of them,
// outside an element marked English, is English a reader of the page's
// language gets unannounced. The phrase set is built once; each page is
// then one walk of its tree with map lookups, so 102 pages take well under
// a second.

// placeholderRE splits catalog messages into their literal parts.
var placeholderRE = regexp.MustCompile(`\{[a-z0-9_]+\}`)

// phraseKey normalizes a text for comparison: spaces collapsed, punctuation
// and symbols at either end dropped, lower case. Texts without two letters
// (numbers, "©", "·") are no language's and give "".
func phraseKey(s string) string {
	s = strings.TrimFunc(strings.Join(strings.Fields(s), " "), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	// An address is no language's text, whatever words it has.
	if letters < 2 || strings.Contains(s, "://") || (strings.Contains(s, "@") && !strings.Contains(s, " ")) {
		return ""
	}
	return strings.ToLower(s)
}

// catalogPhrases returns the keys of every literal part of every message of
// the locale: the words the interface says in that language.
func catalogPhrases(l *i18n.Locale) map[string]bool {
	out := map[string]bool{}
	add := func(msg string) {
		for _, part := range placeholderRE.Split(msg, -1) {
			if k := phraseKey(part); k != "" {
				out[k] = true
			}
		}
	}
	for _, k := range l.Keys() {
		if forms := l.Forms(k); forms != nil {
			for _, f := range forms {
				add(f)
			}
			continue
		}
		raw, _ := l.Raw(k)
		add(raw)
	}
	return out
}

// checkedAttrs are the attributes a screen reader or a browser shows as text.
var checkedAttrs = []string{"aria-label", "title", "alt", "placeholder"}

// textRun is one text of a page with the language it is marked with.
type textRun struct {
	Lang, Dir string // of the nearest element that says
	Text      string
	Where     string // element name, or name[attr]
}

// pageTexts walks the body of a page (and the document title) and returns
// every text node and checked attribute with the language and direction in
// force there, plus the elements that carry lang without dir.
func pageTexts(t *testing.T, body string) (runs []textRun, langNoDir []string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node, lang, dir string, inBody bool)
	walk = func(n *html.Node, lang, dir string, inBody bool) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "template":
				return
			case "body":
				inBody = true
			}
			hasLang, hasDir := false, false
			for _, a := range n.Attr {
				switch a.Key {
				case "lang":
					lang, hasLang = a.Val, true
				case "dir":
					dir, hasDir = a.Val, true
				}
			}
			// A fallback must carry both: lang for the voice, dir for the
			// bidi algorithm ("auto" counts, for readers' own text).
			if inBody && hasLang && !hasDir && lang != "" {
				langNoDir = append(langNoDir, n.Data+"[lang="+lang+"] "+strings.TrimSpace(textOf(n)))
			}
			if inBody || n.Data == "title" {
				for _, a := range n.Attr {
					for _, c := range checkedAttrs {
						if a.Key == c {
							runs = append(runs, textRun{Lang: lang, Dir: dir, Text: a.Val, Where: n.Data + "[" + c + "]"})
						}
					}
				}
			}
		}
		if n.Type == html.TextNode && (inBody || (n.Parent != nil && n.Parent.Data == "title")) {
			where := ""
			if n.Parent != nil {
				where = n.Parent.Data
			}
			runs = append(runs, textRun{Lang: lang, Dir: dir, Text: n.Data, Where: where})
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, lang, dir, inBody)
		}
	}
	walk(doc, "", "", false)
	return runs, langNoDir
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var f func(*html.Node)
	f = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(n)
	return b.String()
}

// englishChecker knows the English phrases of a site and the phrases of
// every interface language, built once for all pages.
type englishChecker struct {
	english map[string]bool
	native  map[string]map[string]bool // by language: texts its catalog shares with English
}

func newEnglishChecker(t *testing.T, englishPages ...string) *englishChecker {
	t.Helper()
	if err := i18n.Load(); err != nil {
		t.Fatal(err)
	}
	c := &englishChecker{english: catalogPhrases(i18n.For("en")), native: map[string]map[string]bool{}}
	for _, body := range englishPages {
		runs, _ := pageTexts(t, body)
		for _, r := range runs {
			// Only what the English page marks English: the language menu
			// writes every language's name in that language.
			if r.Lang != "en" && !strings.HasPrefix(r.Lang, "en-") {
				continue
			}
			if k := phraseKey(r.Text); k != "" {
				c.english[k] = true
			}
		}
	}
	for _, tag := range i18n.Tags() {
		if tag == "en" {
			continue
		}
		own := map[string]bool{}
		for k := range catalogPhrases(i18n.For(tag)) {
			if c.english[k] {
				own[k] = true // the same word in both ("Newsletter", "Email")
			}
		}
		c.native[tag] = own
	}
	return c
}

// addNative records texts the site's data gives in lang (a term's Spanish
// name "Global" is Spanish, though English writes it the same).
func (c *englishChecker) addNative(lang string, texts ...string) {
	for _, s := range texts {
		if k := phraseKey(s); k != "" && c.native[lang] != nil {
			c.native[lang][k] = true
		}
	}
}

// unmarked returns the English texts of a page in language lang that are
// not inside an element marked English (or "" for readers' own text of
// unknown language). The page's allowed exceptions (names) are taken out
// of each text first, so "© 2026 The Meridian Review" is checked as "©
// 2026" and a sentence around a name is still checked.
func (c *englishChecker) unmarked(t *testing.T, lang, body string, allowed []string) []string {
	t.Helper()
	runs, _ := pageTexts(t, body)
	var out []string
	for _, r := range runs {
		// Text marked with another language (English, a language's own
		// name in the menu, "" for readers' comments) is announced as such.
		if r.Lang != lang && !strings.HasPrefix(r.Lang, lang+"-") {
			continue
		}
		text := r.Text
		for _, name := range allowed {
			text = strings.ReplaceAll(text, name, " ")
		}
		k := phraseKey(text)
		if k == "" || !c.english[k] || c.native[lang][k] {
			continue
		}
		out = append(out, r.Where+" (lang="+r.Lang+"): "+strings.Join(strings.Fields(r.Text), " "))
	}
	return out
}

func TestPhraseKey(t *testing.T) {
	for in, want := range map[string]string{
		"  Share this\n article ": "share this article", "(no articles yet)": "no articles yet",
		"©": "", "2026": "", "· A": "", "Photo: ": "photo",
		"editors@example.org": "", "http://localhost:8080/the-canal/": "",
	} {
		if got := phraseKey(in); got != want {
			t.Errorf("phraseKey(%q) = %q, want %q", in, got, want)
		}
	}
}

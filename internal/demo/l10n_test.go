package demo

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"folio/internal/content"
	"folio/internal/i18n"
)

// englishWord matches frequent English words that are words of none of the
// other 50 interface languages.
var englishWord = regexp.MustCompile(`(?i)\b(the|and|with|that|from|our|which|have|been|were|their|will|about|who|this)\b`)

var (
	mdLinkTarget = regexp.MustCompile(`\]\([^)]*\)`)
	bareAddress  = regexp.MustCompile(`\S+@\S+|https?://\S+`)
)

// readsEnglish reports whether s reads as English prose once names,
// addresses and link targets are taken out: two different English words.
func readsEnglish(s string, names []string) bool {
	s = mdLinkTarget.ReplaceAllString(s, "]")
	s = bareAddress.ReplaceAllString(s, "")
	for _, n := range names {
		s = strings.ReplaceAll(s, n, "")
	}
	seen := map[string]bool{}
	for _, w := range englishWord.FindAllString(s, -1) {
		seen[strings.ToLower(w)] = true
	}
	return len(seen) >= 2
}

// sameAsEnglish lists the texts that are rightly the same as the English in
// a language, each as "lang key". A term name of one word may always be: a
// name ("Iran"), a word both languages share ("Interview") or an
// abbreviation ("LNG").
var sameAsEnglish = map[string]bool{
	"fr menu /contact/": true, "nl menu /contact/": true, "ro menu /contact/": true,
}

// latinScript reports whether a language is written in the Latin script, by
// its native name as the language menu shows it.
func latinScript(l i18n.Language) bool {
	for _, r := range l.Name {
		// ʻ in Oʻzbekcha is a letter of the Common script.
		if unicode.IsLetter(r) && !unicode.In(r, unicode.Latin, unicode.Common) {
			return false
		}
	}
	return true
}

// TestLocalesCoverInterfaceLanguages checks the demo's own texts in every
// interface language: each has its file under data/l10n, the file parses
// and names only what exists, every text a page shows (the name, tagline,
// description, notices, banner, menu labels, term names and descriptions,
// authors' bios) is there and not left in English, notices keep every address of the original, and languages in
// other scripts have the authors' names transliterated into them.
func TestLocalesCoverInterfaceLanguages(t *testing.T) {
	ds := mustLoad(t)
	s := ds.Settings
	var names []string // texts a locale may leave as they are
	names = append(names, s.Title, "Folio")
	for _, a := range ds.Authors {
		names = append(names, a.Name)
	}
	for _, l := range i18n.Languages {
		if l.Tag == s.DefaultLanguage {
			if _, err := fs.Stat(files, "data/l10n/"+l.Tag+".json"); err == nil {
				t.Errorf("l10n/%s.json: the default language's texts belong in site.txt, terms.txt and authors.txt", l.Tag)
			}
			continue
		}
		t.Run(l.Tag, func(t *testing.T) {
			b, err := fs.ReadFile(files, "data/l10n/"+l.Tag+".json")
			if err != nil {
				t.Fatalf("no locale file: %v", err)
			}
			if !json.Valid(b) {
				t.Fatalf("l10n/%s.json is not valid JSON", l.Tag)
			}
			if ds.Locales[l.Tag] == nil {
				t.Fatalf("Load did not read l10n/%s.json", l.Tag)
			}
			check := func(key, got, english string, required bool) {
				t.Helper()
				switch {
				case strings.TrimSpace(got) == "":
					if required {
						t.Errorf("%s is missing", key)
					}
				case got == english && !sameAsEnglish[l.Tag+" "+key] &&
					(strings.ContainsAny(got, " \n") || !strings.HasSuffix(key, " name")):
					t.Errorf("%s is the English text %q", key, english)
				case readsEnglish(got, names):
					t.Errorf("%s reads as English: %.80q", key, got)
				}
			}
			tr := s.Translations[l.Tag]
			for _, f := range content.TranslatableSettings {
				english, _ := s.SettingsField(f)
				check(f, tr[f], english, true)
				if strings.HasPrefix(f, "notices.") {
					for _, addr := range bareAddress.FindAllString(english, -1) {
						if !strings.Contains(tr[f], strings.Trim(addr, "()[].,")) {
							t.Errorf("%s drops %s", f, addr)
						}
					}
				}
			}
			en, loc := s.Menus[s.DefaultLanguage], s.Menus[l.Tag]
			if len(loc.Footer) != len(en.Footer) {
				t.Errorf("footer menu has %d items, want %d", len(loc.Footer), len(en.Footer))
			} else {
				for i, it := range loc.Footer {
					check("menu "+it.URL, it.Label, en.Footer[i].Label, true)
				}
			}
			for _, term := range ds.Terms {
				key := string(term.Kind) + "/" + term.Slug
				check(key+" name", term.Names[l.Tag], term.Name, true)
				check(key+" description", term.Descriptions[l.Tag], term.Description, true)
			}
			for _, a := range ds.Authors {
				tx := a.Translations[l.Tag]
				if !latinScript(l) {
					if tx.Name == "" {
						t.Errorf("author %s: no name in the %s script", a.Slug, l.Name)
					} else if strings.IndexFunc(tx.Name, func(r rune) bool { return unicode.Is(unicode.Latin, r) }) >= 0 {
						t.Errorf("author %s: name %q is not transliterated", a.Slug, tx.Name)
					}
				}
				check("author "+a.Slug+" bio", tx.Bio, a.Bio, true)
			}
		})
	}
}

func TestLocaleErrors(t *testing.T) {
	good := `{"title": "T", "tagline": "G", "notices": {"disclaimer": "D"}, "terms": {"region/r": {"name": "R2"}}, "authors": {"a": {"name": "Б"}}}`
	fsys := testFS(goodArticle)
	fsys["data/l10n/de.json"] = &fstest.MapFile{Data: []byte(good)}
	ds, err := load(fsys)
	if err != nil {
		t.Fatalf("good locale: %v", err)
	}
	if got := ds.Terms[0].Names["de"]; got != "R2" {
		t.Errorf("term name in de = %q", got)
	}
	if got := ds.Settings.Translations["de"]["notices.disclaimer"]; got != "D" {
		t.Errorf("disclaimer in de = %q", got)
	}
	tests := []struct{ file, body, want string }{
		{"de.json", `{"titel": "T"}`, `l10n/de.json: json: unknown field "titel"`},
		{"de.json", "{\n\"title\": 3}", `l10n/de.json line 2:`},
		{"xx.json", good, `"xx" is not an interface language`},
		{"en.json", good, `en is the default language`},
		{"de.json", `{"notices": {"disclaimers": "D"}}`, `unknown notice "disclaimers"`},
		{"de.json", `{"terms": {"theme/r": {"name": "R"}}}`, `no term "theme/r"`},
		{"de.json", `{"authors": {"b": {"name": "B"}}}`, `no author "b"`},
		{"de.json", `{"menu": {"/nowhere/": "X"}}`, `"/nowhere/" is not the URL of an item`},
		{"de.json", `{"banner": "X"}`, `sets no banner`},
	}
	// A text has one home: inline in site.txt or in the locale file.
	fsys = testFS(goodArticle)
	fsys["data/site.txt"].Data = append(fsys["data/site.txt"].Data, "translation.de.title: T\n"...)
	fsys["data/l10n/de.json"] = &fstest.MapFile{Data: []byte(good)}
	if _, err := load(fsys); err == nil || !strings.Contains(err.Error(), "title is also given in site.txt") {
		t.Errorf("title in site.txt and de.json: got error %v", err)
	}
	for _, tt := range tests {
		fsys := testFS(goodArticle)
		fsys["data/l10n/"+tt.file] = &fstest.MapFile{Data: []byte(tt.body)}
		_, err := load(fsys)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %s: got error %v, want it to contain %q", tt.file, tt.body, err, tt.want)
		}
	}
}

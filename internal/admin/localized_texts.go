package admin

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"folio/internal/i18n"
)

// LangText is one language's version of an author's or a term's texts in
// their editor, beside the original.
type LangText struct {
	Lang, LangName, Dir string
	Name, Text          string // transliterated name (authors) and bio or description
}

// textLanguages are the languages an author's or term's editor offers:
// the site's languages other than the default, then any language a text is
// stored in already, so no stored translation is hidden or dropped.
func (a *Admin) textLanguages(ctx context.Context, stored []string) ([]string, error) {
	st, err := a.st.Settings(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range st.Languages {
		if l != st.DefaultLanguage && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	slices.Sort(stored)
	for _, l := range stored {
		if l != st.DefaultLanguage && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out, nil
}

func langText(lang, name, text string) LangText {
	return LangText{Lang: lang, LangName: i18n.NativeName(lang), Dir: i18n.Dir(lang), Name: name, Text: text}
}

// formTexts reads the per-language fields of an editor form: name.{lang}
// (when withName) and text.{lang}. Only languages the form carried are in
// the result, so a language the form did not show keeps its stored text.
func formTexts(r *http.Request, withName bool) map[string][2]string {
	out := map[string][2]string{}
	for key, vals := range r.PostForm {
		lang, ok := strings.CutPrefix(key, "text.")
		if !ok || len(vals) == 0 {
			continue
		}
		var name string
		if withName {
			name = strings.TrimSpace(r.PostFormValue("name." + lang))
		}
		out[lang] = [2]string{name, strings.ReplaceAll(vals[0], "\r\n", "\n")}
	}
	return out
}

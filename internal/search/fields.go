package search

import (
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/mapping"

	// Analyzers, tokenizers and filters register themselves by name.
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	_ "github.com/blevesearch/bleve/v2/analysis/char/regexp"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ar"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ckb"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/da"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/de"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/es"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fa"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fi"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fr"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hi"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hr"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hu"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/it"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/nl"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/no"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/pl"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/pt"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ro"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ru"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/sv"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/tr"
	_ "github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	_ "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
)

// mappingVersion changes whenever the fields or analyzers do; an index
// made with another version is rebuilt.
const mappingVersion = "1"

// Each language with an analyzer of its own gets its own title and body
// fields, so a query is analyzed the way each language's text was. Other
// languages share the standard analyzer's fields.
var analyzers = map[string]string{
	"ar": "ar", "fa": "fa", "prs": "fa", "ckb": "ckb", "da": "da", "de": "de", "en": "en",
	"es": "es", "fi": "fi", "fr": "fr", "hi": "hi", "hr": "hr", "hu": "hu", "it": "it",
	"nl": "nl", "no": "no", "nb": "no", "nn": "no", "pl": "pl", "pt": "pt", "ro": "ro",
	"ru": "ru", "sv": "sv", "tr": "tr", "zh": "cjk", "ja": "cjk", "ko": "cjk",
}

const stdGroup = "std"

// groups are the distinct field suffixes: every analyzer name and "std".
var groups = func() []string {
	seen := map[string]bool{stdGroup: true}
	out := []string{stdGroup}
	for _, a := range analyzers {
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}()

// analyzerOf returns the analyzer name of a group's fields.
func analyzerOf(g string) string {
	switch g {
	case stdGroup:
		return standard.Name
	case "fa":
		return faAnalyzer
	}
	return g
}

// group returns the field suffix of a language tag, by its primary subtag.
func group(lang string) string {
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	if g, ok := analyzers[base]; ok {
		return g
	}
	return stdGroup
}

func titleField(g string) string { return "title_" + g }
func bodyField(g string) string  { return "body_" + g }

// Keyword and other fields.
const (
	fieldLang      = "lang"
	fieldPublished = "published"
	fieldTag       = "tag"
	faAnalyzer     = "folio_fa"
	// fieldWords holds every word unstemmed, for spelling suggestions that
	// are words as written (a stem such as "countri" is no suggestion).
	fieldWords    = "words"
	wordsAnalyzer = "folio_words"
)

// facetField maps a facet (or the tag filter) to its index field.
var facetField = map[string]string{
	FacetRegion: "region", FacetTheme: "theme", FacetDossier: "dossier", FacetAuthor: "author",
	FacetYear: "year", FacetLanguage: fieldLang, "tag": fieldTag,
}

func newMapping() (mapping.IndexMapping, error) {
	im := bleve.NewIndexMapping()
	// bleve's Persian analyzer replaces the zero-width non-joiner (3 bytes)
	// with one space, which shifts every later offset and so misplaces the
	// highlights; three spaces keep the offsets.
	if err := im.AddCustomCharFilter("folio_zwnj", map[string]any{
		"type": "regexp", "regexp": "\u200C", "replace": "   ",
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(faAnalyzer, map[string]any{
		"type": "custom", "char_filters": []any{"folio_zwnj"}, "tokenizer": "unicode",
		"token_filters": []any{"to_lower", "normalize_ar", "normalize_fa", "stop_fa"},
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(wordsAnalyzer, map[string]any{
		"type": "custom", "tokenizer": "unicode", "token_filters": []any{"to_lower"},
	}); err != nil {
		return nil, err
	}
	dm := bleve.NewDocumentStaticMapping()
	for _, g := range groups {
		an := analyzerOf(g)
		for _, name := range []string{titleField(g), bodyField(g)} {
			fm := bleve.NewTextFieldMapping()
			fm.Analyzer = an
			fm.Store = true
			fm.IncludeTermVectors = true // for highlighting
			fm.IncludeInAll = false
			fm.DocValues = false
			dm.AddFieldMappingsAt(name, fm)
		}
	}
	for _, f := range []string{"region", "theme", "dossier", "author", "year", fieldLang, fieldTag} {
		fm := bleve.NewKeywordFieldMapping()
		fm.Store = f == fieldLang
		fm.IncludeInAll = false
		fm.IncludeTermVectors = false
		dm.AddFieldMappingsAt(f, fm)
	}
	pm := bleve.NewDateTimeFieldMapping()
	pm.Store = false
	pm.IncludeInAll = false
	dm.AddFieldMappingsAt(fieldPublished, pm)
	wm := bleve.NewTextFieldMapping()
	wm.Analyzer = wordsAnalyzer
	wm.Store = false
	wm.IncludeInAll = false
	wm.IncludeTermVectors = false
	wm.DocValues = false
	dm.AddFieldMappingsAt(fieldWords, wm)
	im.DefaultMapping = dm
	im.DefaultAnalyzer = standard.Name
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im, nil
}

package search

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	index "github.com/blevesearch/bleve_index_api"
)

// suggest returns text with each word the archive does not contain replaced
// by the most frequent archive word within one edit (two for longer
// words), or "" when every word is known or nothing close exists. It reads
// the unstemmed words field, so suggestions are words as written.
func (b *Bleve) suggest(text string) (string, error) {
	an := b.idx.Mapping().AnalyzerNamed(wordsAnalyzer)
	if an == nil {
		return "", fmt.Errorf("search: suggest: no analyzer %s", wordsAnalyzer)
	}
	adv, err := b.idx.Advanced()
	if err != nil {
		return "", fmt.Errorf("search: suggest: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return "", fmt.Errorf("search: suggest: %w", err)
	}
	defer r.Close()
	toks := an.Analyze([]byte(strings.ReplaceAll(text, `"`, " ")))
	words := make([]string, 0, len(toks))
	changed := false
	for _, t := range toks {
		w := string(t.Term)
		words = append(words, w)
		n := utf8.RuneCountInString(w)
		if n < 3 {
			continue
		}
		known, err := docFreq(r, w)
		if err != nil {
			return "", err
		}
		if known > 0 {
			continue
		}
		fuzz := 1
		if n > 5 {
			fuzz = 2
		}
		best, err := closest(r, w, fuzz)
		if err != nil {
			return "", err
		}
		if best != "" {
			words[len(words)-1] = best
			changed = true
		}
	}
	if !changed {
		return "", nil
	}
	return strings.Join(words, " "), nil
}

func docFreq(r index.IndexReader, w string) (uint64, error) {
	tfr, err := r.TermFieldReader(context.Background(), []byte(w), fieldWords, false, false, false)
	if err != nil {
		return 0, fmt.Errorf("search: suggest: %w", err)
	}
	defer tfr.Close()
	return tfr.Count(), nil
}

// closest returns the archive word nearest to w within fuzz edits: the
// fewest edits first, then the most documents. The fuzzy dictionary does
// not count documents, so the first candidates are counted one by one.
func closest(r index.IndexReader, w string, fuzz int) (string, error) {
	fr, ok := r.(index.IndexReaderFuzzy)
	if !ok {
		return "", nil
	}
	d, fa, err := fr.FieldDictFuzzyAutomaton(fieldWords, w, fuzz, "")
	if err != nil {
		return "", fmt.Errorf("search: suggest %q: %w", w, err)
	}
	defer d.Close()
	var best string
	var bestN uint64
	bestDist := uint8(255)
	for range 64 {
		e, err := d.Next()
		if err != nil {
			return "", fmt.Errorf("search: suggest %q: %w", w, err)
		}
		if e == nil {
			break
		}
		dist := uint8(fuzz)
		if fa != nil {
			_, dist = fa.MatchAndDistance(e.Term)
		}
		if dist > bestDist {
			continue
		}
		n, err := docFreq(r, e.Term)
		if err != nil {
			return "", err
		}
		if dist < bestDist || n > bestN {
			best, bestN, bestDist = e.Term, n, dist
		}
	}
	return best, nil
}

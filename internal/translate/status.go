package translate

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"folio/internal/content"
	"folio/internal/i18n"
	"folio/internal/store"
)

// LangStatus is one language of an article's translation group, for the
// admin's translation panel.
type LangStatus struct {
	Language  string
	ArticleID int64 // 0 when only a job exists
	Status    content.Status
	Original  bool // the group's source text (no TranslationInfo)
	Machine   bool
	Reviewed  bool
	Outdated  bool
	Provider  string
	Job       *store.TranslationJob // the latest job for this language, if any
}

// Status lists the languages of the article's translation group: each
// article present with its machine/reviewed/outdated state, and languages
// whose translation is queued, running or failed. Sorted by language,
// originals first.
func (s *Service) Status(ctx context.Context, articleID int64) ([]LangStatus, error) {
	a, err := s.st.FindArticleByID(ctx, articleID)
	if err != nil {
		return nil, fmt.Errorf("translation status of %d: %w", articleID, err)
	}
	group, _, err := s.st.FindArticles(ctx, store.ArticleFilter{TranslationGroup: a.TranslationGroup})
	if err != nil {
		return nil, fmt.Errorf("translation status of %d: %w", articleID, err)
	}
	byLang := map[string]*LangStatus{}
	var out []*LangStatus
	for _, m := range group {
		ls := &LangStatus{Language: m.Language, ArticleID: m.ID, Status: m.Status, Original: m.Translation == nil}
		if t := m.Translation; t != nil {
			ls.Machine, ls.Reviewed, ls.Outdated, ls.Provider = t.Machine, t.Reviewed, t.Outdated, t.Provider
		}
		byLang[m.Language] = ls
		out = append(out, ls)
	}
	for _, m := range group {
		jobs, err := s.st.FindTranslationJobs(ctx, m.ID)
		if err != nil {
			return nil, fmt.Errorf("translation status of %d: %w", articleID, err)
		}
		for _, j := range jobs { // newest first: the first per language wins
			ls := byLang[j.TargetLang]
			if ls == nil {
				ls = &LangStatus{Language: j.TargetLang}
				byLang[j.TargetLang] = ls
				out = append(out, ls)
			}
			if ls.Job == nil || j.CreatedAt.After(ls.Job.CreatedAt) {
				ls.Job = j
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Original != out[j].Original {
			return out[i].Original
		}
		return out[i].Language < out[j].Language
	})
	res := make([]LangStatus, len(out))
	for i, ls := range out {
		res[i] = *ls
	}
	return res, nil
}

// Target is a language an article can be machine-translated into, and the
// provider that covers the pair.
type Target struct {
	Provider string
	Lang     string
}

// Targets lists, provider by provider (the default first), the interface
// languages each configured provider translates from into, so the request
// form offers only pairs that work. A provider that cannot say (its server
// is down) offers none and is named in unavailable.
func (s *Service) Targets(from string) (out []Target, unavailable []string) {
	names := make([]string, 0, len(s.providers))
	for n := range s.providers {
		if n != s.def {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	if s.def != "" {
		names = append([]string{s.def}, names...)
	}
	for _, n := range names {
		p := s.providers[n]
		if p == nil {
			continue
		}
		if pl, ok := p.(PairLister); ok {
			if _, err := pl.Pairs(); err != nil {
				unavailable = append(unavailable, n)
				continue
			}
		}
		for _, tag := range i18n.Tags() {
			if p.Supports(from, tag) {
				out = append(out, Target{Provider: n, Lang: tag})
			}
		}
	}
	return out, unavailable
}

// DraftTexts machine-translates texts (Markdown, keyed by field) with the
// default provider, as a first draft for the side-by-side editors of
// settings, bios and descriptions; nothing is stored. Empty texts stay
// empty. Errors: invalid for an unsupported pair, provider failures.
func (s *Service) DraftTexts(ctx context.Context, from, to string, texts map[string]string) (map[string]string, error) {
	p, err := s.Provider("")
	if err != nil {
		return nil, err
	}
	if !p.Supports(from, to) {
		return nil, unsupported(p.Name(), from, to)
	}
	out := make(map[string]string, len(texts))
	for k, src := range texts {
		if strings.TrimSpace(src) == "" {
			continue
		}
		d := SplitMarkdown(src)
		tr, err := s.translateSegments(ctx, p, from, to, d.Segments, nil)
		if err != nil {
			return nil, fmt.Errorf("draft %s in %s: %w", k, to, err)
		}
		out[k] = strings.TrimSpace(d.Join(tr))
	}
	return out, nil
}

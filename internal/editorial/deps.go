package editorial

import (
	"strconv"

	"folio/internal/content"
	"folio/internal/media"
)

// Dependency keys name what a rendered page read, so a write can drop exactly
// the pages that showed what it changed. Readers record them, writers emit
// them; both use these helpers so the spelling cannot drift.
const (
	// DepSettings is read by every page; a settings change drops all.
	DepSettings = "settings"
	// DepAll is read by pages listing everything (sitemaps); emitted by
	// any change to the set of public articles, authors or terms.
	DepAll = "list:all"
	// DepTerms is read by pages showing the set of terms (navigation,
	// dossier blocks); emitted when a term is created, renamed or removed.
	DepTerms = "terms"
)

// ArticleDep is the key of one article's own fields.
func ArticleDep(id int64) string { return "article:" + strconv.FormatInt(id, 10) }

// AuthorDep is the key of one author's own fields.
func AuthorDep(id int64) string { return "author:" + strconv.FormatInt(id, 10) }

// TermDep is the key of one term's own fields.
func TermDep(id int64) string { return "term:" + strconv.FormatInt(id, 10) }

// LangListDep is read by listings of every article in one language (home, feeds).
func LangListDep(lang string) string { return "list:lang:" + lang }

// AuthorListDep is read by listings of one author's articles.
func AuthorListDep(id int64) string { return "list:author:" + strconv.FormatInt(id, 10) }

// TermListDep is read by listings of one term's articles, and by article
// pages whose related articles come from that term.
func TermListDep(id int64) string { return "list:term:" + strconv.FormatInt(id, 10) }

// GroupDep is read by pages listing the translations of one group.
func GroupDep(id int64) string { return "group:" + strconv.FormatInt(id, 10) }

// MediaDep is read by pages showing a media-library image; emitted when its
// responsive variants are made. The media package owns the spelling.
func MediaDep(id int64) string { return media.Dep(id) }

// ArticleDeps is what a change to a (in this state) touches: its page and
// every listing it is or may be in. Callers emit it for the old and the new
// state so lists it left are dropped too.
func ArticleDeps(a *content.Article) []string {
	deps := []string{ArticleDep(a.ID), LangListDep(a.Language), GroupDep(a.TranslationGroup), DepAll}
	for _, au := range a.Authors {
		deps = append(deps, AuthorListDep(au.ID))
	}
	for _, t := range a.Terms {
		deps = append(deps, TermListDep(t.ID))
	}
	return deps
}

func (s *Service) notify(deps ...string) {
	if len(deps) == 0 {
		return
	}
	for _, fn := range s.onChange {
		fn(deps...)
	}
}

// articleChanged notifies the dependencies of the given states of one
// article. States readers never saw (drafts, pieces in review, scheduled
// ones) touch only the article's own key, so editing a draft drops nothing
// public.
func (s *Service) articleChanged(states ...*content.Article) {
	var deps []string
	for _, a := range states {
		if a.Status == content.StatusPublished {
			deps = append(deps, ArticleDeps(a)...)
		} else {
			deps = append(deps, ArticleDep(a.ID))
		}
	}
	s.notify(deps...)
}

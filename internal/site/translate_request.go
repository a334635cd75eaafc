package site

import (
	"errors"
	"net/http"
	"strconv"

	"folio/internal/content"
	"folio/internal/i18n"
	"folio/internal/store"
)

// handleTranslateRequest is the "translate this for me" button of a page
// showing an original in place of a missing translation: it makes (or
// finds) the machine translation and sends the reader to it. Anyone may
// ask, so the on-demand service rate-limits; the page is cached and
// carries no per-reader token, so the request must come from this site
// (Sec-Fetch-Site or Origin), which is what keeps other sites from
// spending the engine's time through their readers.
func (s *Site) handleTranslateRequest(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<10)
	q, err := s.newRequest(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	lang := r.PathValue("lang")
	id, perr := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if !sameSite(r) {
		http.Error(w, "This request came from another site and was refused.", http.StatusForbidden)
		return
	}
	switch {
	case perr != nil || id <= 0:
		err = store.NotFound("article", r.PathValue("id"))
	case !i18n.Supported(lang):
		err = store.NotFound("language", lang)
	case !q.settings.TranslateOnDemand || s.ondemand == nil:
		err = store.NotFound("translation", lang)
	}
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	q.lang = lang
	tr, err := s.ondemand.Translate(q.ctx, id, lang)
	if err == nil && (tr == nil || !tr.IsPublic(q.now)) {
		err = store.NotFound("translation", lang)
	}
	if err != nil {
		if content.ErrorCode(err) == content.ETOOLARGE {
			http.Error(w, "Too many translations were asked for; please try again in a minute.", http.StatusTooManyRequests)
			return
		}
		var ce *content.Error
		if !errors.As(err, &ce) {
			s.log.Warn("on-demand translation failed", "article_id", id, "lang", lang, "err", err)
		}
		s.fail(w, r, q, err)
		return
	}
	http.Redirect(w, r, q.urls.Article(tr), http.StatusSeeOther)
}

// sameSite reports whether a browser sent r from a page of this site.
func sameSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin":
		return true
	case "":
	default:
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return origin == scheme+"://"+r.Host
}

// groupMember returns the public article of group in lang, or nil.
func (s *Site) groupMember(q *request, group int64, lang string) (*content.Article, error) {
	as, _, err := s.store.FindArticles(q.ctx, store.ArticleFilter{Public: true, Now: q.now,
		TranslationGroup: group, Language: lang, Limit: 1, NoTotal: true})
	if err != nil || len(as) == 0 {
		return nil, err
	}
	return as[0], nil
}

package admin

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"folio/internal/auth"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/i18n"
	"folio/internal/store"
	"folio/internal/translate"
)

// TranslationsView is an article's translation panel: the languages of its
// group with their state, the latest machine-translation jobs, and the
// form to request one.
type TranslationsView struct {
	Base
	A         *content.Article
	Langs     []translate.LangStatus
	Running   bool // a job is queued or running: the page refreshes itself
	Lang      string
	Provider  string
	CanReview bool
	// Targets are the languages the configured providers translate the
	// article into, by provider; Unavailable names providers that could
	// not say (unreachable).
	Targets     []TargetGroup
	Unavailable []string
	// NoPair is the one message shown when no provider covers any pair
	// from the article's language.
	NoPair string
}

// TargetGroup is one provider's languages in the request form.
type TargetGroup struct {
	Provider string
	Options  []TargetOption
}

// TargetOption is one choice of the request form: "provider|lang".
type TargetOption struct {
	Value, Lang, Name string
	Selected          bool
}

func (a *Admin) translations(r *http.Request) (*translate.Service, *content.Article, error) {
	if a.cfg.Translate == nil {
		return nil, nil, content.Errorf(content.ENOTFOUND, "machine translation is not set up on this site")
	}
	id, err := pathID(r)
	if err != nil {
		return nil, nil, err
	}
	art, err := a.st.FindArticleByID(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	return a.cfg.Translate, art, nil
}

func (a *Admin) translationsView(r *http.Request, tr *translate.Service, art *content.Article, v *TranslationsView) error {
	v.Title, v.A = "Translations of "+art.Title, art
	v.CanReview = a.editor(r).Can(content.ActEditAnyArticle)
	langs, err := tr.Status(r.Context(), art.ID)
	if err != nil {
		return err
	}
	v.Langs = langs
	have := map[string]bool{}
	for _, l := range langs {
		if l.ArticleID != 0 {
			have[l.Language] = true
		}
	}
	targets, unavailable := tr.Targets(art.Language)
	v.Unavailable = unavailable
	for _, t := range targets {
		if have[t.Lang] {
			continue
		}
		if len(v.Targets) == 0 || v.Targets[len(v.Targets)-1].Provider != t.Provider {
			v.Targets = append(v.Targets, TargetGroup{Provider: t.Provider})
		}
		g := &v.Targets[len(v.Targets)-1]
		g.Options = append(g.Options, TargetOption{Value: t.Provider + "|" + t.Lang, Lang: t.Lang,
			Name: i18n.NativeName(t.Lang) + " (" + t.Lang + ")", Selected: t.Lang == v.Lang && (v.Provider == "" || v.Provider == t.Provider)})
	}
	if len(v.Targets) == 0 {
		v.NoPair = "No configured translation provider translates from " + i18n.NativeName(art.Language) +
			" (" + art.Language + ") into a language this article lacks. Install an Apertium pair or add LibreTranslate (see docs/translation.md)."
	}
	for _, l := range langs {
		if l.Job != nil && (l.Job.State == store.JobQueued || l.Job.State == store.JobRunning) {
			v.Running = true
		}
	}
	return nil
}

func (a *Admin) handleTranslations(w http.ResponseWriter, r *http.Request) error {
	tr, art, err := a.translations(r)
	if err != nil {
		return err
	}
	v := &TranslationsView{}
	if err := a.translationsView(r, tr, art, v); err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "translations", v)
}

// handleTranslationRequest queues a machine translation. The service checks
// the role; a provider that lacks the pair is reported on the form.
func (a *Admin) handleTranslationRequest(w http.ResponseWriter, r *http.Request) error {
	tr, art, err := a.translations(r)
	if err != nil {
		return err
	}
	lang := strings.TrimSpace(r.PostFormValue("lang"))
	provider := strings.TrimSpace(r.PostFormValue("provider"))
	if t := r.PostFormValue("target"); t != "" {
		// The form's choice: "provider|lang".
		provider, lang, _ = strings.Cut(t, "|")
	}
	if lang == "" {
		err = &content.Error{Code: content.EINVALID, Message: "Choose a language.", Fields: map[string]string{"lang": "is required"}}
	} else {
		var j *store.TranslationJob
		j, err = tr.Request(r.Context(), art.ID, lang, provider, auth.UserFrom(r.Context()))
		if err == nil {
			a.audit(r, "translation.request", "article", art.ID, "asked for a machine translation to "+lang+" ("+j.Provider+")")
			return seeOther(w, r, "/admin/articles/"+strconv.FormatInt(art.ID, 10)+"/translations")
		}
	}
	if !userError(err) {
		return err
	}
	v := &TranslationsView{Lang: lang, Provider: provider}
	// One clear message: at the top, not repeated beside the field.
	v.Error = content.ErrorMessage(err)
	if verr := a.translationsView(r, tr, art, v); verr != nil {
		return verr
	}
	return a.render(w, r, statusOf(err), "translations", v)
}

// TranslateView is the side-by-side translation editor.
type TranslateView struct {
	Base
	Source    *content.Article
	T         *content.Article
	Outdated  bool
	Diff      template.HTML     // source body then → now, when the translated version is in the revisions
	Changes   []*store.Revision // source revisions since the translation, when it is not
	CanReview bool
}

func (a *Admin) translateView(r *http.Request) (*TranslateView, error) {
	tr, src, err := a.translations(r)
	if err != nil {
		return nil, err
	}
	_ = tr
	lang := r.PathValue("lang")
	group, _, err := a.st.FindArticles(r.Context(), store.ArticleFilter{TranslationGroup: src.TranslationGroup})
	if err != nil {
		return nil, err
	}
	var t *content.Article
	for _, m := range group {
		if m.Language == lang && m.Translation != nil && m.Translation.SourceID == src.ID {
			t = m
		}
	}
	if t == nil {
		return nil, content.Errorf(content.ENOTFOUND, "article %d has no %s translation", src.ID, lang)
	}
	ed := a.editor(r)
	if !ed.CanEdit(t) && !ed.CanEdit(src) {
		return nil, content.Errorf(content.EFORBIDDEN, "you may not edit this translation")
	}
	v := &TranslateView{Base: Base{Title: "Translate " + src.Title + " to " + lang}, Source: src, T: t,
		CanReview: ed.Can(content.ActEditAnyArticle)}
	if t.Translation.SourceVersion != translate.SourceVersion(src) {
		v.Outdated = true
		a.sourceChanges(r, src, t, v)
	}
	return v, nil
}

// sourceChanges finds what changed in the source since t was made: the
// newest source revision whose text hashes to t's SourceVersion gives an
// exact diff; without one, the revisions since t was last written.
func (a *Admin) sourceChanges(r *http.Request, src, t *content.Article, v *TranslateView) {
	revs, err := a.st.FindRevisions(r.Context(), src.ID)
	if err != nil {
		a.log.WarnContext(r.Context(), "source revisions for translation", "article_id", src.ID, "err", err)
		return
	}
	for _, rev := range revs {
		old := &content.Article{Title: rev.Title, Deck: rev.Deck, Excerpt: rev.Excerpt, BodyMarkdown: rev.BodyMarkdown, Image: rev.Snapshot.Image}
		if translate.SourceVersion(old) == t.Translation.SourceVersion {
			v.Diff = diffHTML("# "+rev.Title+"\n"+rev.Deck+"\n\n"+rev.BodyMarkdown, "# "+src.Title+"\n"+src.Deck+"\n\n"+src.BodyMarkdown)
			return
		}
	}
	for _, rev := range revs {
		if rev.At.After(t.UpdatedAt) {
			v.Changes = append(v.Changes, rev)
		}
	}
}

func (a *Admin) handleTranslateEdit(w http.ResponseWriter, r *http.Request) error {
	v, err := a.translateView(r)
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "translate", v)
}

// handleTranslateSave stores the translation's title, deck and body. The
// editorial service checks the role: authors and contributors may edit
// translations of their own pieces. A person's edit makes the text no
// longer a pure machine translation, but it stays unreviewed until an
// editor marks it.
func (a *Admin) handleTranslateSave(w http.ResponseWriter, r *http.Request) error {
	v, err := a.translateView(r)
	if err != nil {
		return err
	}
	t := v.T
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	t.Title = strings.TrimSpace(r.PostFormValue("title"))
	t.Deck = strings.TrimSpace(r.PostFormValue("deck"))
	t.BodyMarkdown = r.PostFormValue("body")
	if err := a.editor(r).UpdateArticle(r.Context(), t, editorial.Version(version)); err != nil {
		if !userError(err) {
			return err
		}
		v.Error, v.Fields = content.ErrorMessage(err), fieldsOf(err)
		return a.render(w, r, statusOf(err), "translate", v)
	}
	a.audit(r, "translation.save", "article", t.ID, "edited the "+t.Language+" translation of article "+strconv.FormatInt(v.Source.ID, 10))
	return seeOther(w, r, r.URL.Path+"?done=saved")
}

// handleTranslateReview marks the translation reviewed; the service allows
// editors only.
func (a *Admin) handleTranslateReview(w http.ResponseWriter, r *http.Request) error {
	v, err := a.translateView(r)
	if err != nil {
		return err
	}
	if _, err := a.cfg.Translate.MarkReviewed(r.Context(), v.T.ID, auth.UserFrom(r.Context())); err != nil {
		return err
	}
	a.audit(r, "translation.review", "article", v.T.ID, "marked the "+v.T.Language+" translation reviewed")
	return seeOther(w, r, strings.TrimSuffix(r.URL.Path, "/review")+"?done=saved")
}

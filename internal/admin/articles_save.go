package admin

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/render"
	"folio/internal/render/markdown"
	"folio/internal/store"
)

func orDefault(s, def string) string {
	if s = strings.TrimSpace(s); s != "" {
		return s
	}
	return def
}

// statusFor maps the editor's button to the status asked for.
func statusFor(action string, current content.Status) (content.Status, error) {
	switch action {
	case "", "save":
		if current == "" {
			return content.StatusDraft, nil
		}
		return current, nil
	case "submit":
		return content.StatusReview, nil
	case "publish":
		return content.StatusPublished, nil
	case "unpublish":
		return content.StatusDraft, nil
	}
	return "", content.Errorf(content.EINVALID, "unknown action %q", action)
}

var doneFor = map[string]string{"save": "saved", "": "saved", "submit": "submitted", "publish": "published", "unpublish": "unpublished"}

func (a *Admin) handleArticleCreate(w http.ResponseWriter, r *http.Request) error {
	return a.saveArticle(w, r, 0)
}

func (a *Admin) handleArticleSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return a.saveArticle(w, r, id)
}

// saveArticle handles every button of the editor. A refused save shows
// the form again with what was typed and a message next to each field.
func (a *Admin) saveArticle(w http.ResponseWriter, r *http.Request, id int64) error {
	ctx := r.Context()
	ed := a.editor(r)
	art, problems, err := a.articleFromForm(ctx, r)
	if err != nil {
		return err
	}
	art.ID = id
	version := formInt(r, "version")
	action := r.PostFormValue("action")
	var old *content.Article
	if id != 0 {
		if old, err = a.st.FindArticleByID(ctx, id); err != nil {
			return err
		}
		art.CreatedBy = old.CreatedBy
	}
	if action == "page-preview" {
		h, err := markdown.ToHTML(art.BodyMarkdown)
		if err != nil {
			return content.Errorf(content.EINVALID, "the body cannot be shown: %v", err)
		}
		art.BodyHTML = h
		if old != nil {
			art.PublishedAt = old.PublishedAt
		}
		return a.previewPage(w, r, art)
	}
	if action == "preview" {
		v, err := a.formAgain(ctx, r, art, version, nil)
		if err != nil {
			return err
		}
		h, err := markdown.ToHTML(art.BodyMarkdown)
		if err != nil {
			v.Fields = map[string]string{"body_markdown": err.Error()}
		}
		v.PreviewHTML = template.HTML(h) // sanitized by markdown.ToHTML
		return a.render(w, r, http.StatusOK, "editor", v)
	}
	cur := content.StatusDraft
	if old != nil {
		cur = old.Status
	}
	if art.Status, err = statusFor(action, cur); err != nil {
		return err
	}
	if len(problems) > 0 {
		err = problems.Err("article")
	} else if id == 0 {
		err = ed.CreateArticle(ctx, art)
	} else {
		err = ed.UpdateArticle(ctx, art, editorial.Version(version))
	}
	if err != nil {
		if !userError(err) {
			return err
		}
		v, verr := a.formAgain(ctx, r, art, version, err)
		if verr != nil {
			return verr
		}
		return a.render(w, r, statusOf(err), "editor", v)
	}
	verb := "article.update"
	if id == 0 {
		verb = "article.create"
	}
	if action == "publish" || action == "unpublish" || action == "submit" {
		verb = "article." + action
	}
	done := doneFor[action]
	if art.Status == content.StatusScheduled {
		done, verb = "scheduled", "article.schedule"
	}
	a.audit(r, verb, "article", art.ID, fmt.Sprintf("%s %q (version %d, %s)", verb, art.Title, art.Version, art.Status))
	_ = ed.DiscardAutosave(ctx, art.ID)
	target := fmt.Sprintf("/admin/articles/%d?done=%s", art.ID, done)
	noted, err := a.addNote(r, art)
	if err != nil {
		return err
	}
	if !noted && old != nil && old.IsPublic(a.now()) && substantive(old.BodyMarkdown, art.BodyMarkdown) {
		target += "&asknote=1"
	}
	if old != nil && old.IsPublic(a.now()) && (old.Slug != art.Slug || old.Language != art.Language) {
		target += "&moved=1"
	}
	return seeOther(w, r, target)
}

// formAgain rebuilds the editor around what was typed after a refused
// save; a version conflict also shows how the stored text differs.
func (a *Admin) formAgain(ctx context.Context, r *http.Request, typed *content.Article, version int, cause error) (*EditorView, error) {
	shown := *typed
	if typed.ID != 0 {
		stored, err := a.st.FindArticleByID(ctx, typed.ID)
		if err != nil {
			return nil, err
		}
		shown.Status = stored.Status
	}
	// The pickers need names; the typed article holds only IDs.
	v, err := a.editorView(ctx, r, &shown, version)
	if err != nil {
		return nil, err
	}
	if cause == nil {
		return v, nil
	}
	v.Error, v.Fields = content.ErrorMessage(cause), fieldsOf(cause)
	if content.ErrorCode(cause) == content.ECONFLICT && v.Fields["version"] != "" {
		cur, err := a.st.FindArticleByID(ctx, typed.ID)
		if err != nil {
			return nil, err
		}
		v.Conflict = &ConflictView{Current: cur, Diff: diffHTML(cur.Title+"\n\n"+cur.BodyMarkdown, typed.Title+"\n\n"+typed.BodyMarkdown)}
		// Saving again now overwrites, knowingly: the form carries the
		// version the user has just been shown.
		v.Version = cur.Version
		v.Error = "Someone else saved this article while you were editing. Your text is below, unsaved; " +
			"compare it with theirs, then save again to replace their version."
	}
	return v, nil
}

func (a *Admin) handleArticleDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	art, err := a.st.FindArticleByID(r.Context(), id)
	if err != nil {
		return err
	}
	if err := a.editor(r).DeleteArticle(r.Context(), id); err != nil {
		return err
	}
	a.audit(r, "article.delete", "article", id, fmt.Sprintf("deleted %q", art.Title))
	return seeOther(w, r, "/admin/articles?done=deleted")
}

func (a *Admin) handleAutosave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	s := &store.Autosave{ArticleID: id, BaseVersion: formInt(r, "version"), Title: r.PostFormValue("title"),
		BodyMarkdown: strings.ReplaceAll(r.PostFormValue("body_markdown"), "\r\n", "\n")}
	if err := a.editor(r).Autosave(r.Context(), s); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// handlePreview renders posted Markdown exactly as the site will: through
// the sanitizing renderer. The live preview script calls it.
func (a *Admin) handlePreview(w http.ResponseWriter, r *http.Request) error {
	h, err := markdown.ToHTML(r.PostFormValue("body_markdown"))
	if err != nil {
		return content.Errorf(content.EINVALID, "%v", err)
	}
	vs, err := a.bodyVariants(r.Context(), h)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, err = w.Write([]byte(render.Site{Variants: vs}.Body(h)))
	return err
}

func (a *Admin) handlePreviewLink(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	art, _, err := a.ownArticle(r, id, "share this article")
	if err != nil {
		return err
	}
	v, err := a.editorView(ctx, r, art, art.Version)
	if err != nil {
		return err
	}
	_, st, err := a.location(ctx)
	if err != nil {
		return err
	}
	base := a.cfg.BaseURL
	if base == "" {
		base = st.BaseURL
	}
	v.PreviewURL = strings.TrimRight(base, "/") + a.previewPath(art, a.now().Add(PreviewLifetime))
	a.audit(r, "article.preview_link", "article", id, "shared a preview link")
	return a.render(w, r, http.StatusOK, "editor", v)
}

package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"folio/internal/content"
	"folio/internal/store"
	"folio/internal/translate"
)

// withTranslation gives e's admin a translation service whose provider is
// a LibreTranslate-compatible fake that knows English and Spanish only.
func withTranslation(t *testing.T, e *env) *translate.Service {
	t.Helper()
	mt := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Q []string `json:"q"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		out := make([]string, len(req.Q))
		for i, q := range req.Q {
			out[i] = "ES " + q
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"translatedText": out})
	}))
	t.Cleanup(mt.Close)
	svc := translate.New(e.svc, e.db, []translate.Provider{&translate.LibreTranslate{URL: mt.URL, Languages: []string{"en", "es"}}})
	e.admin.cfg.Translate = svc
	return svc
}

func TestTranslations_PanelRequestEditReview(t *testing.T) {
	e := newEnv(t)
	withTranslation(t, e)
	owner := e.users[content.RoleAuthor]
	src := e.article(owner, content.StatusDraft)
	base := fmt.Sprintf("/admin/articles/%d", src.ID)

	b := e.login(owner)
	_, body := b.get(base)
	mustContain(t, body, `href="`+base+`/translations"`)
	_, body = b.get(base + "/translations")
	// The form offers the provider's pairs, and only those.
	mustContain(t, body, `<span class="badge">original</span>`, `name="target"`, `<option value="libretranslate|es" lang="es">Español (es)</option>`)
	if strings.Contains(body, `value="libretranslate|ja"`) {
		t.Error("the form offers Japanese, which the provider lacks")
	}

	t.Run("ErrUnsupportedPair", func(t *testing.T) {
		// A hand-made request for a missing pair: one clear message.
		resp, body := b.post(base+"/translations", url.Values{"target": {"libretranslate|ja"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", resp.StatusCode)
		}
		mustContain(t, body, "does not support en to ja")
		if n := strings.Count(body, "does not support en to ja"); n != 1 {
			t.Errorf("the message is shown %d times, want once", n)
		}
	})
	t.Run("ErrNoCSRF", func(t *testing.T) {
		resp, _ := b.post(base+"/translations", url.Values{"lang": {"es"}, "_csrf": {"forged"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d, want 403", resp.StatusCode)
		}
	})
	resp, _ := b.post(base+"/translations", url.Values{"target": {"libretranslate|es"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("request: status %d", resp.StatusCode)
	}
	_, body = b.get(base + "/translations")
	mustContain(t, body, `<span class="badge">machine</span>`, "done", `href="`+base+`/translate/es"`)

	_, body = b.get(base + "/translate/es")
	mustContain(t, body, "ES "+src.Title, `readonly>First line.`, `name="body"`)
	if strings.Contains(body, "Mark reviewed") {
		t.Error("an author is offered Mark reviewed")
	}
	resp, _ = b.post(base+"/translate/es", url.Values{"title": {"Pieza revisada"}, "deck": {""}, "body": {"Primera línea."}, "version": {versionOf(t, e, src.ID, "es")}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d", resp.StatusCode)
	}
	tr := translationOf(t, e, src.ID, "es")
	if tr.Title != "Pieza revisada" || tr.BodyMarkdown != "Primera línea." {
		t.Fatalf("saved %q / %q", tr.Title, tr.BodyMarkdown)
	}

	t.Run("ErrReviewByAuthor", func(t *testing.T) {
		resp, _ := b.post(base+"/translate/es/review", nil)
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d, want 403", resp.StatusCode)
		}
	})
	t.Run("ErrEditByOtherContributor", func(t *testing.T) {
		resp, _ := e.login(e.users[content.RoleContributor]).get(base + "/translate/es")
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d, want 403", resp.StatusCode)
		}
	})

	// The source changes: the translation is outdated and shows the diff.
	src.BodyMarkdown = "First line, revised.\n\nSecond line."
	if err := e.svc.System("test").UpdateArticle(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	ed := e.login(e.users[content.RoleEditor])
	_, body = ed.get(base + "/translate/es")
	mustContain(t, body, "The original changed", "<ins>First line, revised.", "Mark reviewed")
	resp, _ = ed.post(base+"/translate/es/review", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("review: status %d", resp.StatusCode)
	}
	if tr := translationOf(t, e, src.ID, "es"); !tr.Translation.Reviewed || tr.Translation.Outdated {
		t.Fatalf("after review: %+v", tr.Translation)
	}
	entries, _, err := e.db.FindAudit(context.Background(), store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, a := range entries {
		seen[a.Action] = true
	}
	for _, act := range []string{"translation.request", "translation.save", "translation.review"} {
		if !seen[act] {
			t.Errorf("no %s audit entry", act)
		}
	}
}

func translationOf(t *testing.T, e *env, srcID int64, lang string) *content.Article {
	t.Helper()
	st, err := e.admin.cfg.Translate.Status(context.Background(), srcID)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range st {
		if l.Language == lang && l.ArticleID != 0 {
			a, err := e.db.FindArticleByID(context.Background(), l.ArticleID)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
	}
	t.Fatalf("no %s translation of %d", lang, srcID)
	return nil
}

func versionOf(t *testing.T, e *env, srcID int64, lang string) string {
	return fmt.Sprint(translationOf(t, e, srcID, lang).Version)
}

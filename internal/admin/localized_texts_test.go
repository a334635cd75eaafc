package admin

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"folio/internal/content"
)

// TestLocalizedTexts_AuthorAndTerm edits an author's transliterated name and
// bio and a term's description per language beside the original: the form
// shows the site's languages, a save stores them, a save of a form that did
// not carry a language keeps that language's text, and emptied fields drop
// the translation.
func TestLocalizedTexts_AuthorAndTerm(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	st, err := e.db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.Languages = []string{"en", "fa", "es"}
	if err := e.svc.System("test").UpdateSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	b := e.login(e.users[content.RoleEditor])

	au := &content.Author{Name: "Sara Karimi", Bio: "Covers water policy.",
		Translations: map[string]content.AuthorText{"ru": {Name: "Сара Карими", Bio: "Пишет о воде."}}}
	if err := e.svc.System("test").CreateAuthor(ctx, au); err != nil {
		t.Fatal(err)
	}
	path := "/admin/authors/" + strconv.FormatInt(au.ID, 10)
	resp, body := b.get(path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", path, resp.StatusCode)
	}
	// The site's languages and the one stored already (ru) are offered.
	mustContain(t, body, `name="text.fa"`, `name="name.fa"`, `name="text.es"`, `name="text.ru"`, `Пишет о воде.`, `dir="rtl"`)

	form := url.Values{"name": {au.Name}, "bio": {au.Bio}, "name.fa": {"سارا کریمی"}, "text.fa": {"درباره‌ی سیاست آب می‌نویسد."},
		"name.es": {""}, "text.es": {""}}
	if resp, _ := b.post(path, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save author: %d", resp.StatusCode)
	}
	got, err := e.db.FindAuthorByID(ctx, au.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fa := got.Translations["fa"]; fa.Name != "سارا کریمی" || fa.Bio != "درباره‌ی سیاست آب می‌نویسد." {
		t.Errorf("fa text = %+v", fa)
	}
	if _, ok := got.Translations["es"]; ok {
		t.Error("an empty Spanish text was stored")
	}
	if ru := got.Translations["ru"]; ru.Bio != "Пишет о воде." {
		t.Errorf("the Russian text the form did not carry was lost: %+v", ru)
	}
	// Emptying the Persian fields drops the Persian translation.
	form.Set("name.fa", "")
	form.Set("text.fa", " ")
	if resp, _ := b.post(path, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save author again: %d", resp.StatusCode)
	}
	if got, _ = e.db.FindAuthorByID(ctx, au.ID); len(got.Translations) != 1 || got.Translations["ru"].Bio == "" {
		t.Errorf("after emptying fa: %+v", got.Translations)
	}

	term := &content.Term{Kind: content.KindRegion, Name: "Iran", Description: "Country pages.",
		Descriptions: map[string]string{"ru": "Страница страны."}}
	if err := e.svc.System("test").CreateTerm(ctx, term); err != nil {
		t.Fatal(err)
	}
	tpath := "/admin/terms/" + strconv.FormatInt(term.ID, 10)
	_, body = b.get(tpath)
	mustContain(t, body, `name="text.fa"`, `name="text.ru"`, `Страница страны.`)
	tform := url.Values{"kind": {"region"}, "name": {"Iran"}, "description": {"Country pages."}, "text.fa": {"صفحه‌های کشور."}}
	if resp, _ := b.post(tpath, tform); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save term: %d", resp.StatusCode)
	}
	gt, err := e.db.FindTermByID(ctx, term.ID)
	if err != nil {
		t.Fatal(err)
	}
	if gt.Descriptions["fa"] != "صفحه‌های کشور." || gt.Descriptions["ru"] != "Страница страны." {
		t.Errorf("term descriptions = %v", gt.Descriptions)
	}
}

package admin

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"
	"github.com/mmcdole/gofeed"

	"folio/internal/content"
)

// articleLD is the part of an article's JSON-LD a correction changes.
type articleLD struct {
	DateModified string `json:"dateModified"`
	Correction   []struct {
		Type          string `json:"@type"`
		Text          string `json:"text"`
		DatePublished string `json:"datePublished"`
	} `json:"correction"`
}

// publicArticle fetches path from the public site and returns its JSON-LD
// and the text of its notes above the body.
func publicArticle(t *testing.T, e *env, path string) (articleLD, string) {
	t.Helper()
	resp, err := http.Get(e.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var ld articleLD
	raw := doc.Find(`script[type="application/ld+json"]`).First().Text()
	if err := json.Unmarshal([]byte(raw), &ld); err != nil {
		t.Fatalf("%s: JSON-LD: %v\n%s", path, err, raw)
	}
	return ld, strings.Join(strings.Fields(doc.Find(".corrections--top").Text()), " ")
}

// TestBrowser_CorrectionOnPageFeedsAndJSONLD: an editor adds a correction
// to a published article in its editor; the article shows it above the
// body, each feed (RSS, Atom, JSON) carries it in the entry's content, and
// the JSON-LD lists it as a CorrectionComment with dateModified moved to
// the correction's time.
func TestBrowser_CorrectionOnPageFeedsAndJSONLD(t *testing.T) {
	e := newEnv(t)
	ed := e.users[content.RoleEditor]
	a := e.article(ed, content.StatusPublished)
	path := "/" + a.Slug + "/"
	before, top := publicArticle(t, e, path)
	if len(before.Correction) != 0 || top != "" || before.DateModified == "" {
		t.Fatalf("before the correction: JSON-LD %+v, notes %q", before, top)
	}
	// dateModified has second precision: the note must come a second later
	// to be seen to move it.
	time.Sleep(1100 * time.Millisecond)

	const note = "An earlier version of this article gave the dam's height as 300 metres; it is 335 metres."
	ctx := newBrowser(t)
	signIn(t, ctx, e, ed)
	err := chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/admin/articles/%d", e.srv.URL, a.ID)),
		chromedp.SetValue(chromedp.CSS("#note_kind"), "correction"),
		chromedp.SetValue(chromedp.CSS("#note_position"), "top"),
		chromedp.SendKeys(chromedp.CSS("#note_text"), note),
		chromedp.Click(chromedp.CSS(`button[value=save]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	afterNavigation(t, ctx, `document.querySelector(".flash") !== null && document.querySelector("form[action*='/corrections/']") !== null`)
	if w := text(t, ctx, `form[action*="/corrections/"] button`); !strings.HasPrefix(w, "Withdraw correction of ") {
		t.Fatalf("the editor offers %q, want the correction's withdraw button", w)
	}

	after, top := publicArticle(t, e, path)
	if !strings.HasPrefix(top, "Correction ") || !strings.HasSuffix(top, note) {
		t.Errorf("notes above the article = %q, want the correction", top)
	}
	if len(after.Correction) != 1 || after.Correction[0].Type != "CorrectionComment" || after.Correction[0].Text != note {
		t.Fatalf("JSON-LD correction = %+v", after.Correction)
	}
	mod, err1 := time.Parse(time.RFC3339, after.DateModified)
	old, err2 := time.Parse(time.RFC3339, before.DateModified)
	at, err3 := time.Parse(time.RFC3339, after.Correction[0].DatePublished)
	if err1 != nil || err2 != nil || err3 != nil {
		t.Fatalf("JSON-LD dates: %v %v %v", err1, err2, err3)
	}
	if !mod.After(old) || !mod.Equal(at) {
		t.Errorf("dateModified %s (was %s), want the correction's time %s", mod, old, at)
	}

	for _, feed := range []string{"/feed.xml", "/atom.xml", "/feed.json"} {
		resp, err := http.Get(e.srv.URL + feed)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		f, err := gofeed.NewParser().ParseString(string(body))
		if err != nil {
			t.Fatalf("%s: %v", feed, err)
		}
		var item *gofeed.Item
		for _, it := range f.Items {
			if strings.HasSuffix(it.Link, path) {
				item = it
			}
		}
		if item == nil {
			t.Fatalf("%s has no entry for %s", feed, path)
		}
		if !strings.Contains(item.Content, "<strong>Correction ("+at.UTC().Format("2006-01-02")+"):</strong> ") ||
			!strings.Contains(item.Content, "335 metres") {
			t.Errorf("%s: the entry's content lacks the dated correction:\n%s", feed, item.Content)
		}
		// RSS items carry no modification date; Atom and JSON Feed do.
		if feed != "/feed.xml" && (item.UpdatedParsed == nil || item.UpdatedParsed.Before(at)) {
			t.Errorf("%s: entry updated %v, want at least the correction's time %s", feed, item.UpdatedParsed, at)
		}
	}
}

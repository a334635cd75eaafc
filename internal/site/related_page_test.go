package site_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"folio/internal/content"
)

// relatedCards is how many related cards an article page shows.
const relatedCards = 4

// TestArticleRelated_Page renders a dossier article on a real store: its
// dossier's pieces fill "more in this dossier", the related list carries
// the piece sharing the rare tag before the one sharing only a region, no
// card is shown twice, and a new dossier piece drops the cached page.
func TestArticleRelated_Page(t *testing.T) {
	f := newFixture(t)
	iran, central, water, dossier, dams := f.terms[0], f.terms[1], f.terms[2], f.terms[4], f.terms[5]
	hours := func(h int) time.Time { return fixedNow.Add(-time.Duration(h) * time.Hour) }
	// Iran is on many pieces: it says little.
	for i := range 6 {
		f.publish(t, &content.Article{Language: "en", Title: fmt.Sprintf("Iran filler %d", i), PublishedAt: hours(10 + i), Terms: []*content.Term{iran}})
	}
	main := f.publish(t, &content.Article{Language: "en", Title: "The dam question", PublishedAt: hours(1), Terms: []*content.Term{iran, water, dossier, dams}})
	old := f.publish(t, &content.Article{Language: "en", Title: "First piece of the dossier", PublishedAt: hours(900), Terms: []*content.Term{dossier}})
	tagged := f.publish(t, &content.Article{Language: "en", Title: "Where the dams are", PublishedAt: hours(500), Terms: []*content.Term{dams, central}})
	regional := f.publish(t, &content.Article{Language: "en", Title: "Iran this week", PublishedAt: hours(2), Terms: []*content.Term{iran}})

	path := "/" + main.Slug + "/"
	w := get(f.cached, path)
	if w.Code != http.StatusOK {
		t.Fatalf("%s: %d", path, w.Code)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(w.Body.String()))
	if err != nil {
		t.Fatal(err)
	}
	titles := func(sel string) []string {
		var out []string
		doc.Find(sel + " .card h3").Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
		return out
	}
	more := titles(".more-in-dossier")
	if len(more) != 1 || more[0] != old.Title {
		t.Errorf("more in this dossier: %q, want only %q", more, old.Title)
	}
	if h := doc.Find("#dossier-more-heading a").AttrOr("href", ""); h != "/dossier/"+dossier.Slug+"/" {
		t.Errorf("dossier heading links %q", h)
	}
	related := titles(".related:not(.more-in-dossier)")
	if len(related) != relatedCards || related[0] != tagged.Title {
		t.Fatalf("related: %q, want %d cards led by %q", related, relatedCards, tagged.Title)
	}
	if !slices.Contains(related, regional.Title) {
		t.Errorf("related lacks the newest regional piece: %q", related)
	}
	if slices.Contains(related, old.Title) {
		t.Errorf("the dossier piece is shown twice: %q", related)
	}

	// A new dossier piece changes the block: the cached page was dropped.
	newer := f.publish(t, &content.Article{Language: "en", Title: "Dossier, part two", PublishedAt: hours(3), Terms: []*content.Term{dossier, water}})
	if body := get(f.cached, path).Body.String(); !strings.Contains(body, newer.Title) {
		t.Errorf("the cached page did not take the new dossier piece")
	}
}

// TestNewsSitemap_Empty: a site with nothing from the last two days still
// answers /sitemap-news.xml (robots.txt and the index name it) with one
// url, its home page, and no news tags.
func TestNewsSitemap_Empty(t *testing.T) {
	f := newFixture(t)
	f.publish(t, &content.Article{Language: "en", Title: "Old news", PublishedAt: fixedNow.Add(-30 * 24 * time.Hour)})
	w := get(f.cached, "/sitemap-news.xml")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	body := w.Body.String()
	if strings.Count(body, "<url>") != 1 || !strings.Contains(body, "<loc>https://review.example/</loc>") || strings.Contains(body, "<news:news>") {
		t.Errorf("empty news sitemap:\n%s", body)
	}
}

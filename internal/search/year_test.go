package search_test

import (
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/search"
)

// TestDocOf_YearInSiteTimeZone: the year facet counts an article in the
// year its readers saw on its date line, the site's time zone.
func TestDocOf_YearInSiteTimeZone(t *testing.T) {
	kabul, err := time.LoadLocation("Asia/Kabul")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	la, _ := time.LoadLocation("America/Los_Angeles")
	at := time.Date(2025, 12, 31, 21, 0, 0, 0, time.UTC) // 01:30 on 1 January in Kabul
	for _, tc := range []struct {
		loc  *time.Location
		want int
	}{{nil, 2025}, {time.UTC, 2025}, {kabul, 2026}, {la, 2025}} {
		d := search.DocOf(&content.Article{ID: 1, Language: "en", PublishedAt: at}, tc.loc, at)
		if d.Year != tc.want {
			t.Errorf("in %v: year %d, want %d", tc.loc, d.Year, tc.want)
		}
	}
	early := time.Date(2026, 1, 1, 3, 0, 0, 0, time.UTC) // still 2025 in Los Angeles
	if d := search.DocOf(&content.Article{ID: 2, PublishedAt: early}, la, early); d.Year != 2025 {
		t.Errorf("Los Angeles: year %d, want 2025", d.Year)
	}
}

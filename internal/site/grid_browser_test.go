package site_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"folio/internal/testutil"
	"folio/web"
)

// TestCardGrid_NoOrphans lays out card grids of 1 to 8 cards with the
// theme's stylesheet at phone, tablet and desktop widths in Chromium and
// checks every row is full: no card is left alone on a last row narrower
// than the grid, and no row leaves a column empty.
func TestCardGrid_NoOrphans(t *testing.T) {
	card := func(i int) string {
		img := ""
		if i%2 == 0 { // cards with and without pictures
			img = `<img class="card__image" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="" width="3" height="2">`
		}
		return fmt.Sprintf(`<article class="card">%s<h3 class="card__title"><a href="#">Piece %d</a></h3><p class="meta">Writer</p></article>`, img, i)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(web.Static)))
	mux.HandleFunc("GET /grid/{n}", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.PathValue("n"), &n)
		var b strings.Builder
		b.WriteString(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/static/site.css"></head><body><main class="wrap"><div class="grid" id="g">`)
		for i := range n {
			b.WriteString(card(i))
		}
		b.WriteString(`</div></main></body></html>`)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(b.String()))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	// rows returns, per row of the grid, how many cards it holds and
	// whether they span the grid's whole width.
	const rows = `(() => { const g = document.getElementById("g"), gr = g.getBoundingClientRect(), byTop = new Map();
		for (const c of g.children) { const r = c.getBoundingClientRect(), k = Math.round(r.top);
			const row = byTop.get(k) || {n: 0, left: Infinity, right: -Infinity};
			row.n++; row.left = Math.min(row.left, r.left); row.right = Math.max(row.right, r.right); byTop.set(k, row); }
		return [...byTop.values()].map(r => r.n + (Math.abs(r.left - gr.left) < 2 && Math.abs(r.right - gr.right) < 2 ? " full" : " short")); })()`
	for _, width := range []int{420, 900, 1280} {
		ctx := testutil.Browser(t, width, 900)
		for n := 1; n <= 8; n++ {
			if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/grid/%d", srv.URL, n)), chromedp.WaitReady(chromedp.CSS("#g"))); err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](rows))
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range got {
				if !strings.HasSuffix(r, " full") {
					t.Errorf("%d px, %d cards: row %d of %v is not full", width, n, i+1, got)
				}
			}
			if width == 1280 && n == 4 && got[len(got)-1] != "1 full" {
				t.Errorf("1280 px, 4 cards: rows %v, want the fourth alone across the row", got)
			}
		}
	}
}

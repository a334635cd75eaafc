package site

import (
	"testing"
	"time"

	"folio/internal/content"
)

// TestRankRelated ranks a small corpus: same dossier first, then the
// summed rarity of shared terms, then the newer piece.
func TestRankRelated(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 9, 0, 0, 0, time.UTC) }
	var (
		asia     = &content.Term{ID: 1, Kind: content.KindRegion, Name: "Asia"}           // on most pieces
		water    = &content.Term{ID: 2, Kind: content.KindTheme, Name: "Water"}           // on a few
		glaciers = &content.Term{ID: 3, Kind: content.KindTag, Name: "Glaciers"}          // rare
		pamir    = &content.Term{ID: 4, Kind: content.KindDossier, Name: "Pamir water"}   // the dossier
		europe   = &content.Term{ID: 5, Kind: content.KindRegion, Name: "Europe"}         // not on the article
		other    = &content.Term{ID: 6, Kind: content.KindDossier, Name: "Other dossier"} // not on the article
	)
	art := func(id int64, d int, terms ...*content.Term) *content.Article {
		return &content.Article{ID: id, Title: "piece", PublishedAt: day(d), Terms: terms}
	}
	w := termWeights{total: 100, count: map[int64]int{asia.ID: 80, water.ID: 10, glaciers.ID: 3, pamir.ID: 5, europe.ID: 30, other.ID: 4}}
	a := art(1, 20, asia, water, glaciers, pamir)

	tests := []struct {
		name  string
		cands []*content.Article
		want  []int64
	}{
		{"DossierFirstEvenWhenOlder", []*content.Article{
			art(2, 19, asia, water, glaciers), // shares three terms, newest
			art(3, 1, pamir),                  // dossier only, old
		}, []int64{3, 2}},
		{"RareTermBeatsCommonOnes", []*content.Article{
			art(4, 18, asia, water), // common + medium
			art(5, 2, glaciers),     // rare only
		}, []int64{5, 4}},
		{"MoreSharedWeightWins", []*content.Article{
			art(6, 18, asia),
			art(7, 3, asia, water),
		}, []int64{7, 6}},
		{"TiesGoToTheNewer", []*content.Article{
			art(8, 5, water),
			art(9, 15, water),
			art(10, 15, water),
		}, []int64{10, 9, 8}},
		{"OnlyUnsharedTermsAreDropped", []*content.Article{
			art(11, 19, europe, other),
			art(12, 1, asia),
		}, []int64{12}},
		{"ArticleItselfAndDuplicatesSkipped", []*content.Article{
			a, art(13, 4, water), art(13, 4, water),
		}, []int64{13}},
		{"WithinTheDossierRarityThenRecency", []*content.Article{
			art(14, 19, pamir, asia),
			art(15, 2, pamir, glaciers),
			art(16, 10, pamir),
		}, []int64{15, 14, 16}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := rankRelated(a, tc.cands, w)
			var ids []int64
			for _, g := range got {
				ids = append(ids, g.ID)
			}
			if len(ids) != len(tc.want) {
				t.Fatalf("got %v, want %v", ids, tc.want)
			}
			for i := range ids {
				if ids[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", ids, tc.want)
				}
			}
		})
	}
}

// TestTermWeights checks the weight falls as a term gets commoner and
// stays positive for a term on every piece.
func TestTermWeights(t *testing.T) {
	w := termWeights{total: 50, count: map[int64]int{1: 1, 2: 10, 3: 50}}
	if !(w.weight(1) > w.weight(2) && w.weight(2) > w.weight(3) && w.weight(3) > 0) {
		t.Errorf("weights %v %v %v: want strictly falling and positive", w.weight(1), w.weight(2), w.weight(3))
	}
}

package site

import (
	"cmp"
	"math"
	"slices"

	"folio/internal/cache/key"
	"folio/internal/content"
)

// relatedPool bounds the candidates ranked for an article's suggestions:
// the newest pieces sharing any of its terms, plus the newest of its
// dossier, so an older dossier piece still outranks fresh ones that share
// only a region. Each candidate is a row read past its body, so the pool
// is most of an uncached article render's cost: 200 made it about 23 ms
// on a 2,000-article corpus, 60 about 13 ms.
const relatedPool = 60

// termWeights are the rarity weights of terms: a term few articles carry
// says more about two articles that share it than one most carry.
type termWeights struct {
	total int           // public articles in the language
	count map[int64]int // public articles carrying each term
}

// weight is the inverse document frequency of term id, log(1 + N/df):
// always positive, so sharing a common term still counts for something.
func (w termWeights) weight(id int64) float64 {
	df := max(1, w.count[id])
	return math.Log1p(float64(max(w.total, df)) / float64(df))
}

// rankRelated orders candidates by what a reader of a would most want
// next: pieces of a's dossiers first, then by the summed rarity of the
// terms they share with a, then the newer first (then the higher ID, so
// ties are stable). a itself and pieces sharing nothing are dropped.
func rankRelated(a *content.Article, cands []*content.Article, w termWeights) []*content.Article {
	mine := map[int64]content.TermKind{}
	for _, t := range a.Terms {
		mine[t.ID] = t.Kind
	}
	type scored struct {
		art     *content.Article
		dossier bool
		score   float64
	}
	var out []scored
	seen := map[int64]bool{a.ID: true}
	for _, c := range cands {
		if c == nil || seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		s := scored{art: c}
		for _, t := range c.Terms {
			kind, ok := mine[t.ID]
			if !ok {
				continue
			}
			s.score += w.weight(t.ID)
			s.dossier = s.dossier || kind == content.KindDossier
		}
		if s.score > 0 {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(x, y scored) int {
		if x.dossier != y.dossier {
			if x.dossier {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(y.score, x.score); c != 0 {
			return c
		}
		if c := y.art.PublishedAt.Compare(x.art.PublishedAt); c != 0 {
			return c
		}
		return cmp.Compare(y.art.ID, x.art.ID)
	})
	arts := make([]*content.Article, len(out))
	for i, s := range out {
		arts[i] = s.art
	}
	return arts
}

// relatedFor returns a's "more in this dossier" pieces (of its first
// dossier, nil when it has none) and its related articles (the rest of the
// ranking, so no card is shown twice), each at most relatedArticles long.
func (s *Site) relatedFor(q *request, a *content.Article) (dossier *content.Term, more, related []*content.Article, err error) {
	if len(a.Terms) == 0 {
		return nil, nil, nil, nil
	}
	w := termWeights{count: map[int64]int{}}
	tf := q.public()
	tf.Limit, tf.NoBody = 1, true
	// The language's total moves every weight by the same factor's log;
	// a page whose ranking is a publish behind is no harm, so the page
	// does not depend on the language list (that would drop every article
	// page at each publish). It depends on the lists of its own terms.
	if _, w.total, err = s.store.FindArticles(q.ctx, tf); err != nil {
		return nil, nil, nil, err
	}
	ids := make([]int64, 0, len(a.Terms))
	for _, t := range a.Terms {
		f := q.public()
		f.TermID, f.Limit, f.NoBody = t.ID, 1, true
		_, n, err := s.store.FindArticles(q.ctx, f)
		if err != nil {
			return nil, nil, nil, err
		}
		w.count[t.ID] = n
		ids = append(ids, t.ID)
		q.dep(key.TermList(t.ID))
	}
	pf := q.public()
	pf.AnyTermIDs, pf.ExcludeIDs, pf.Limit, pf.NoTotal, pf.NoBody = ids, []int64{a.ID}, relatedPool, true, true
	pool, _, err := s.store.FindArticles(q.ctx, pf)
	if err != nil {
		return nil, nil, nil, err
	}
	if ds := a.TermsOf(content.KindDossier); len(ds) > 0 {
		dossier = ds[0]
		df := q.public()
		df.TermID, df.ExcludeIDs, df.Limit, df.NoTotal, df.NoBody = dossier.ID, []int64{a.ID}, relatedPool, true, true
		inDossier, _, err := s.store.FindArticles(q.ctx, df)
		if err != nil {
			return nil, nil, nil, err
		}
		more = rankRelated(a, inDossier, w)
		more = more[:min(len(more), relatedArticles)]
		if len(more) == 0 {
			dossier = nil
		}
		pool = append(pool, inDossier...)
	}
	shown := map[int64]bool{}
	for _, m := range more {
		shown[m.ID] = true
	}
	for _, c := range rankRelated(a, pool, w) {
		if len(related) == relatedArticles {
			break
		}
		if !shown[c.ID] {
			shown[c.ID] = true
			related = append(related, c)
		}
	}
	q.articles(more...)
	q.articles(related...)
	return dossier, more, related, nil
}

package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"folio/internal/content"
)

// Sizes of the fixed parts of the corpus.
const (
	numAuthors  = 200
	numDossiers = 12
	numActive   = 4
	numTags     = 60
	numImages   = 20
)

// corpusEnd is the newest publish time; articles spread over the three
// years before it. Fixed, so the corpus does not depend on the clock.
var corpusEnd = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

const corpusSpan = 3 * 365 * 24 * time.Hour

// gen produces the corpus deterministically from one seed.
type gen struct {
	r *rand.Rand
}

func newGen(seed uint64) *gen {
	return &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *gen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// sentence writes one sentence of n words and returns n.
func (g *gen) sentence(b *strings.Builder) int {
	n := g.between(8, 22)
	for i := 0; i < n; i++ {
		var w string
		switch x := g.r.IntN(10); {
		case x < 4:
			w = g.pick(functionWords)
		case x < 7:
			w = g.pick(nouns)
		case x < 8:
			w = g.pick(verbs)
		case x < 9:
			w = g.pick(adjectives)
		default:
			w = fmt.Sprint(g.between(2, 2400))
		}
		if i == 0 {
			w = capitalize(w)
		} else {
			b.WriteByte(' ')
		}
		if i > 0 && i < n-1 && g.r.IntN(40) == 0 {
			// an inline link, as analysis pieces cite their sources
			fmt.Fprintf(b, "[%s %s](https://example.org/%s/%d)", w, g.pick(nouns), g.pick(nouns), g.r.IntN(100000))
			continue
		}
		if i > 0 && i < n-1 && g.r.IntN(60) == 0 {
			w = "*" + w + "*"
		}
		b.WriteString(w)
		if i > 1 && i < n-2 && g.r.IntN(12) == 0 {
			b.WriteByte(',')
		}
	}
	b.WriteByte('.')
	return n
}

func (g *gen) paragraph(b *strings.Builder) int {
	words := 0
	for i, n := 0, g.between(3, 7); i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		words += g.sentence(b)
	}
	b.WriteString("\n\n")
	return words
}

func (g *gen) heading() string {
	return capitalize(g.pick(adjectives)) + " " + g.pick(nouns) + ", " + g.pick(adjectives) + " " + g.pick(nouns)
}

// body returns Markdown of 600–1800 words with headings, lists, links and
// the occasional quote.
func (g *gen) body() string {
	target := g.between(600, 1800)
	var b strings.Builder
	b.Grow(target * 8)
	words := 0
	for i := 0; i < 2; i++ {
		words += g.paragraph(&b)
	}
	for words < target {
		b.WriteString("## " + g.heading() + "\n\n")
		for i, n := 0, g.between(2, 4); i < n && words < target; i++ {
			words += g.paragraph(&b)
		}
		switch g.r.IntN(4) {
		case 0:
			for i, n := 0, g.between(3, 5); i < n; i++ {
				b.WriteString("- ")
				words += g.sentence(&b)
				b.WriteByte('\n')
			}
			b.WriteByte('\n')
		case 1:
			b.WriteString("> ")
			words += g.sentence(&b)
			b.WriteString("\n\n")
		}
	}
	return b.String()
}

func (g *gen) title() string {
	switch g.r.IntN(4) {
	case 0:
		return "The " + g.pick(adjectives) + " " + g.pick(nouns) + " that " + g.pick(verbs) + " a " + g.pick(nouns)
	case 1:
		return capitalize(g.pick(adjectives)) + " " + g.pick(nouns) + "s and the " + g.pick(nouns) + " of " + g.pick(regionNames)
	case 2:
		return "What the " + g.pick(nouns) + " " + g.pick(verbs) + " about the " + g.pick(adjectives) + " " + g.pick(nouns)
	}
	return capitalize(g.pick(nouns)) + " " + g.pick(nouns) + ": who " + g.pick(verbs) + " the " + g.pick(nouns) + "?"
}

// spec is one article before the store assigns IDs: authors and terms are
// indexes into the created lists.
type spec struct {
	Article  content.Article
	Authors  []int // indexes into authors
	Region   int
	Themes   []int
	Dossier  int // -1 for none
	Tags     []int
	ImageNum int // 0 for none
}

// article generates article i of n.
func (g *gen) article(i, n int) spec {
	s := spec{Dossier: -1}
	a := &s.Article
	a.Language = "en"
	a.Title = g.title()
	var deck strings.Builder
	g.sentence(&deck)
	a.Deck = deck.String()
	a.BodyMarkdown = g.body()
	a.Status = content.StatusPublished
	a.Featured = g.r.IntN(50) == 0
	if g.r.IntN(3) == 0 {
		a.License = content.LicenseCommunity
	}
	// Spread evenly over the span, oldest first, with jitter inside the slot.
	slot := corpusSpan / time.Duration(n)
	a.PublishedAt = corpusEnd.Add(-corpusSpan + time.Duration(i)*slot + time.Duration(g.r.Int64N(int64(slot)+1))).Truncate(time.Second)

	na := 1
	switch x := g.r.IntN(100); {
	case x >= 92:
		na = 3
	case x >= 70:
		na = 2
	}
	s.Authors = distinct(g.r, na, numAuthors)
	s.Region = g.r.IntN(len(regionNames))
	s.Themes = distinct(g.r, g.between(1, 2), len(themeNames))
	if g.r.IntN(10) < 3 {
		s.Dossier = g.r.IntN(numDossiers)
	}
	s.Tags = distinct(g.r, g.between(0, 4), numTags)
	if g.r.IntN(10) < 9 {
		s.ImageNum = 1 + g.r.IntN(numImages)
		a.Image = &content.Image{
			URL:       fmt.Sprintf("/media/bench/img-%d.svg", s.ImageNum),
			Alt:       capitalize(g.pick(adjectives)) + " " + g.pick(nouns) + " near the " + g.pick(nouns),
			Caption:   capitalize(g.pick(nouns)) + " in the " + g.pick(adjectives) + " " + g.pick(nouns) + ".",
			Credit:    g.pick(firstNames) + " " + g.pick(lastNames) + " / Bench Photo",
			CreditURL: "https://example.org/photo/" + fmt.Sprint(g.r.IntN(1_000_000)),
		}
	}
	return s
}

// distinct returns k distinct ints in [0, n).
func distinct(r *rand.Rand, k, n int) []int {
	out := make([]int, 0, k)
	for len(out) < k {
		v := r.IntN(n)
		dup := false
		for _, o := range out {
			dup = dup || o == v
		}
		if !dup {
			out = append(out, v)
		}
	}
	return out
}

func (g *gen) authors() []*content.Author {
	seen := map[string]bool{}
	var out []*content.Author
	for len(out) < numAuthors {
		name := g.pick(firstNames) + " " + g.pick(lastNames)
		if seen[name] {
			continue
		}
		seen[name] = true
		var bio strings.Builder
		g.sentence(&bio)
		bio.WriteByte(' ')
		g.sentence(&bio)
		out = append(out, &content.Author{
			Name:  name,
			Bio:   bio.String(),
			Links: []content.Link{{Label: "Website", URL: "https://example.org/people/" + content.Slugify(name)}},
		})
	}
	return out
}

func (g *gen) terms() (regions, themes, dossiers, tags []*content.Term) {
	desc := func() string {
		var b strings.Builder
		g.sentence(&b)
		return b.String()
	}
	for _, n := range regionNames {
		regions = append(regions, &content.Term{Kind: content.KindRegion, Name: n, Description: desc()})
	}
	for _, n := range themeNames {
		themes = append(themes, &content.Term{Kind: content.KindTheme, Name: n, Description: desc()})
	}
	for i, n := range dossierNames {
		dossiers = append(dossiers, &content.Term{Kind: content.KindDossier, Name: n, Description: desc(), Active: i < numActive})
	}
	seen := map[string]bool{}
	for len(tags) < numTags {
		n := g.pick(adjectives) + " " + g.pick(nouns)
		if seen[n] {
			continue
		}
		seen[n] = true
		tags = append(tags, &content.Term{Kind: content.KindTag, Name: n})
	}
	return
}

func settings() content.Settings {
	s := content.DefaultSettings()
	s.Title = "The Bench Review"
	s.Tagline = "Synthetic analysis for benchmarks"
	s.Description = "A deterministic synthetic publication used by Folio's benchmark harness."
	s.BaseURL = "http://bench.folio.test"
	s.ContactEmail = "editors@bench.folio.test"
	s.SocialLinks = []content.Link{{Label: "Mastodon", URL: "https://example.social/@bench"}}
	s.Notices = content.Notices{
		NoteToReaders:      "This publication is independent and reader-funded. **Thank you** for reading.",
		RepublishingPolicy: "Community sites may cross-post this article with its source, copyright line and a link back.",
		Disclaimer:         "The views expressed are the authors' own.",
		MediaContact:       "Write to [the editors](mailto:editors@bench.folio.test).",
		MembershipCall:     "Become a member to keep this reporting free for everyone.",
	}
	return s
}

// svg returns a small featured image.
func svg(n int) []byte {
	hue := (n * 47) % 360
	return []byte(fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" viewBox="0 0 1200 675">`+
		`<rect width="1200" height="675" fill="hsl(%d,45%%,35%%)"/>`+
		`<circle cx="%d" cy="300" r="180" fill="hsl(%d,60%%,70%%)" opacity=".7"/>`+
		`<path d="M0 520 L300 400 L600 480 L900 360 L1200 450 V675 H0Z" fill="hsl(%d,30%%,20%%)"/>`+
		`<text x="40" y="640" font-family="sans-serif" font-size="28" fill="#fff">bench image %d</text></svg>`+"\n",
		hue, 200+n*40, (hue+120)%360, (hue+240)%360, n))
}

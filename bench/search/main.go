// Command search measures the reader search index on a bench corpus: index
// size, indexing rate and query latency for a mix of one-word, phrase,
// faceted and misspelt queries, beside SQLite FTS5 on the same documents
// as the reference, and prints a Markdown table.
//
//	go run ./bench/corpus --articles 10000 --data DIR
//	go run ./bench/search --data DIR [--queries 500] [--seed 1] [--postgres URL]
//
// With --postgres the same documents and queries also go through the
// PostgreSQL full-text index (internal/search/pgsearch) in that database.
//
// Both engines index the same plain-text documents (title, deck, body)
// read once from the corpus. A bleve query is the one the search page
// runs: hits with highlighted snippets, the six facets, the total and the
// spelling suggestion. The FTS5 query is its nearest equivalent: the top
// ten by bm25 with snippet(), the count, and one facet (region) by GROUP
// BY; FTS5 has no spelling suggestion, so a misspelt query simply finds
// nothing there.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"folio/internal/search"
	"folio/internal/store"
	"folio/internal/store/sqlite" // also registers the "sqlite" driver, which has FTS5
)

func main() {
	data := flag.String("data", "", "corpus data directory (made by bench/corpus)")
	work := flag.String("work", "", "directory for the indexes (a temporary one when empty; removed after)")
	queries := flag.Int("queries", 500, "queries of each kind")
	seed := flag.Uint64("seed", 1, "random seed of the query mix")
	pgURL := flag.String("postgres", "", "also measure PostgreSQL full-text search in this database (its search tables are replaced)")
	flag.Parse()
	if *data == "" {
		fmt.Fprintln(os.Stderr, "search bench: --data is required")
		os.Exit(2)
	}
	if err := run(context.Background(), *data, *work, *queries, *seed, *pgURL); err != nil {
		fmt.Fprintln(os.Stderr, "search bench:", err)
		os.Exit(1)
	}
}

// query is one query of the mix, for both engines.
type query struct {
	kind   string
	text   string // bleve text
	match  string // FTS5 MATCH expression
	region int64  // faceted: the region filter
}

var kinds = []string{"one-word", "phrase", "faceted", "typo"}

type result struct {
	engine   string
	docs     int
	indexDur time.Duration
	size     int64
	lat      map[string][]time.Duration
	hits     map[string]int // queries with at least one hit
}

func run(ctx context.Context, data, work string, nq int, seed uint64, pgURL string) error {
	db, err := sqlite.Open(ctx, filepath.Join(data, "folio.db"))
	if err != nil {
		return err
	}
	t0 := time.Now()
	docs, err := loadDocs(ctx, db)
	db.Close()
	if err != nil {
		return err
	}
	loadDur := time.Since(t0)
	if len(docs) == 0 {
		return fmt.Errorf("%s has no public articles", data)
	}
	if work == "" {
		if work, err = os.MkdirTemp("", "folio-search-bench-"); err != nil {
			return err
		}
		defer os.RemoveAll(work)
	}
	qs := mix(docs, nq, seed)
	loadStart := loadavg()

	b, err := benchBleve(ctx, filepath.Join(work, search.DirName), docs, qs)
	if err != nil {
		return err
	}
	f, err := benchFTS5(ctx, filepath.Join(work, "fts5.db"), docs, qs)
	if err != nil {
		return err
	}
	var extra []*result
	if pgURL != "" {
		p, err := benchPG(ctx, pgURL, docs, qs)
		if err != nil {
			return err
		}
		extra = append(extra, p)
	}
	report(data, len(docs), loadDur, nq, seed, b, f, loadStart, loadavg())
	for _, e := range extra {
		reportAgainst(e, f)
	}
	return nil
}

// loadDocs reads every public article as the index sees it.
func loadDocs(ctx context.Context, db *sqlite.DB) ([]*search.Doc, error) {
	var out []*search.Doc
	flt := store.ArticleFilter{Public: true, Limit: 500, NoTotal: true}
	for {
		arts, _, err := db.FindArticles(ctx, flt)
		if err != nil {
			return nil, err
		}
		for _, a := range arts {
			out = append(out, search.DocOf(a, nil, time.Now()))
		}
		if len(arts) < 500 {
			return out, nil
		}
		c := store.CursorOf(arts[len(arts)-1])
		flt.After = &c
	}
}

func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) })
}

// mix draws the queries from the documents themselves, so each engine has
// something to find: a word, two adjacent words, a word within one region,
// and a word with one letter changed.
func mix(docs []*search.Doc, n int, seed uint64) []query {
	r := rand.New(rand.NewPCG(seed, 7))
	pick := func() []string {
		for {
			w := words(docs[r.IntN(len(docs))].Body)
			if len(w) > 2 {
				return w
			}
		}
	}
	long := func(ws []string) int {
		for {
			i := r.IntN(len(ws) - 1)
			if len(ws[i]) >= 5 && len(ws[i+1]) >= 3 {
				return i
			}
		}
	}
	var out []query
	for range n {
		ws := pick()
		i := long(ws)
		out = append(out, query{kind: "one-word", text: ws[i], match: `"` + ws[i] + `"`})
		phrase := ws[i] + " " + ws[i+1]
		out = append(out, query{kind: "phrase", text: `"` + phrase + `"`, match: `"` + phrase + `"`})
		d := docs[r.IntN(len(docs))]
		fw := words(d.Body)
		w := fw[long(fw)]
		out = append(out, query{kind: "faceted", text: w, match: `"` + w + `"`, region: d.Regions[0]})
		t := []rune(ws[i])
		j := 1 + r.IntN(len(t)-2)
		t[j] = rune('a' + (int(t[j]-'a')+1+r.IntN(24))%26)
		out = append(out, query{kind: "typo", text: string(t), match: `"` + string(t) + `"`})
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func benchBleve(ctx context.Context, dir string, docs []*search.Doc, qs []query) (*result, error) {
	idx, err := search.Open(dir)
	if err != nil {
		return nil, err
	}
	res := &result{engine: "bleve (internal/search)", docs: len(docs), lat: map[string][]time.Duration{}, hits: map[string]int{}}
	start := time.Now()
	for i := 0; i < len(docs); i += 500 {
		if err := idx.Apply(ctx, search.Update{Upsert: docs[i:min(i+500, len(docs))]}); err != nil {
			return nil, err
		}
	}
	res.indexDur = time.Since(start)
	if err := idx.Close(); err != nil {
		return nil, err
	}
	if res.size, err = dirSize(dir); err != nil {
		return nil, err
	}
	if idx, err = search.Open(dir); err != nil {
		return nil, err
	}
	defer idx.Close()
	for _, q := range qs[:min(len(qs), 50)] { // warm the caches
		_, _ = idx.Search(ctx, bleveQuery(q))
	}
	for _, q := range qs {
		t := time.Now()
		r, err := idx.Search(ctx, bleveQuery(q))
		if err != nil {
			return nil, fmt.Errorf("bleve %q: %w", q.text, err)
		}
		res.lat[q.kind] = append(res.lat[q.kind], time.Since(t))
		if r.Total > 0 || r.Suggestion != "" {
			res.hits[q.kind]++
		}
	}
	return res, nil
}

func bleveQuery(q query) search.Query {
	sq := search.Query{Text: q.text}
	if q.region != 0 {
		sq.Filters = map[string]string{search.FacetRegion: strconv.FormatInt(q.region, 10)}
	}
	return sq
}

func benchFTS5(ctx context.Context, path string, docs []*search.Doc, qs []query) (*result, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE VIRTUAL TABLE docs USING fts5(title, body, lang UNINDEXED, region UNINDEXED, year UNINDEXED, tokenize='unicode61 remove_diacritics 2')`); err != nil {
		return nil, fmt.Errorf("fts5: %w", err)
	}
	res := &result{engine: "SQLite FTS5 (reference)", docs: len(docs), lat: map[string][]time.Duration{}, hits: map[string]int{}}
	start := time.Now()
	for i := 0; i < len(docs); i += 500 {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		for _, d := range docs[i:min(i+500, len(docs))] {
			if _, err := tx.ExecContext(ctx, `INSERT INTO docs(rowid, title, body, lang, region, year) VALUES (?, ?, ?, ?, ?, ?)`,
				d.ID, d.Title, d.Deck+"\n\n"+d.Body, d.Language, d.Regions[0], d.PublishedAt.Year()); err != nil {
				tx.Rollback()
				return nil, err
			}
		}
		if err := tx.Commit(); err != nil {
			return nil, err
		}
	}
	res.indexDur = time.Since(start)
	if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return nil, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	res.size = st.Size()
	for _, q := range qs[:min(len(qs), 50)] {
		_, _ = ftsQuery(ctx, db, q)
	}
	for _, q := range qs {
		t := time.Now()
		n, err := ftsQuery(ctx, db, q)
		if err != nil {
			return nil, fmt.Errorf("fts5 %q: %w", q.match, err)
		}
		res.lat[q.kind] = append(res.lat[q.kind], time.Since(t))
		if n > 0 {
			res.hits[q.kind]++
		}
	}
	return res, nil
}

// ftsQuery runs the page's work in FTS5: ten hits with snippets, the total
// and the region facet.
func ftsQuery(ctx context.Context, db *sql.DB, q query) (int, error) {
	where, args := `docs MATCH ?`, []any{q.match}
	if q.region != 0 {
		where += ` AND region = ?`
		args = append(args, q.region)
	}
	rows, err := db.QueryContext(ctx, `SELECT rowid, snippet(docs, 1, '<mark>', '</mark>', '…', 24) FROM docs WHERE `+where+` ORDER BY rank LIMIT 10`, args...)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var id int64
		var snip string
		if err := rows.Scan(&id, &snip); err != nil {
			rows.Close()
			return 0, err
		}
	}
	rows.Close()
	var total int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM docs WHERE `+where, args...).Scan(&total); err != nil {
		return 0, err
	}
	frows, err := db.QueryContext(ctx, `SELECT region, count(*) FROM docs WHERE `+where+` GROUP BY region`, args...)
	if err != nil {
		return 0, err
	}
	for frows.Next() {
	}
	frows.Close()
	return total, frows.Err()
}

func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	return n, err
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s)-1) * p)
	return s[i]
}

func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) }

func mib(n int64) string { return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB" }

// loadavg is the machine's 1/5/15-minute load, which every figure depends on.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func report(data string, n int, loadDur time.Duration, nq int, seed uint64, b, f *result, loadStart, loadEnd string) {
	host, _ := os.Hostname()
	fmt.Printf("## Search: %d articles\n\n", n)
	fmt.Printf("- Command: `go run ./bench/search --data %s --queries %d --seed %d` on a corpus from `go run ./bench/corpus --articles %d`\n", data, nq, seed, n)
	fmt.Printf("- Machine: %s, %s/%s, %d CPUs (GOMAXPROCS %d), %s; other work on the machine skews every figure, compare the ratios\n",
		host, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version())
	fmt.Printf("- Load average (1/5/15 min) when indexing started: %s; at the end: %s\n", loadStart, loadEnd)
	fmt.Printf("- Documents read from the store and made plain text in %s; both engines then index the same %d documents in batches of 500\n", loadDur.Round(time.Millisecond), n)
	fmt.Printf("- Queries: %d of each kind, drawn from the corpus text, run one at a time after 50 warm-up queries\n\n", nq)
	fmt.Println("| engine | index size | indexing | articles/s |")
	fmt.Println("|---|---:|---:|---:|")
	for _, r := range []*result{b, f} {
		fmt.Printf("| %s | %s | %s | %.0f |\n", r.engine, mib(r.size), r.indexDur.Round(time.Millisecond), float64(r.docs)/r.indexDur.Seconds())
	}
	fmt.Println()
	fmt.Println("| query | bleve p50 ms | bleve p99 ms | FTS5 p50 ms | FTS5 p99 ms | p99 bleve/FTS5 | with hits (bleve / FTS5) |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---|")
	var allB, allF []time.Duration
	for _, k := range kinds {
		allB = append(allB, b.lat[k]...)
		allF = append(allF, f.lat[k]...)
		fmt.Printf("| %s | %s | %s | %s | %s | %.1f× | %d / %d |\n", k, ms(pct(b.lat[k], .5)), ms(pct(b.lat[k], .99)),
			ms(pct(f.lat[k], .5)), ms(pct(f.lat[k], .99)), float64(pct(b.lat[k], .99))/float64(pct(f.lat[k], .99)), b.hits[k], f.hits[k])
	}
	fmt.Printf("| **mix** | %s | %s | %s | %s | %.1f× | |\n", ms(pct(allB, .5)), ms(pct(allB, .99)), ms(pct(allF, .5)), ms(pct(allF, .99)),
		float64(pct(allB, .99))/float64(pct(allF, .99)))
	fmt.Println()
	fmt.Println("A typo query counts as answered for bleve when it found hits or a suggestion; FTS5 has no suggestion.")
}

// reportAgainst prints another engine's figures beside the FTS5 reference.
func reportAgainst(e, f *result) {
	fmt.Printf("\n### %s\n\n", e.engine)
	fmt.Printf("Index %s, %d articles indexed in %s (%.0f articles/s; FTS5 %.0f/s).\n\n", mib(e.size), e.docs,
		e.indexDur.Round(time.Millisecond), float64(e.docs)/e.indexDur.Seconds(), float64(f.docs)/f.indexDur.Seconds())
	fmt.Println("| query | p50 ms | p99 ms | FTS5 p99 ms | p99 vs FTS5 | with hits |")
	fmt.Println("|---|---:|---:|---:|---:|---:|")
	var all, allF []time.Duration
	for _, k := range kinds {
		all = append(all, e.lat[k]...)
		allF = append(allF, f.lat[k]...)
		fmt.Printf("| %s | %s | %s | %s | %.1f× | %d |\n", k, ms(pct(e.lat[k], .5)), ms(pct(e.lat[k], .99)), ms(pct(f.lat[k], .99)),
			float64(pct(e.lat[k], .99))/float64(pct(f.lat[k], .99)), e.hits[k])
	}
	fmt.Printf("| **mix** | %s | %s | %s | %.1f× | |\n", ms(pct(all, .5)), ms(pct(all, .99)), ms(pct(allF, .99)), float64(pct(all, .99))/float64(pct(allF, .99)))
}

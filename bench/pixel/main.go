// Command pixel measures the republication tracking image under wrk over
// the demo publication (seeded through the editorial service, as `folio
// serve --demo` does; hits spread over every article the republish tool
// is offered for) and checks that the counts add up: every hit the server
// received is a view stored after the final flush, wrk's completed
// requests are within one per connection of those hits, and the database
// saw one transaction per flush, not one write per hit. The reference in
// the same run is a static 1×1 GIF file served by net/http's FileServer.
//
//	go run ./bench/pixel [--duration 3s] [--connections 32] [--threads 2] [--domains 200] [--flush 1s]
//
// It needs wrk on PATH (apt-get install wrk) and prints a Markdown table.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"folio/internal/demo"
	"folio/internal/editorial"
	"folio/internal/republish"
	"folio/internal/seed"
	"folio/internal/store"
	"folio/internal/store/sqlite"
)

func main() {
	dur := flag.Duration("duration", 3*time.Second, "wrk run length per endpoint")
	conns := flag.Int("connections", 32, "wrk connections")
	threads := flag.Int("threads", 2, "wrk threads")
	domains := flag.Int("domains", 200, "distinct republishing domains (5 pages each)")
	flush := flag.Duration("flush", time.Second, "counter flush interval")
	flag.Parse()
	if err := run(*dur, *conns, *threads, *domains, *flush); err != nil {
		log.Fatal(err)
	}
}

func run(dur time.Duration, conns, threads, domains int, flush time.Duration) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "folio-pixel-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, err := sqlite.Open(ctx, filepath.Join(dir, "folio.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	ds, err := demo.Load()
	if err != nil {
		return err
	}
	if _, err := seed.Demo(ctx, editorial.New(db), filepath.Join(dir, "media"), ds); err != nil {
		return err
	}
	st, err := db.Settings(ctx)
	if err != nil {
		return err
	}
	all, total, err := db.FindArticles(ctx, store.ArticleFilter{})
	if err != nil {
		return err
	}
	now := time.Now()
	var ids []int64
	for _, a := range all {
		if republish.Offered(st, a, now) {
			ids = append(ids, a.ID)
		}
	}
	if len(ids) == 0 {
		return fmt.Errorf("the demo offers no article for republication")
	}

	var txs atomic.Int64
	// Every request comes from 127.0.0.1: the rate limit runs (its cost is
	// measured) with a budget wrk cannot exhaust.
	c := &republish.Counter{PerClient: 1 << 40, MaxKeys: republish.DefaultMaxKeys}
	h, err := republish.New(republish.Config{Store: db, Counter: c})
	if err != nil {
		return err
	}
	c.Record = func(ctx context.Context, vs []store.RepublishView) error {
		txs.Add(1)
		return h.Record(ctx, vs)
	}
	pixels := http.NewServeMux()
	h.Register(pixels)
	// Hits the server received: what the stored views must add up to.
	var received atomic.Int64
	mux := http.NewServeMux()
	mux.Handle("GET /republish/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		received.Add(1)
		pixels.ServeHTTP(w, r)
	}))
	// The reference: a 1×1 GIF as a static file, through net/http's file server.
	static := filepath.Join(dir, "static")
	gif := []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
	if err := os.MkdirAll(static, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(static, "ref.gif"), gif, 0o644); err != nil {
		return err
	}
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServer(http.Dir(static))))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	fctx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan struct{})
	go func() { c.Run(fctx, flush, nil, func(err error) { log.Print(err) }); close(done) }()

	script := filepath.Join(dir, "pixel.lua")
	if err := os.WriteFile(script, []byte(lua(ids, domains)), 0o644); err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	ref, err := wrk(base+"/static/ref.gif", "", dur, conns, threads)
	if err != nil {
		return err
	}
	px, err := wrk(base+"/", script, dur, conns, threads)
	if err != nil {
		return err
	}
	// Requests wrk left in flight finish before the last flush.
	_ = srv.Shutdown(ctx)
	stop()
	<-done
	vs, err := db.FindRepublishViews(ctx, store.RepublishViewFilter{})
	if err != nil {
		return err
	}
	var stored int64
	doms := map[string]bool{}
	for _, v := range vs {
		stored += v.Views
		doms[v.Domain] = true
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("## Republication pixel (demo corpus: %d articles, %d offered for republication; %d domains × 5 pages; flush every %s)\n\n",
		total, len(ids), domains, flush)
	fmt.Printf("| endpoint | command | req/s | requests | non-2xx | ratio vs reference |\n|---|---|---:|---:|---:|---:|\n")
	fmt.Printf("| reference: static 1×1 GIF (net/http FileServer) | `wrk -t%d -c%d -d%s /static/ref.gif` | %.0f | %d | %d | 1.00 |\n",
		threads, conns, dur, ref.rps, ref.requests, ref.non2xx)
	fmt.Printf("| /republish/{id}/pixel.gif | `wrk -t%d -c%d -d%s -s pixel.lua /` | %.0f | %d | %d | %.2f |\n\n",
		threads, conns, dur, px.rps, px.requests, px.non2xx, px.rps/ref.rps)
	fmt.Printf("| check | value |\n|---|---:|\n")
	fmt.Printf("| pixel requests wrk completed | %d |\n| hits the server received | %d |\n| hits the counter saw | %d |\n| counted | %d |\n| dropped (bot, refused, limited) | %d |\n",
		px.requests, received.Load(), c.Hits.Load(), c.Counted.Load(), c.Bots.Load()+c.Refused.Load()+c.Limited.Load())
	fmt.Printf("| views stored after the last flush | %d |\n| distinct domains stored | %d |\n| rows stored | %d |\n| database transactions (flushes) | %d |\n",
		stored, len(doms), len(vs), txs.Load())
	// Every hit that reached the server is stored. wrk counts the
	// responses it read; a request in flight when it stops reaches the
	// server without being in wrk's total, at most one per connection.
	ok := stored == received.Load() && stored == c.Counted.Load() && stored >= px.requests && stored-px.requests <= int64(conns)
	fmt.Printf("| counts add up (stored = received = counted; 0 ≤ stored − wrk's requests ≤ connections) | %v |\n\nload average at the end: %s\n",
		ok, strings.TrimSpace(string(load)))
	if !ok {
		return fmt.Errorf("counts do not add up: wrk %d, received %d, counted %d, stored %d", px.requests, received.Load(), c.Counted.Load(), stored)
	}
	return nil
}

// lua spreads requests over articles and referring pages, as browsers
// showing republished copies would send them.
func lua(ids []int64, domains int) string {
	var b strings.Builder
	b.WriteString("local ids = {")
	for i, id := range ids {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	fmt.Fprintf(&b, "}\nlocal domains = %d\nlocal n = 0\n", domains)
	b.WriteString(`request = function()
  n = n + 1
  local id = ids[(n % #ids) + 1]
  local d = math.random(0, domains - 1)
  local ref = "https://site" .. d .. ".example/story/" .. math.random(0, 4)
  return wrk.format("GET", "/republish/" .. id .. "/pixel.gif", {["Referer"] = ref,
    ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"})
end
`)
	return b.String()
}

type result struct {
	rps              float64
	requests, non2xx int64
}

var (
	reqRe    = regexp.MustCompile(`(\d+) requests in`)
	rpsRe    = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	non2xxRe = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
)

func wrk(url, script string, dur time.Duration, conns, threads int) (result, error) {
	args := []string{"-t", strconv.Itoa(threads), "-c", strconv.Itoa(conns), "-d", dur.String()}
	if script != "" {
		args = append(args, "-s", script)
	}
	out, err := exec.Command("wrk", append(args, url)...).CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	var r result
	if m := reqRe.FindSubmatch(out); m != nil {
		r.requests, _ = strconv.ParseInt(string(m[1]), 10, 64)
	}
	if m := rpsRe.FindSubmatch(out); m != nil {
		r.rps, _ = strconv.ParseFloat(string(m[1]), 64)
	}
	if m := non2xxRe.FindSubmatch(out); m != nil {
		r.non2xx, _ = strconv.ParseInt(string(m[1]), 10, 64)
	}
	if r.requests == 0 {
		return r, fmt.Errorf("wrk made no requests:\n%s", out)
	}
	return r, nil
}

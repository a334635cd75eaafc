// Command import measures the WordPress importer: it generates a WXR file
// of N posts (classic and block-editor bodies, categories, tags, comments,
// several authors), imports it into a fresh SQLite data directory through
// the real editorial service, and prints posts per second and peak memory.
//
//	go run ./bench/import                      # 2,000 and 10,000 posts, one process each
//	go run ./bench/import --sizes 10000,40000  # any sizes
//	go run ./bench/import --sizes 10000 --cpuprofile /tmp/cpu.pprof  # writes /tmp/10000.cpu.pprof
//
// Each size runs in its own child process so the peak resident set
// (VmHWM from /proc/self/status) belongs to that size alone.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"folio/internal/changes"
	"folio/internal/editorial"
	"folio/internal/importer"
	"folio/internal/media"
	"folio/internal/store/sqlite"
)

func main() {
	sizes := flag.String("sizes", "2000,10000", "comma-separated post counts, each measured in its own process")
	one := flag.Int("one", 0, "measure one size in this process (used by the parent)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the import (not the generation) to this file; with --sizes, SIZE.FILE per size")
	flag.Parse()
	if *one > 0 {
		if err := measure(*one, *cpuProfile); err != nil {
			fmt.Fprintln(os.Stderr, "import bench:", err)
			os.Exit(1)
		}
		return
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("WordPress import, %s/%s, GOMAXPROCS=%d, %s\n", runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), runtime.Version())
	if la, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Printf("load average at start: %s\n", strings.Join(strings.Fields(string(la))[:3], " "))
	}
	fmt.Printf("%8s %10s %9s %9s %9s %10s %10s\n", "posts", "file MiB", "seconds", "posts/s", "CPU s", "VmHWM MiB", "heap MiB")
	for _, s := range strings.Split(*sizes, ",") {
		args := []string{"--one", strings.TrimSpace(s)}
		if *cpuProfile != "" {
			args = append(args, "--cpuprofile", filepath.Join(filepath.Dir(*cpuProfile), strings.TrimSpace(s)+"."+filepath.Base(*cpuProfile)))
		}
		cmd := exec.Command(exe, args...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			os.Exit(1)
		}
	}
}

func measure(n int, cpuProfile string) error {
	dir, err := os.MkdirTemp("", "folio-import-bench-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "export.xml")
	if err := generate(file, n); err != nil {
		return err
	}
	fi, err := os.Stat(file)
	if err != nil {
		return err
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "folio.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	runtime.GC()
	var peakHeap uint64
	done := make(chan struct{})
	go func() { // sample the Go heap; VmHWM covers everything else
		var ms runtime.MemStats
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				runtime.ReadMemStats(&ms)
				peakHeap = max(peakHeap, ms.HeapInuse)
			}
		}
	}()
	// Wired as `folio import` wires it: every write also goes to the change
	// log that tells running servers which cached pages to drop.
	relay := changes.New(db, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if cpuProfile != "" {
		pf, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
	}
	cpu0 := cpuTime()
	start := time.Now()
	rep, err := importer.ImportWordPress(ctx, f, importer.Options{
		Editorial: editorial.New(db, editorial.OnChange(relay.Publish)), Store: db,
		Media: &media.Library{Root: filepath.Join(dir, "media")},
	})
	el := time.Since(start)
	cpu := cpuTime() - cpu0
	if cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	close(done)
	if err != nil {
		return err
	}
	if c := rep.Counts["article"]; c == nil || c.Created != n {
		return fmt.Errorf("imported %+v, want %d", c, n)
	}
	fmt.Printf("%8d %10.1f %9.2f %9.0f %9.2f %10.1f %10.1f\n", n, float64(fi.Size())/(1<<20), el.Seconds(),
		float64(n)/el.Seconds(), cpu.Seconds(), float64(vmHWM())/1024, float64(peakHeap)/(1<<20))
	return nil
}

// cpuTime is the user plus system time this process has used: on a shared
// machine it says what the import cost, whatever else was running.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// vmHWM is the peak resident set in KiB, 0 where /proc is missing.
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

var words = strings.Fields(`harbour quota water river delta council budget school road clinic
	drought election market migrant border court press freight rail grain tariff
	province village district survey archive ledger minister report season`)

// generate writes a deterministic WXR file of n posts, half classic-editor
// and half block-editor bodies of about 2 KB, with categories, tags and a
// comment on every fifth post.
func generate(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench</title><link>https://bench.example</link><wp:wxr_version>1.2</wp:wxr_version>
`)
	for a := 0; a < 5; a++ {
		fmt.Fprintf(w, "<wp:author><wp:author_login><![CDATA[writer%d]]></wp:author_login><wp:author_display_name><![CDATA[Writer Number %d]]></wp:author_display_name></wp:author>\n", a, a)
	}
	word := func(i int) string { return words[i%len(words)] }
	for i := 1; i <= n; i++ {
		var body strings.Builder
		for p := 0; p < 8; p++ {
			var para strings.Builder
			for k := 0; k < 40; k++ {
				para.WriteString(word(i*7 + p*13 + k*3))
				para.WriteByte(' ')
			}
			if i%2 == 0 {
				fmt.Fprintf(&body, "<!-- wp:paragraph -->\n<p>%s<strong>%d</strong>.</p>\n<!-- /wp:paragraph -->\n\n", para.String(), p)
			} else {
				fmt.Fprintf(&body, "%s<em>%d</em>.\n\n", para.String(), p)
			}
		}
		t := time.Date(2015, 1, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * 97 * time.Minute)
		fmt.Fprintf(w, `<item><title>%s %s report %d</title><link>https://bench.example/%d/%s-report-%d/</link>
<dc:creator><![CDATA[writer%d]]></dc:creator>
<content:encoded><![CDATA[%s]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>%d</wp:post_id><wp:post_date>%s</wp:post_date><wp:post_date_gmt>%s</wp:post_date_gmt>
<wp:post_name>%s-%s-report-%d</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type><wp:is_sticky>0</wp:is_sticky>
<category domain="category" nicename="%s"><![CDATA[%s]]></category><category domain="post_tag" nicename="%s"><![CDATA[%s]]></category>
`, capitalize(word(i)), word(i+3), i, t.Year(), word(i), i, i%5, body.String(), i,
			t.Add(2*time.Hour).Format("2006-01-02 15:04:05"), t.Format("2006-01-02 15:04:05"),
			word(i), word(i+3), i, word(i%9), word(i%9), word(i%23+1), word(i%23+1))
		if i%5 == 0 {
			fmt.Fprintf(w, `<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_author>Reader</wp:comment_author><wp:comment_date_gmt>%s</wp:comment_date_gmt><wp:comment_content><![CDATA[Thanks for report %d.]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>
`, i, t.Format("2006-01-02 15:04:05"), i)
		}
		fmt.Fprint(w, "</item>\n")
	}
	fmt.Fprint(w, "</channel></rss>\n")
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// capitalize upper-cases the first letter of an ASCII word.
func capitalize(w string) string {
	if w == "" {
		return w
	}
	return strings.ToUpper(w[:1]) + w[1:]
}

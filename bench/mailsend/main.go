// Command mailsend measures a newsletter send: N members through the real
// newsletter worker (claim, compose, deliver, record), delivered to a local
// SMTP sink one message at a time and to a local HTTP sink shaped like
// Postmark's batch API (100 messages a request), beside the same send piped
// to a sendmail-style command, the reference. Each mode runs in a child process
// of its own so its peak RSS is its own. It prints a Markdown table.
//
//	go run ./bench/mailsend --members 10000
//	go run ./bench/mailsend --members 500 --pipe "cat"   # quick
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/mail"
	"folio/internal/newsletter"
	"folio/internal/store"
	"folio/internal/store/sqlite"
)

type result struct {
	Mode     string  `json:"mode"`
	Members  int     `json:"members"`
	Sent     int     `json:"sent"`
	Seconds  float64 `json:"seconds"`
	PerSec   float64 `json:"per_sec"`
	PeakRSS  int64   `json:"peak_rss_kib"`
	SinkMsgs int     `json:"sink_messages"`
}

func main() {
	members := flag.Int("members", 10000, "subscribers to mail")
	pipe := flag.String("pipe", "cat", "reference command that takes each message on stdin (sendmail-style)")
	mode := flag.String("mode", "", "internal: run one mode (smtp or pipe) and print JSON")
	flag.Parse()
	if *mode != "" {
		r, err := run(*mode, *members, strings.Fields(*pipe))
		if err != nil {
			log.Fatal(err)
		}
		_ = json.NewEncoder(os.Stdout).Encode(r)
		return
	}
	var rows []result
	for _, m := range []string{"smtp", "http", "pipe"} {
		out, err := exec.Command(os.Args[0], "--mode", m, "--members", strconv.Itoa(*members), "--pipe", *pipe).Output()
		if err != nil {
			log.Fatalf("%s: %v", m, err)
		}
		var r result
		if err := json.Unmarshal(out, &r); err != nil {
			log.Fatalf("%s: %v: %s", m, err, out)
		}
		rows = append(rows, r)
	}
	fmt.Printf("| delivery | members | sent | seconds | messages/s | peak RSS (MiB) | ratio vs pipe |\n|---|---|---|---|---|---|---|\n")
	ref := rows[len(rows)-1].PerSec
	for _, r := range rows {
		label := "SMTP to a local sink (net/smtp per message)"
		switch r.Mode {
		case "http":
			label = "HTTP batch API to a local Postmark-shaped sink (100 per request)"
		case "pipe":
			label = "piped to `" + *pipe + "` per message (reference)"
		}
		fmt.Printf("| %s | %d | %d | %.1f | %.0f | %.1f | %.2f |\n", label, r.Members, r.Sent, r.Seconds, r.PerSec,
			float64(r.PeakRSS)/1024, r.PerSec/ref)
	}
}

// queue collects the batch jobs the sender would put in the durable queue.
type queue struct{ jobs []newsletter.BatchJob }

func (q *queue) Enqueue(_ context.Context, args river.JobArgs, _ *river.InsertOpts) error {
	q.jobs = append(q.jobs, args.(newsletter.BatchJob))
	return nil
}

func run(mode string, n int, pipe []string) (*result, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "folio-mailsend-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	db, err := sqlite.Open(ctx, filepath.Join(dir, "folio.db"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	svc := editorial.New(db)
	sys := svc.System("bench")
	nl := &store.Newsletter{Name: "The Weekly Meridian"}
	if err := sys.CreateNewsletter(ctx, nl); err != nil {
		return nil, err
	}
	rows := make([]editorial.MemberImport, n)
	for i := range rows {
		rows[i] = editorial.MemberImport{Email: fmt.Sprintf("reader%05d@readers.example", i), Newsletters: []int64{nl.ID}}
	}
	if _, err := sys.ImportMembers(ctx, rows); err != nil {
		return nil, err
	}
	a := &content.Article{Language: "en", Title: "The canal that rewrites a river", Status: content.StatusPublished,
		BodyMarkdown: strings.Repeat("The Qosh Tepa canal will take up to a fifth of the Amu Darya's flow. ", 40) +
			"\n\n## Who decides\n\n" + strings.Repeat("Quotas from 1992 never planned for a fifth riparian. ", 30)}
	if err := sys.CreateArticle(ctx, a); err != nil {
		return nil, err
	}
	q := &queue{}
	svc.SetSendQueue(&newsletter.Sender{Store: db, Queue: q})
	send, err := sys.SendArticle(ctx, nl.ID, a.ID)
	if err != nil {
		return nil, err
	}
	deliveries, err := svc.System("newsletter").Deliveries()
	if err != nil {
		return nil, err
	}
	var sender mail.Sender
	var sink *smtpSink
	switch mode {
	case "smtp":
		if sink, err = startSink(); err != nil {
			return nil, err
		}
		host, port, _ := net.SplitHostPort(sink.addr)
		p, _ := strconv.Atoi(port)
		sender = &mail.SMTP{Host: host, Port: p, From: "The Review <news@example.org>", TLS: mail.TLSNone}
	case "http":
		hs, err := startHTTPSink()
		if err != nil {
			return nil, err
		}
		defer hs.Close()
		sender = &mail.Postmark{Token: "bench", From: "The Review <news@example.org>", Stream: "broadcast", Endpoint: hs.URL}
	case "pipe":
		sender = &mail.Pipe{Command: pipe, From: "The Review <news@example.org>"}
	default:
		return nil, fmt.Errorf("unknown mode %q", mode)
	}
	w := &newsletter.Worker{Store: db, Deliveries: deliveries, Sender: sender, Key: []byte(strings.Repeat("k", 32)),
		BaseURL: "https://news.example.org"}
	start := time.Now()
	for _, j := range q.jobs {
		if err := w.Work(ctx, &river.Job[newsletter.BatchJob]{Args: j}); err != nil {
			return nil, fmt.Errorf("batch %+v: %w", j, err)
		}
	}
	secs := time.Since(start).Seconds()
	got, err := db.FindSend(ctx, send.ID)
	if err != nil {
		return nil, err
	}
	r := &result{Mode: mode, Members: n, Sent: got.Sent, Seconds: secs, PerSec: float64(got.Sent) / secs, PeakRSS: peakRSS()}
	if sink != nil {
		r.SinkMsgs = sink.count()
	}
	return r, nil
}

// peakRSS is this process's high-water resident set, in KiB (Linux).
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	return 0
}

// smtpSink is a minimal SMTP server on loopback that accepts every
// message and keeps only a count: the cost measured is Folio's.
type smtpSink struct {
	addr string
	msgs chan struct{}
}

func startSink() (*smtpSink, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &smtpSink{addr: l.Addr().String(), msgs: make(chan struct{}, 1<<20)}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s, nil
}

func (s *smtpSink) count() int { return len(s.msgs) }

func (s *smtpSink) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(l string) { _, _ = io.WriteString(c, l+"\r\n") }
	say("220 sink ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			say("250-sink")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "HELO"), strings.HasPrefix(cmd, "MAIL"), strings.HasPrefix(cmd, "RCPT"), strings.HasPrefix(cmd, "RSET"), strings.HasPrefix(cmd, "NOOP"):
			say("250 ok")
		case cmd == "DATA":
			say("354 go ahead")
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" || l == ".\n" {
					break
				}
			}
			s.msgs <- struct{}{}
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("502 unknown")
		}
	}
}

// startHTTPSink answers Postmark's batch endpoint on loopback: every
// message accepted, in the documented answer shape.
func startHTTPSink() (*httptest.Server, error) {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var batch []struct{ To string }
		if err := json.NewDecoder(r.Body).Decode(&batch); err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		out := make([]map[string]any, len(batch))
		for i, m := range batch {
			out[i] = map[string]any{"ErrorCode": 0, "Message": "OK", "MessageID": strconv.Itoa(i), "To": m.To}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
	})), nil
}

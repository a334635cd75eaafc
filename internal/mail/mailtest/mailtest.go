// Package mailtest runs a real SMTP server, mailpit (a `go tool` of this
// module), for tests, and reads what it received through its HTTP API.
package mailtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a running mailpit.
type Server struct {
	SMTPHost string
	SMTPPort int
	API      string // base URL of the HTTP API, "http://127.0.0.1:PORT"
}

// Message is what mailpit stored for one email.
type Message struct {
	ID      string
	Subject string
	To      []struct{ Address string }
	From    struct{ Address string }
	Text    string
	HTML    string
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// binary returns the path of the mailpit executable, building it once per
// test binary through the go command's tool cache.
func binary() (string, error) {
	binOnce.Do(func() {
		goCmd, err := exec.LookPath("go")
		if err != nil {
			binErr = fmt.Errorf("the go command is not on PATH: %w", err)
			return
		}
		var out, errb bytes.Buffer
		cmd := exec.Command(goCmd, "tool", "-n", "mailpit")
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			binErr = fmt.Errorf("go tool -n mailpit: %v: %s", err, errb.String())
			return
		}
		binPath = strings.TrimSpace(out.String())
	})
	return binPath, binErr
}

// Start runs a fresh mailpit on loopback ports and stops it when the test
// ends. It skips the test when mailpit cannot be built, except under CI
// (CI=true), where that is a failure.
func Start(tb testing.TB) *Server {
	tb.Helper()
	bin, err := binary()
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("mailpit is required under CI: %v", err)
		}
		tb.Skipf("mailpit unavailable: %v", err)
	}
	smtpPort, httpPort := freePort(tb), freePort(tb)
	ctx, cancel := context.WithCancel(context.Background())
	var logs bytes.Buffer
	cmd := exec.CommandContext(ctx, bin,
		"--smtp", "127.0.0.1:"+strconv.Itoa(smtpPort),
		"--listen", "127.0.0.1:"+strconv.Itoa(httpPort),
		"--database", "",
		"--disable-version-check",
		// Lets tests make the server refuse mail (FailRecipients); it
		// does nothing until they do.
		"--enable-chaos",
		// Keep every message: newsletter tests send a thousand.
		"--max", "0",
		"--quiet")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		cancel()
		tb.Fatalf("start mailpit: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	tb.Cleanup(func() {
		cancel()
		<-done
	})
	s := &Server{SMTPHost: "127.0.0.1", SMTPPort: smtpPort, API: "http://127.0.0.1:" + strconv.Itoa(httpPort)}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.API + "/api/v1/messages")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				if c, err := net.Dial("tcp", net.JoinHostPort(s.SMTPHost, strconv.Itoa(smtpPort))); err == nil {
					c.Close()
					return s
				}
			}
		}
		select {
		case <-done:
			tb.Fatalf("mailpit exited: %s", logs.String())
		default:
		}
		if time.Now().After(deadline) {
			tb.Fatalf("mailpit did not start in 30s: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Messages returns the summaries of every stored message, newest first.
func (s *Server) Messages(tb testing.TB) []Message {
	tb.Helper()
	var list struct{ Messages []Message }
	s.get(tb, "/api/v1/messages", &list)
	return list.Messages
}

// Message returns one message in full, with its text and HTML bodies.
func (s *Server) Message(tb testing.TB, id string) Message {
	tb.Helper()
	var m Message
	s.get(tb, "/api/v1/message/"+url.PathEscape(id), &m)
	return m
}

// Last returns the newest message sent to addr in full, failing the test
// when there is none.
func (s *Server) Last(tb testing.TB, addr string) Message {
	tb.Helper()
	for _, m := range s.Messages(tb) {
		for _, to := range m.To {
			if strings.EqualFold(to.Address, addr) {
				return s.Message(tb, m.ID)
			}
		}
	}
	tb.Fatalf("no message to %s", addr)
	return Message{}
}

// Count returns how many stored messages were sent to addr.
func (s *Server) Count(tb testing.TB, addr string) int {
	tb.Helper()
	n := 0
	for _, m := range s.Messages(tb) {
		for _, to := range m.To {
			if strings.EqualFold(to.Address, addr) {
				n++
			}
		}
	}
	return n
}

// FailRecipients makes the server answer every RCPT TO with code (a 4xx
// code is a temporary failure a sender should retry); 0 accepts mail
// again.
func (s *Server) FailRecipients(tb testing.TB, code int) {
	tb.Helper()
	trigger := map[string]int{"ErrorCode": 451, "Probability": 0}
	if code != 0 {
		trigger = map[string]int{"ErrorCode": code, "Probability": 100}
	}
	body, _ := json.Marshal(map[string]any{"Recipient": trigger})
	req, err := http.NewRequest(http.MethodPut, s.API+"/api/v1/chaos", bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("mailpit chaos: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("mailpit chaos: %s", resp.Status)
	}
}

func (s *Server) get(tb testing.TB, path string, v any) {
	tb.Helper()
	resp, err := http.Get(s.API + path)
	if err != nil {
		tb.Fatalf("mailpit %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("mailpit %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		tb.Fatalf("mailpit %s: %v", path, err)
	}
}

// All returns the summaries of up to limit stored messages, newest first
// (Messages returns mailpit's default page of 50).
func (s *Server) All(tb testing.TB, limit int) []Message {
	tb.Helper()
	var list struct{ Messages []Message }
	s.get(tb, "/api/v1/messages?limit="+strconv.Itoa(limit), &list)
	return list.Messages
}

// Headers returns the header fields of one message.
func (s *Server) Headers(tb testing.TB, id string) map[string][]string {
	tb.Helper()
	h := map[string][]string{}
	s.get(tb, "/api/v1/message/"+url.PathEscape(id)+"/headers", &h)
	return h
}

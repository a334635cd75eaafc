package mail

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// replay serves the recorded answer in testdata/postmark/name for every
// request and keeps the requests' bodies.
func replay(t *testing.T, name string) (*httptest.Server, *[][]map[string]any) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "postmark", name))
	if err != nil {
		t.Fatal(err)
	}
	var bodies [][]map[string]any
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/email/batch" || r.Header.Get("X-Postmark-Server-Token") != "server-token" {
			http.Error(w, "wrong path or token", http.StatusTeapot)
			return
		}
		var b []map[string]any
		if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
			http.Error(w, err.Error(), http.StatusTeapot)
			return
		}
		bodies = append(bodies, b)
		resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusTeapot)
			return
		}
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	t.Cleanup(ts.Close)
	return ts, &bodies
}

func postmarkTo(ts *httptest.Server) *Postmark {
	return &Postmark{Token: "server-token", From: "The Review <news@example.org>", Stream: "broadcast", Endpoint: ts.URL}
}

func messages(n int) []Message {
	ms := make([]Message, n)
	for i := range ms {
		ms[i] = Message{To: []string{fmt.Sprintf("reader%d@example.org", i+1)}, Subject: "Glaciers", Text: "text", HTML: "<p>html</p>",
			Headers: map[string]string{"list-unsubscribe": "<https://news.example.org/u/1>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}}
	}
	return ms
}

func TestPostmark_SendBatch(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		ts, bodies := replay(t, "batch_ok.http")
		errs, err := postmarkTo(ts).SendBatch(context.Background(), messages(2))
		if err != nil || len(errs) != 2 || errs[0] != nil || errs[1] != nil {
			t.Fatalf("SendBatch = %v, %v; want two nil outcomes", errs, err)
		}
		m := (*bodies)[0][1]
		if m["To"] != "reader2@example.org" || m["MessageStream"] != "broadcast" || m["TrackOpens"] != false || m["TrackLinks"] != "None" ||
			m["From"] != `"The Review" <news@example.org>` || m["HtmlBody"] != "<p>html</p>" || m["TextBody"] != "text" {
			t.Errorf("message sent = %v", m)
		}
		hs, _ := json.Marshal(m["Headers"])
		if want := `[{"Name":"List-Unsubscribe","Value":"\u003chttps://news.example.org/u/1\u003e"},{"Name":"List-Unsubscribe-Post","Value":"List-Unsubscribe=One-Click"}]`; string(hs) != want {
			t.Errorf("headers = %s, want %s", hs, want)
		}
	})
	t.Run("ErrInvalidAddress", func(t *testing.T) {
		ts, _ := replay(t, "batch_invalid_address.http")
		errs, err := postmarkTo(ts).SendBatch(context.Background(), messages(3))
		if err != nil || len(errs) != 3 {
			t.Fatalf("SendBatch = %v, %v", errs, err)
		}
		if errs[0] != nil {
			t.Errorf("first outcome = %v, want accepted", errs[0])
		}
		if errs[1] == nil || Temporary(errs[1]) || IsInactive(errs[1]) || !strings.Contains(errs[1].Error(), "error 300") {
			t.Errorf("second outcome = %v, want a permanent refusal with code 300", errs[1])
		}
		if !IsInactive(errs[2]) || Temporary(errs[2]) {
			t.Errorf("third outcome = %v, want an inactive recipient", errs[2])
		}
	})
	t.Run("ErrAnswerMismatch", func(t *testing.T) {
		ts, _ := replay(t, "batch_ok.http") // two results for three messages
		_, err := postmarkTo(ts).SendBatch(context.Background(), messages(3))
		if err == nil || Temporary(err) {
			t.Fatalf("err = %v, want a failure that is not retried (the messages may have gone)", err)
		}
	})
	for _, tc := range []struct {
		file  string
		retry bool
		want  string
	}{
		{"rate_limited.http", true, "HTTP 429"},
		{"unauthorized.http", true, "error 10"},
		{"server_error.http", false, "HTTP 500"},
	} {
		t.Run("Err"+strings.TrimSuffix(tc.file, ".http"), func(t *testing.T) {
			ts, _ := replay(t, tc.file)
			errs, err := postmarkTo(ts).SendBatch(context.Background(), messages(2))
			if errs != nil || err == nil || !strings.Contains(err.Error(), tc.want) || Temporary(err) != tc.retry {
				t.Fatalf("SendBatch = %v, %v; want %q with Temporary %v", errs, err, tc.want, tc.retry)
			}
			if strings.Contains(err.Error(), "server-token") {
				t.Errorf("error %q shows the token", err)
			}
		})
	}
	t.Run("ErrRefusedConnection", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		p := &Postmark{Token: "server-token", From: "news@example.org", Endpoint: "http://" + addr}
		err = p.Send(context.Background(), messages(1)[0])
		if err == nil || !Temporary(err) {
			t.Fatalf("Send = %v, want a temporary failure", err)
		}
	})
	t.Run("ErrBadMessage", func(t *testing.T) {
		ts, bodies := replay(t, "batch_ok.http")
		ms := messages(2)
		ms[1].Subject = "two\r\nBcc: x@example.org"
		if _, err := postmarkTo(ts).SendBatch(context.Background(), ms); err == nil || !strings.Contains(err.Error(), "message 1") {
			t.Fatalf("err = %v, want message 1 named", err)
		}
		if len(*bodies) != 0 {
			t.Error("a batch with a bad message was sent")
		}
	})
}

func TestPostmark_LogValue(t *testing.T) {
	p := &Postmark{Token: "server-token", From: "news@example.org"}
	for _, s := range []string{p.LogValue().String(), fmt.Sprint(p), fmt.Sprintf("%+v", p)} {
		if strings.Contains(s, "server-token") {
			t.Errorf("%q shows the token", s)
		}
	}
}

func TestLimiter_Wait(t *testing.T) {
	l := &Limiter{Rate: 100}
	ctx := context.Background()
	start := time.Now()
	for range 3 {
		if err := l.Wait(ctx, 10); err != nil {
			t.Fatal(err)
		}
	}
	// 30 messages at 100 a second: the third wait starts 200 ms after the first.
	if d := time.Since(start); d < 190*time.Millisecond {
		t.Errorf("three waits of 10 took %v, want at least 200ms", d)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := (&Limiter{Rate: 0.001}).Wait(cctx, 1); err == nil {
		t.Error("Wait on a canceled context returned nil")
	}
}

// TestWorker_PostmarkRefusal: a queued message Postmark refuses for good
// (an inactive recipient, code 406) is cancelled, not retried for hours;
// a rate limit is retried.
func TestWorker_PostmarkRefusal(t *testing.T) {
	answer := `[{"ErrorCode": 406, "Message": "You tried to send to recipient(s) that have been marked as inactive."}]`
	status := http.StatusOK
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		_, _ = io.WriteString(w, answer)
	}))
	t.Cleanup(ts.Close)
	w := &Worker{Sender: &Postmark{Token: "server-token", From: "news@example.org", Endpoint: ts.URL}}
	job := &river.Job[Job]{Args: Job{Message: messages(1)[0]}}
	var cancel *rivertype.JobCancelError
	if err := w.Work(context.Background(), job); !errors.As(err, &cancel) {
		t.Fatalf("inactive recipient: %v, want the job cancelled", err)
	}
	status, answer = http.StatusTooManyRequests, `{"ErrorCode": 0, "Message": "Rate Limit Exceeded"}`
	if err := w.Work(context.Background(), job); err == nil || errors.As(err, &cancel) {
		t.Fatalf("rate limited: %v, want an error that is retried", err)
	}
}

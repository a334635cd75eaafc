package mail

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/mail"
	"net/textproto"
	"sort"
	"strconv"
	"strings"
	"time"
)

// PostmarkEndpoint is Postmark's API.
const PostmarkEndpoint = "https://api.postmarkapp.com"

// postmarkMaxBatch is the most messages Postmark's batch call takes.
const postmarkMaxBatch = 500

// Postmark error codes Folio reads (Postmark's "API error codes" page).
const (
	postmarkInactiveRecipient = 406 // the address bounced or complained before
)

// Postmark sends through Postmark's HTTP API, in batches of up to 500
// (POST /email/batch). Postmark's open and link tracking are turned off on
// every message: a reader's opens are nobody's business but theirs.
type Postmark struct {
	Token string // server API token, X-Postmark-Server-Token
	From  string
	// Stream is the message stream: "outbound" (transactional, the
	// default) or a broadcast stream for newsletters.
	Stream string
	// Endpoint is PostmarkEndpoint when empty; tests point it at a local server.
	Endpoint string
	Client   *http.Client // http.DefaultClient's transport with a 30 s timeout when nil
}

// LogValue keeps the token out of logs.
func (p *Postmark) LogValue() slog.Value {
	tok := ""
	if p.Token != "" {
		tok = "[redacted]"
	}
	return slog.GroupValue(slog.String("provider", "postmark"), slog.String("token", tok),
		slog.String("from", p.From), slog.String("stream", p.Stream))
}

// String keeps the token out of %v and %+v.
func (p *Postmark) String() string { return "postmark (stream " + p.stream() + ")" }

var _ slog.LogValuer = (*Postmark)(nil)

// MaxBatch is Postmark's limit per batch call.
func (p *Postmark) MaxBatch() int { return postmarkMaxBatch }

func (p *Postmark) stream() string {
	if p.Stream == "" {
		return "outbound"
	}
	return p.Stream
}

// Send delivers one message (a batch of one).
func (p *Postmark) Send(ctx context.Context, m Message) error {
	errs, err := p.SendBatch(ctx, []Message{m})
	if err != nil {
		return err
	}
	return errs[0]
}

type postmarkHeader struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

type postmarkMessage struct {
	From          string           `json:"From"`
	To            string           `json:"To"`
	Subject       string           `json:"Subject"`
	TextBody      string           `json:"TextBody"`
	HTMLBody      string           `json:"HtmlBody,omitempty"`
	Headers       []postmarkHeader `json:"Headers,omitempty"`
	MessageStream string           `json:"MessageStream"`
	TrackOpens    bool             `json:"TrackOpens"`
	TrackLinks    string           `json:"TrackLinks"`
}

// postmarkResult is one entry of a batch answer, or the whole body of a
// refused request.
type postmarkResult struct {
	ErrorCode int    `json:"ErrorCode"`
	Message   string `json:"Message"`
	MessageID string `json:"MessageID"`
	To        string `json:"To"`
}

// SendBatch delivers up to MaxBatch messages in one request and reports
// each one's outcome.
func (p *Postmark) SendBatch(ctx context.Context, ms []Message) ([]error, error) {
	if len(ms) == 0 {
		return nil, nil
	}
	if len(ms) > postmarkMaxBatch {
		return nil, fmt.Errorf("mail: postmark: %d messages in one batch, at most %d", len(ms), postmarkMaxBatch)
	}
	from, err := mail.ParseAddress(p.From)
	if err != nil {
		return nil, fmt.Errorf("mail: from address %q: %w", p.From, err)
	}
	body := make([]postmarkMessage, len(ms))
	for i, m := range ms {
		if err := check(m); err != nil {
			return nil, fmt.Errorf("mail: postmark: message %d: %w", i, err)
		}
		pm := postmarkMessage{From: from.String(), To: strings.Join(m.To, ", "), Subject: m.Subject,
			TextBody: m.Text, HTMLBody: m.HTML, MessageStream: p.stream(), TrackLinks: "None"}
		for k, v := range m.Headers {
			pm.Headers = append(pm.Headers, postmarkHeader{Name: textproto.CanonicalMIMEHeaderKey(k), Value: v})
		}
		sort.Slice(pm.Headers, func(a, b int) bool { return pm.Headers[a].Name < pm.Headers[b].Name })
		body[i] = pm
	}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("mail: postmark: encode batch: %w", err)
	}
	endpoint := strings.TrimRight(p.Endpoint, "/")
	if endpoint == "" {
		endpoint = PostmarkEndpoint
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint+"/email/batch", bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("mail: postmark: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Postmark-Server-Token", p.Token)
	client := p.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		// Do wraps the dial error, so Temporary still sees a refused connection.
		return nil, fmt.Errorf("mail: postmark: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, fmt.Errorf("mail: postmark: read answer (HTTP %d): %w", resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, postmarkRefusal(resp, raw)
	}
	var results []postmarkResult
	if err := json.Unmarshal(raw, &results); err != nil || len(results) != len(ms) {
		// Postmark took the request and its answer is unreadable: the
		// messages may have gone, so this is no Retry.
		return nil, &ProviderError{Provider: "postmark", Status: resp.StatusCode,
			Message: fmt.Sprintf("answer has %d readable results for %d messages", len(results), len(ms))}
	}
	out := make([]error, len(ms))
	for i, r := range results {
		if r.ErrorCode != 0 {
			out[i] = &ProviderError{Provider: "postmark", Status: resp.StatusCode, Code: r.ErrorCode, Message: r.Message,
				Inactive: r.ErrorCode == postmarkInactiveRecipient}
		}
	}
	return out, nil
}

// postmarkRefusal classifies a refused request by Postmark's documented
// statuses: 401 (bad token), 429 (rate limited) and 503 (unavailable)
// accepted nothing and may be retried; 422 is a request that will never
// be taken; a 500 may have sent part of the batch, so it is no Retry.
func postmarkRefusal(resp *http.Response, raw []byte) error {
	var r postmarkResult
	if err := json.Unmarshal(raw, &r); err != nil || r.Message == "" {
		r.Message = strings.TrimSpace(string(raw))
		if len(r.Message) > 200 {
			r.Message = r.Message[:200]
		}
	}
	pe := &ProviderError{Provider: "postmark", Status: resp.StatusCode, Code: r.ErrorCode, Message: r.Message}
	switch resp.StatusCode {
	case http.StatusUnauthorized, http.StatusTooManyRequests, http.StatusServiceUnavailable:
		pe.Retry = true
	}
	if s := resp.Header.Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			pe.RetryAfter = time.Duration(n) * time.Second
		} else if t, err := http.ParseTime(s); err == nil {
			pe.RetryAfter = time.Until(t)
		}
	}
	return pe
}

// IsInactive reports whether err is a provider's refusal of an address
// it suppressed after a bounce or complaint.
func IsInactive(err error) bool {
	var pe *ProviderError
	return errors.As(err, &pe) && pe.Inactive
}

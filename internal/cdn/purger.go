package cdn

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Purger drops the CDN's copies of every response tagged with one of keys.
type Purger interface {
	// Purge purges keys, at most MaxKeys of them.
	Purge(ctx context.Context, keys []string) error
	// MaxKeys is how many keys one call may name.
	MaxKeys() int
	// Name names the purger in logs.
	Name() string
}

// StatusError is a purge the API refused; Retry says whether trying again
// later may help (rate limits and server errors).
type StatusError struct {
	Purger  string
	Status  int
	Message string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s purge: HTTP %d: %s", e.Purger, e.Status, e.Message)
}

// Retry reports whether the failure is worth retrying.
func (e *StatusError) Retry() bool {
	return e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// retryable reports whether err may pass if tried again.
func retryable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Retry()
	}
	return true // network errors
}

// defaultClient bounds every purge call.
var defaultClient = &http.Client{Timeout: 15 * time.Second}

// maxAnswer is how much of an API's answer is read.
const maxAnswer = 1 << 20

// Fastly purges through Fastly's bulk surrogate-key purge:
// POST /service/{id}/purge with {"surrogate_keys": [...]}, answered with a
// JSON object mapping each key to a purge id.
type Fastly struct {
	ServiceID string
	Token     string // API token with purge_select; sent as Fastly-Key
	// Soft marks the content stale instead of removing it, so the CDN can
	// still serve it if the origin is down.
	Soft    bool
	BaseURL string       // https://api.fastly.com when empty
	Client  *http.Client // defaultClient when nil
}

// MaxKeys is Fastly's limit for one bulk purge.
func (f *Fastly) MaxKeys() int { return 256 }

// Name is "fastly".
func (f *Fastly) Name() string { return "fastly" }

// Purge purges keys.
func (f *Fastly) Purge(ctx context.Context, keys []string) error {
	body, _ := json.Marshal(map[string][]string{"surrogate_keys": keys})
	base := f.BaseURL
	if base == "" {
		base = "https://api.fastly.com"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(base, "/")+"/service/"+url.PathEscape(f.ServiceID)+"/purge", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("fastly purge: %w", err)
	}
	req.Header.Set("Fastly-Key", f.Token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if f.Soft {
		req.Header.Set("Fastly-Soft-Purge", "1")
	}
	status, answer, err := do(f.Client, req)
	if err != nil {
		return fmt.Errorf("fastly purge: %w", err)
	}
	if status != http.StatusOK {
		var e struct {
			Msg    string `json:"msg"`
			Detail string `json:"detail"`
		}
		_ = json.Unmarshal(answer, &e)
		return &StatusError{Purger: "fastly", Status: status, Message: strings.TrimSpace(e.Msg + " " + e.Detail)}
	}
	var ids map[string]string
	if err := json.Unmarshal(answer, &ids); err != nil {
		return fmt.Errorf("fastly purge: answer is not a key→id object: %w", err)
	}
	for _, k := range keys {
		if _, ok := ids[k]; !ok {
			return fmt.Errorf("fastly purge: key %q missing from the answer", k)
		}
	}
	return nil
}

// Cloudflare purges by cache tag: POST /zones/{zone}/purge_cache with
// {"tags": [...]}, answered with the API's envelope ({"success": true, …}).
// Responses must carry Cache-Tag for this to find them (TagHeader).
type Cloudflare struct {
	ZoneID  string
	Token   string       // API token with Zone.Cache Purge; sent as Bearer
	BaseURL string       // https://api.cloudflare.com/client/v4 when empty
	Client  *http.Client // defaultClient when nil
}

// MaxKeys is the number of tags one purge_cache call may name.
func (c *Cloudflare) MaxKeys() int { return 30 }

// Name is "cloudflare".
func (c *Cloudflare) Name() string { return "cloudflare" }

// Purge purges keys.
func (c *Cloudflare) Purge(ctx context.Context, keys []string) error {
	body, _ := json.Marshal(map[string][]string{"tags": keys})
	base := c.BaseURL
	if base == "" {
		base = "https://api.cloudflare.com/client/v4"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(base, "/")+"/zones/"+url.PathEscape(c.ZoneID)+"/purge_cache", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("cloudflare purge: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("Content-Type", "application/json")
	status, answer, err := do(c.Client, req)
	if err != nil {
		return fmt.Errorf("cloudflare purge: %w", err)
	}
	var env struct {
		Success bool `json:"success"`
		Errors  []struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	jerr := json.Unmarshal(answer, &env)
	if status == http.StatusOK && jerr == nil && env.Success {
		return nil
	}
	var msgs []string
	for _, e := range env.Errors {
		msgs = append(msgs, fmt.Sprintf("%d %s", e.Code, e.Message))
	}
	if status == http.StatusOK {
		// The envelope said no: a request problem, not worth a retry.
		status = http.StatusBadRequest
	}
	return &StatusError{Purger: "cloudflare", Status: status, Message: strings.Join(msgs, "; ")}
}

// Webhook posts the keys to URL as {"keys": [...], "at": RFC 3339}, for
// any purge mechanism Folio does not speak. With a Secret the body is
// signed: X-Folio-Signature: sha256=HEX(HMAC-SHA256(secret, body)). Any
// 2xx answer is success.
type Webhook struct {
	URL    string
	Secret string
	Client *http.Client // defaultClient when nil
	Now    func() time.Time
}

// MaxKeys bounds one body.
func (w *Webhook) MaxKeys() int { return 500 }

// Name is "webhook".
func (w *Webhook) Name() string { return "webhook" }

// Purge posts keys.
func (w *Webhook) Purge(ctx context.Context, keys []string) error {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	body, _ := json.Marshal(struct {
		Keys []string `json:"keys"`
		At   string   `json:"at"`
	}{keys, now().UTC().Format(time.RFC3339)})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook purge: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if w.Secret != "" {
		req.Header.Set("X-Folio-Signature", Sign(w.Secret, body))
	}
	status, answer, err := do(w.Client, req)
	if err != nil {
		return fmt.Errorf("webhook purge: %w", err)
	}
	if status < 200 || status > 299 {
		return &StatusError{Purger: "webhook", Status: status, Message: firstLine(answer)}
	}
	return nil
}

// Sign is the X-Folio-Signature of body under secret, for receivers to
// compare (with hmac.Equal).
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func do(c *http.Client, req *http.Request) (int, []byte, error) {
	if c == nil {
		c = defaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return 0, nil, fmt.Errorf("read answer: %w", err)
	}
	return resp.StatusCode, b, nil
}

func firstLine(b []byte) string {
	s := string(b)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return strings.TrimSpace(s)
}

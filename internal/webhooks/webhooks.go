package webhooks

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/store"
	"folio/internal/urls"
)

// Store is what webhooks read, and the delivery log they keep.
type Store interface {
	store.ArticleStore
	store.SettingsStore
	store.WebhookStore
}

// Enqueuer stores a job durably; *jobs.Queue is one.
type Enqueuer interface {
	Enqueue(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error
}

// MaxAttempts is how many times a delivery is tried before it is given up
// (with the queue's backoff, attempt⁴ seconds, that is about a day).
const MaxAttempts = 10

// Job is one event to deliver to one webhook. The payload is fixed when
// the event happens, so every retry sends the same bytes.
type Job struct {
	WebhookID int64           `json:"webhook_id"`
	EventID   string          `json:"event_id"`
	Event     string          `json:"event"`
	Payload   json.RawMessage `json:"payload"`
}

// Kind implements river.JobArgs.
func (Job) Kind() string { return "webhook.delivery" }

// Payload is the body of every delivery.
type Payload struct {
	ID      string         `json:"id"`
	Type    string         `json:"type"`
	Created int64          `json:"created"` // Unix seconds of the change
	Data    map[string]any `json:"data"`
}

// ArticleData is an article as payloads describe it.
type ArticleData struct {
	ID          int64     `json:"id"`
	Language    string    `json:"language,omitempty"`
	Title       string    `json:"title,omitempty"`
	Slug        string    `json:"slug,omitempty"`
	URL         string    `json:"url,omitempty"`
	Status      string    `json:"status,omitempty"`
	PublishedAt time.Time `json:"published_at,omitzero"`
	UpdatedAt   time.Time `json:"updated_at,omitzero"`
	License     string    `json:"license,omitempty"`
}

// Dispatcher turns change events into delivery jobs.
type Dispatcher struct {
	Store Store
	Queue Enqueuer
	Log   *slog.Logger
	Now   func() time.Time
}

// Consume handles one committed change event; register it with
// editorial.OnChange (it runs after the commit, in the writer's
// goroutine). A failure to enqueue is logged: the write has happened and
// stays.
func (d *Dispatcher) Consume(ev key.Event) {
	ctx := context.Background()
	if err := d.consume(ctx, ev); err != nil && d.Log != nil {
		d.Log.Error("queue webhook deliveries", "err", err)
	}
}

func (d *Dispatcher) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d *Dispatcher) consume(ctx context.Context, ev key.Event) error {
	var hooks []*store.Webhook
	loaded := false
	var errs []error
	for _, c := range ev.Changes {
		name, data, err := d.describe(ctx, c)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if name == "" {
			continue
		}
		if !loaded {
			if hooks, err = d.Store.FindWebhooks(ctx); err != nil {
				return err
			}
			loaded = true
		}
		at := ev.At
		if at.IsZero() {
			at = d.now()
		}
		p := Payload{ID: newEventID(), Type: name, Created: at.Unix(), Data: data}
		body, err := json.Marshal(p)
		if err != nil {
			return err
		}
		for _, h := range hooks {
			if !h.Active || !slices.Contains(h.Events, name) {
				continue
			}
			err := d.Queue.Enqueue(ctx, Job{WebhookID: h.ID, EventID: p.ID, Event: name, Payload: body},
				&river.InsertOpts{MaxAttempts: MaxAttempts})
			if err != nil {
				errs = append(errs, fmt.Errorf("webhook %d: %w", h.ID, err))
			}
		}
	}
	return errors.Join(errs...)
}

func newEventID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return "evt_" + hex.EncodeToString(b)
}

// describe names the webhook event of one change and its data; "" for
// changes no webhook hears of (drafts, settings, media …).
func (d *Dispatcher) describe(ctx context.Context, c key.Change) (string, map[string]any, error) {
	switch c.Entity {
	case key.EntityArticle:
		if c.Op == key.OpDelete {
			return content.EventArticleDeleted, map[string]any{"article": ArticleData{ID: c.ID}}, nil
		}
		a, err := d.Store.FindArticleByID(ctx, c.ID)
		if content.ErrorCode(err) == content.ENOTFOUND {
			return "", nil, nil // deleted since; its own event follows
		} else if err != nil {
			return "", nil, err
		}
		var name string
		switch {
		case c.Op == key.OpUnpublish:
			name = content.EventArticleUnpublished
		case c.Op == key.OpPublish && a.IsPublic(d.now()):
			name = content.EventArticlePublished
		case (c.Op == key.OpUpdate || c.Op == key.OpCreate) && a.IsPublic(d.now()):
			name = content.EventArticleUpdated
		default:
			return "", nil, nil // drafts, reviews and schedules are not public news
		}
		st, err := d.Store.Settings(ctx)
		if err != nil {
			return "", nil, err
		}
		b := urls.New(st)
		data := ArticleData{ID: a.ID, Language: a.Language, Title: a.Title, Slug: a.Slug, Status: string(a.Status),
			PublishedAt: a.PublishedAt, UpdatedAt: a.UpdatedAt, License: content.ResolveLicense(st, a.License).Code}
		if name != content.EventArticleUnpublished {
			data.URL = b.Abs(b.Article(a))
		}
		return name, map[string]any{"article": data}, nil
	case key.EntityComment:
		if c.Op == key.OpCreate {
			return content.EventCommentCreated, map[string]any{"comment": map[string]int64{"id": c.ID}}, nil
		}
	case key.EntityMember:
		// Members are people: the payload names the record, never the person.
		if c.Op == key.OpCreate {
			return content.EventMemberCreated, map[string]any{"member": map[string]int64{"id": c.ID}}, nil
		}
	}
	return "", nil, nil
}

// Worker delivers Jobs. A delivery that gets no 2xx answer fails the job,
// which the queue retries with backoff up to MaxAttempts.
type Worker struct {
	river.WorkerDefaults[Job]
	Store Store
	// AllowPrivate lets every webhook reach private addresses (a site
	// whose receivers are on its own network); each webhook may also.
	AllowPrivate   bool
	AttemptTimeout time.Duration // per attempt; 10 s when 0
	Log            *slog.Logger
	Now            func() time.Time

	once    sync.Once
	clients [2]*http.Client // public only, private allowed
}

func (w *Worker) client(allowPrivate bool) *http.Client {
	w.once.Do(func() {
		timeout := w.AttemptTimeout
		if timeout <= 0 {
			timeout = 10 * time.Second
		}
		w.clients = [2]*http.Client{Client(false, timeout), Client(true, timeout)}
	})
	if allowPrivate {
		return w.clients[1]
	}
	return w.clients[0]
}

// maxResponse is how much of a receiver's answer the log keeps.
const maxResponse = 1024

// Work sends one delivery and logs it.
func (w *Worker) Work(ctx context.Context, j *river.Job[Job]) error {
	h, err := w.Store.FindWebhookByID(ctx, j.Args.WebhookID)
	if content.ErrorCode(err) == content.ENOTFOUND {
		return nil // unsubscribed since: nothing is owed
	} else if err != nil {
		return err
	}
	if !h.Active {
		return nil
	}
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	d := &store.WebhookDelivery{WebhookID: h.ID, EventID: j.Args.EventID, Event: j.Args.Event, Attempt: j.Attempt}
	start := now()
	status, resp, derr := deliver(ctx, w.client(w.AllowPrivate || h.AllowPrivate), h, j.Args, start)
	d.Status, d.Response, d.Millis = status, resp, time.Since(start).Milliseconds()
	if derr != nil {
		d.Error = derr.Error()
	}
	if err := w.Store.RecordWebhookDelivery(ctx, d); err != nil && content.ErrorCode(err) != content.ENOTFOUND && w.Log != nil {
		w.Log.Warn("log webhook delivery", "webhook", h.ID, "err", err)
	}
	if derr != nil {
		if errors.Is(derr, ErrPrivateAddress) {
			// Retrying cannot make the address public; the log says why.
			return river.JobCancel(derr)
		}
		return derr
	}
	return nil
}

func deliver(ctx context.Context, c *http.Client, h *store.Webhook, j Job, at time.Time) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(j.Payload))
	if err != nil {
		return 0, "", fmt.Errorf("webhooks: request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Folio-Webhooks/1")
	req.Header.Set("Folio-Event", j.Event)
	req.Header.Set("Folio-Event-Id", j.EventID)
	req.Header.Set(SignatureHeader, Sign(h.Secret, at, j.Payload))
	res, err := c.Do(req)
	if err != nil {
		return 0, "", fmt.Errorf("webhooks: post to %s: %w", redact(h.URL), err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, maxResponse))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return res.StatusCode, string(b), fmt.Errorf("webhooks: %s answered %d", redact(h.URL), res.StatusCode)
	}
	return res.StatusCode, string(b), nil
}

// redact drops a URL's query, which may carry a receiver's own secret.
func redact(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		return u[:i]
	}
	return u
}

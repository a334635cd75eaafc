package webhooks

import (
	"bytes"
	"context"
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
	"github.com/riverqueue/river/rivertype"

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
// the event is read from the change log, so every retry sends the same
// bytes. A job is unique by webhook and event: nodes that read the same
// change event (two dispatchers, or one that crashed after queueing and
// before saving its position) queue it once.
type Job struct {
	WebhookID int64           `json:"webhook_id" river:"unique"`
	EventID   string          `json:"event_id" river:"unique"`
	Event     string          `json:"event"`
	Payload   json.RawMessage `json:"payload"`
}

// Kind implements river.JobArgs.
func (Job) Kind() string { return "webhook.delivery" }

// uniqueStates are every state a delivery job can be in: a delivery given
// up on (discarded) or refused (cancelled) is not queued again by a node
// that reads its event late.
var uniqueStates = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStateCancelled, rivertype.JobStateCompleted,
	rivertype.JobStateDiscarded, rivertype.JobStatePending, rivertype.JobStateRetryable, rivertype.JobStateRunning,
	rivertype.JobStateScheduled}

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

// LogStore is what the dispatcher reads: the change log, its saved
// position in it, and what the events name.
type LogStore interface {
	Store
	store.EventStore
	store.CursorStore
}

// Cursor names the dispatcher's position in the change log.
const Cursor = "webhooks"

// logBatch is how many change events one read takes.
const logBatch = 200

// Dispatcher turns the change log into delivery jobs. It reads the log
// from the position it saved (so an event written just before a crash is
// delivered after the restart, and writes of command-line processes are
// delivered by the serving node), queues unique jobs (so nodes reading the
// same events deliver each once), then saves the new position.
type Dispatcher struct {
	Store LogStore
	Queue Enqueuer
	Log   *slog.Logger
	Now   func() time.Time

	mu    sync.Mutex // one catch-up at a time in this process
	once  sync.Once
	nudge chan struct{}
}

func (d *Dispatcher) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d *Dispatcher) nudges() chan struct{} {
	d.once.Do(func() { d.nudge = make(chan struct{}, 1) })
	return d.nudge
}

// Nudge asks Run to read the log now; subscribe it to this process's change
// events so a local write is delivered without waiting for the next tick.
func (d *Dispatcher) Nudge() {
	select {
	case d.nudges() <- struct{}{}:
	default:
	}
}

// Run catches up on every tick and nudge until ctx ends.
func (d *Dispatcher) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := d.CatchUp(ctx); err != nil && ctx.Err() == nil && d.Log != nil {
			d.Log.Error("queue webhook deliveries", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-d.nudges():
			// The writer appends its event just after its subscribers
			// ran; give it a moment so this pass reads it.
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// CatchUp queues the deliveries of every event logged after the saved
// position, saving the position after each batch. The first run of a site
// starts at the end of the log: webhooks hear of changes from then on.
func (d *Dispatcher) CatchUp(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	pos, err := d.Store.EventCursor(ctx, Cursor)
	if content.ErrorCode(err) == content.ENOTFOUND {
		if pos, err = d.Store.LastEventID(ctx); err != nil {
			return fmt.Errorf("webhooks: start of the change log: %w", err)
		}
		if err := d.Store.SaveEventCursor(ctx, Cursor, pos); err != nil {
			return fmt.Errorf("webhooks: save position: %w", err)
		}
	} else if err != nil {
		return fmt.Errorf("webhooks: position: %w", err)
	}
	for {
		evs, err := d.Store.EventsAfter(ctx, pos, logBatch)
		if err != nil {
			return fmt.Errorf("webhooks: read changes after %d: %w", pos, err)
		}
		if len(evs) == 0 {
			return nil
		}
		var hooks []*store.Webhook
		if hooks, err = d.Store.FindWebhooks(ctx); err != nil {
			return fmt.Errorf("webhooks: list: %w", err)
		}
		for _, ev := range evs {
			// A failed enqueue stops here, before the position passes
			// the event: the next pass tries it again.
			if err := d.Dispatch(ctx, ev, hooks); err != nil {
				return err
			}
			pos = ev.ID
		}
		if err := d.Store.SaveEventCursor(ctx, Cursor, pos); err != nil {
			return fmt.Errorf("webhooks: save position %d: %w", pos, err)
		}
		if len(evs) < logBatch {
			return nil
		}
	}
}

// EventID is the payload ID of the n-th change of logged event ev: the
// same on every node and every read, which makes delivery jobs unique.
func EventID(ev int64, n int) string {
	return fmt.Sprintf("evt_%012x%04x", ev, n)
}

// Dispatch queues the deliveries of one logged change event to hooks (the
// subscribed ones). A change whose subject cannot be read is logged and
// skipped: retrying would not bring it back.
func (d *Dispatcher) Dispatch(ctx context.Context, ev *store.ChangeEvent, hooks []*store.Webhook) error {
	for i, c := range ev.Changes {
		name, data, err := d.describe(ctx, c)
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			if d.Log != nil {
				d.Log.Warn("describe change for webhooks", "event", ev.ID, "entity", c.Entity, "id", c.ID, "err", err)
			}
			continue
		}
		if name == "" {
			continue
		}
		at := ev.At
		if at.IsZero() {
			at = d.now()
		}
		p := Payload{ID: EventID(ev.ID, i), Type: name, Created: at.Unix(), Data: data}
		body, err := json.Marshal(p)
		if err != nil {
			return fmt.Errorf("webhooks: encode %s: %w", name, err)
		}
		for _, h := range hooks {
			if !h.Active || !slices.Contains(h.Events, name) {
				continue
			}
			err := d.Queue.Enqueue(ctx, Job{WebhookID: h.ID, EventID: p.ID, Event: name, Payload: body},
				&river.InsertOpts{MaxAttempts: MaxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: uniqueStates}})
			if err != nil {
				return fmt.Errorf("webhooks: queue %s for webhook %d: %w", p.ID, h.ID, err)
			}
		}
	}
	return nil
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
		return describeComment(c)
	case key.EntityMember:
		// Members are people: the payload names the record, never the
		// person (no address, no name).
		var name string
		switch {
		case c.Op == key.OpCreate:
			name = content.EventMemberCreated
		case c.Op == key.OpDelete:
			name = content.EventMemberDeleted
		case c.Op == key.OpUpdate && c.State == store.MemberBlocked:
			name = content.EventMemberBlocked
		case c.Op == key.OpUpdate && c.State == store.MemberActive:
			name = content.EventMemberUnblocked
		case c.Op == key.OpUpdate:
			name = content.EventMemberUpdated
		default:
			return "", nil, nil
		}
		return name, map[string]any{"member": MemberData{ID: c.ID}}, nil
	}
	return "", nil, nil
}

// MemberData is a member as payloads describe them: the record's number
// only. A member's address and name never leave the site.
type MemberData struct {
	ID int64 `json:"id"`
}

// CommentData is a comment as payloads describe it: which comment on which
// article, and its moderation status. The text and its author (a member's
// address, a commenter's name, e-mail and link) stay on the site; a
// receiver that wants the text reads the public page.
type CommentData struct {
	ID        int64  `json:"id"`
	ArticleID int64  `json:"article_id,omitempty"`
	Status    string `json:"status,omitempty"`
}

// describeComment names the event of a comment change, from the change
// alone: the comment may be gone by the time the log is read. An import's
// changes to comments carry no state and are not news.
func describeComment(c key.Change) (string, map[string]any, error) {
	var name string
	switch {
	case c.Op == key.OpCreate:
		name = content.EventCommentCreated
	case c.Op == key.OpDelete:
		name = content.EventCommentDeleted
	case c.Op == key.OpUpdate && c.State == store.CommentApproved:
		name = content.EventCommentApproved
	case c.Op == key.OpUpdate && c.State == store.CommentPending:
		name = content.EventCommentHeld
	case c.Op == key.OpUpdate && c.State == store.CommentSpam:
		name = content.EventCommentSpam
	default:
		return "", nil, nil
	}
	data := CommentData{ID: c.ID, ArticleID: c.Parent, Status: c.State}
	return name, map[string]any{"comment": data}, nil
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

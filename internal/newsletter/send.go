package newsletter

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/i18n"
	"folio/internal/mail"
	"folio/internal/store"
	"folio/internal/urls"
)

// DefaultInFlight is Worker.InFlight's default: five times the time one
// message may take (sendTimeout).
const DefaultInFlight = 5 * sendTimeout

// sendTimeout bounds the delivery of one message.
const sendTimeout = time.Minute

// DefaultBackoff and DefaultMaxWaits are Worker.Backoff and MaxWaits by
// default: waits of 5, 10, 20 and 40 seconds inside one job (about a
// minute and a quarter) before River's retry (attempt⁴ seconds) takes over.
const (
	DefaultBackoff  = 5 * time.Second
	DefaultMaxWaits = 4
	maxWait         = 5 * time.Minute
)

// BatchSize is how many recipients one job mails. Small enough that a
// retried batch redoes little, large enough that a 10,000-member send is
// 100 jobs.
const BatchSize = 100

// Enqueuer stores a job durably; *jobs.Queue is one.
type Enqueuer interface {
	Enqueue(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error
}

// Store is what sending reads.
type Store interface {
	store.ArticleStore
	store.SettingsStore
	store.NewsletterStore
}

// BatchJob mails the pending recipients of a send whose member IDs are in
// (After, Upto].
type BatchJob struct {
	SendID int64 `json:"send_id"`
	After  int64 `json:"after"`
	Upto   int64 `json:"upto"`
}

// Kind names the job in the queue.
func (BatchJob) Kind() string { return "newsletter.batch" }

// InsertOpts retries a batch for about a day; each try mails only the
// recipients still pending.
func (BatchJob) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 15} }

// Sender queues sends as batch jobs; it is the editorial service's SendQueue.
type Sender struct {
	Store Store
	Queue Enqueuer
}

// StartSend enqueues the batches of a send, BatchSize recipients each.
func (s *Sender) StartSend(ctx context.Context, sendID int64, _ int) error {
	after := int64(0)
	for {
		rs, err := s.Store.PendingRecipients(ctx, sendID, after, BatchSize)
		if err != nil {
			return fmt.Errorf("newsletter: start send %d: %w", sendID, err)
		}
		if len(rs) == 0 {
			break
		}
		upto := rs[len(rs)-1].MemberID
		if err := s.Queue.Enqueue(ctx, BatchJob{SendID: sendID, After: after, Upto: upto}, nil); err != nil {
			return fmt.Errorf("newsletter: start send %d: %w", sendID, err)
		}
		after = upto
	}
	// An empty list, or one whose batches all ran: one last job closes it.
	if err := s.Queue.Enqueue(ctx, BatchJob{SendID: sendID, After: after, Upto: after}, nil); err != nil {
		return fmt.Errorf("newsletter: start send %d: %w", sendID, err)
	}
	return nil
}

// Resume queues again every send not done, at start-up: a send whose
// jobs were never queued (the process stopped right after it was made),
// were given up on, or were left "running" by a killed process goes on at
// once. A batch that also runs from before is harmless: recipients are
// claimed one by one, so two workers never mail the same one.
func (s *Sender) Resume(ctx context.Context) error {
	ids, err := s.Store.UnfinishedSends(ctx)
	if err != nil {
		return fmt.Errorf("newsletter: resume: %w", err)
	}
	for _, id := range ids {
		if err := s.StartSend(ctx, id, 0); err != nil {
			return err
		}
	}
	return nil
}

// Worker mails one batch.
type Worker struct {
	river.WorkerDefaults[BatchJob]
	Store      Store
	Deliveries *editorial.Delivery
	// Sender delivers each message now (SMTP), not through the mail queue:
	// the batch job is itself the durable record.
	Sender mail.Sender
	Key    []byte // signs unsubscribe links
	// BaseURL overrides the stored base URL when set.
	BaseURL string
	// Interval is the least time between two messages, a provider's rate
	// limit; 0 sends as fast as the server takes them.
	Interval time.Duration
	// Limit, when set, caps the messages a second of every worker sharing
	// it (a provider's account-wide rate). A batch waits for its whole
	// size before it is claimed, so no claim ages while it waits.
	Limit *mail.Limiter
	// Backoff is the first wait after a batch the provider refused for
	// now (rate limited, unavailable); each further one doubles, up to
	// MaxWaits waits in one job before the job's own retry takes over.
	// DefaultBackoff when 0; a provider's Retry-After is waited when longer.
	Backoff  time.Duration
	MaxWaits int // DefaultMaxWaits when 0
	// InFlight is how long a claimed recipient may be another worker's
	// message in progress; DefaultInFlight when 0. It must exceed the
	// per-message send timeout.
	InFlight time.Duration
	// Track turns on first-party open and click tracking (--mail-tracking;
	// off by default).
	Track bool
	Log   *slog.Logger
}

// Timeout bounds one batch: BatchSize messages at SMTP's pace.
func (w *Worker) Timeout(*river.Job[BatchJob]) time.Duration { return 30 * time.Minute }

// Work mails the batch's pending recipients, one at a time. It checks for
// shutdown before each message, never during one: a message handed to the
// server is always recorded.
func (w *Worker) Work(ctx context.Context, j *river.Job[BatchJob]) error {
	b := j.Args
	send, err := w.Store.FindSend(ctx, b.SendID)
	if content.ErrorCode(err) == content.ENOTFOUND {
		return river.JobCancel(err)
	} else if err != nil {
		return err
	}
	if send.Status == store.SendDone {
		return nil
	}
	issue, err := w.issue(ctx, send)
	if err != nil {
		return err
	}
	var retry error
	after := b.After
	for after < b.Upto {
		rs, err := w.Store.PendingRecipients(ctx, b.SendID, after, BatchSize)
		if err != nil {
			return err
		}
		n := 0
		for i, r := range rs {
			if r.MemberID > b.Upto {
				rs = rs[:i]
				break
			}
		}
		if bs, ok := w.Sender.(mail.BatchSender); ok {
			for len(rs) > 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
				chunk := rs[:min(len(rs), max(bs.MaxBatch(), 1))]
				rs = rs[len(chunk):]
				n += len(chunk)
				after = chunk[len(chunk)-1].MemberID
				if err := w.deliverBatch(ctx, bs, issue, chunk); err != nil {
					if ctx.Err() != nil {
						return err
					}
					retry = err
				}
			}
		}
		for _, r := range rs {
			n++
			after = r.MemberID
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := w.deliver(ctx, issue, r); err != nil {
				retry = err
			}
			if w.Interval > 0 {
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(w.Interval):
				}
			}
		}
		if n == 0 {
			break
		}
	}
	if retry != nil {
		return retry
	}
	inFlight := w.InFlight
	if inFlight <= 0 {
		inFlight = DefaultInFlight
	}
	done, n, err := w.Deliveries.Finish(ctx, b.SendID, inFlight)
	if err != nil || done {
		return err
	}
	if n > 0 {
		// Messages in other hands: their batch closes the send, or, if a
		// killed process left them, this job's retry does once they are old.
		return fmt.Errorf("newsletter: send %d: %d messages in flight", b.SendID, n)
	}
	return nil
}

// deliver mails one recipient. It returns an error only for a failure
// worth retrying later (the server refused for now, or could not be
// reached), after putting the recipient back to pending.
func (w *Worker) deliver(ctx context.Context, is *Issue, r *store.Recipient) error {
	// The claim is not cut short by ctx: on a networked database a claim
	// committed just as ctx ended would read as failed, and the recipient
	// would stay claimed with no one sending to it. The caller checks ctx
	// before each recipient.
	ok, err := w.Deliveries.Claim(context.WithoutCancel(ctx), r.SendID, r.MemberID)
	if err != nil || !ok {
		return err
	}
	m, err := is.Message(w.Key, r)
	if err == nil {
		// The message goes out whatever happens to ctx, so that what the
		// server accepted is recorded before the worker stops.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
		err = w.Sender.Send(sctx, m)
		cancel()
	}
	dctx := context.WithoutCancel(ctx)
	if err == nil {
		return w.Deliveries.Done(dctx, r.SendID, r.MemberID, "")
	}
	if temporary(err) {
		if rerr := w.Deliveries.Release(dctx, r.SendID, r.MemberID, err.Error()); rerr != nil {
			return rerr
		}
		return fmt.Errorf("newsletter: send %d to member %d: %w", r.SendID, r.MemberID, err)
	}
	if w.Log != nil {
		// A provider's or server's refusal often quotes the address; the log
		// names the member by id only.
		w.Log.WarnContext(ctx, "newsletter message refused", "send_id", r.SendID, "member_id", r.MemberID,
			"err", emailPattern.ReplaceAllString(err.Error(), "[address]"))
	}
	if derr := w.Deliveries.Done(dctx, r.SendID, r.MemberID, err.Error()); derr != nil {
		return derr
	}
	w.suppressInactive(dctx, r, err)
	return nil
}

// temporary reports a failure after which the message surely was not
// accepted and may be tried again: a 4xx reply, no connection at all, or a
// provider's "not now" (mail.Temporary). Anything else (a connection lost
// mid-message, a provider's server error) may have been delivered, so it
// is recorded as failed rather than risk a second copy.
func temporary(err error) bool { return mail.Temporary(err) }

func (w *Worker) issue(ctx context.Context, send *store.NewsletterSend) (*Issue, error) {
	st, err := w.Store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	if w.BaseURL != "" {
		cp := *st
		cp.BaseURL = strings.TrimRight(w.BaseURL, "/")
		st = &cp
	}
	a, err := w.Store.FindArticleByID(ctx, send.ArticleID)
	if err != nil {
		return nil, err
	}
	nl, err := w.Store.FindNewsletterByID(ctx, send.NewsletterID)
	if err != nil {
		return nil, err
	}
	domain := "localhost"
	if u, err := url.Parse(st.BaseURL); err == nil && u.Hostname() != "" {
		domain = u.Hostname()
	}
	is := &Issue{Newsletter: nl, Article: Attribute(st, a), BaseURL: strings.TrimRight(st.BaseURL, "/"), ListDomain: domain,
		Track: w.Track, SendID: send.ID}
	is.Lang = mailLang(st, nl, a)
	is.Reader = urls.New(st).Reader
	if len(send.ArticleIDs) > 0 {
		arts, _, err := w.Store.FindArticles(ctx, store.ArticleFilter{IDs: send.ArticleIDs, NoBody: true, NoTotal: true})
		if err != nil {
			return nil, err
		}
		// In the digest's own order (newest first), and only those still public.
		byID := map[int64]*content.Article{}
		for _, a := range arts {
			byID[a.ID] = a
		}
		var keep []*content.Article
		for _, id := range send.ArticleIDs {
			if a := byID[id]; a != nil && a.IsPublic(time.Now()) {
				keep = append(keep, a)
			}
		}
		is.Digest, is.Subject = DigestItems(st, keep), send.Subject
		if len(keep) == 0 {
			// Nothing to send will ever come of it: no retries.
			return nil, river.JobCancel(fmt.Errorf("newsletter: digest %d: none of its articles is public any more", send.ID))
		}
	}
	return is, nil
}

// mailLang is the language of a send's own words and unsubscribe page when
// the member's own does not decide (Issue.Message): the newsletter's
// language, else the article's, else for a digest of every language the
// site's default. A language outside the interface languages gets the
// site's default.
func mailLang(st *content.Settings, nl *store.Newsletter, a *content.Article) string {
	for _, l := range []string{nl.Language, a.Language, st.DefaultLanguage} {
		if nl.Schedule != "" && nl.Language == "" && l == a.Language {
			continue // a digest of every language is not in its first article's
		}
		if l != "" && i18n.Supported(l) {
			return l
		}
	}
	return i18n.Reference
}

// emailPattern matches what looks like an email address in an error text.
var emailPattern = regexp.MustCompile(`[^\s<>"'(),;:]+@[^\s<>"'(),;:]+\.[A-Za-z]{2,}`)

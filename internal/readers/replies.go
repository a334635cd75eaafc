package readers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/i18n"
	"folio/internal/mail"
	"folio/internal/newsletter"
	"folio/internal/store"
	"folio/internal/urls"
)

// Mail about replies. When a comment appears on an article (posted by a
// member whose comments need no approval, or approved by a moderator), a
// durable job mails the article's authors and the commenter it answers.
// Each message goes to one address, names the new commenter by name only
// and carries a one-click link (RFC 8058) that stops all such mail to that
// address. A recipient gets at most ReplyLimit messages in its window; a
// comment approved again after a hold mails nobody twice. Imported comments
// and anonymous guests' parents (who left no address) mail nobody.

// ReplyJob mails the notices of one comment.
type ReplyJob struct {
	CommentID int64 `json:"comment_id"`
}

// Kind names the job in the queue.
func (ReplyJob) Kind() string { return "comment.reply_notice" }

// InsertOpts gives a notice the mail queue's tries.
func (ReplyJob) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: mail.MaxAttempts} }

// Notifier turns committed comment changes into ReplyJobs; register its
// Consume with editorial.OnChange on the serving process. Only changes
// that touched an article page (their event names the page's comments
// key) can have made a comment appear; the job checks it still shows.
type Notifier struct {
	Queue mail.Enqueuer
	Log   *slog.Logger
	quiet atomic.Bool
}

// Quietly runs fn without queueing notices: seeding the demo's sample
// comments tells nobody.
func (n *Notifier) Quietly(fn func() error) error {
	n.quiet.Store(true)
	defer n.quiet.Store(false)
	return fn()
}

// Consume queues a ReplyJob for each comment the event may have shown. A
// failure is logged: the comment is stored and stays.
func (n *Notifier) Consume(ev key.Event) {
	if len(ev.Keys) == 0 || n.quiet.Load() {
		return
	}
	for _, c := range ev.Changes {
		if c.Entity != key.EntityComment || (c.Op != key.OpCreate && c.Op != key.OpUpdate) {
			continue
		}
		if err := n.Queue.Enqueue(context.Background(), ReplyJob{CommentID: c.ID}, nil); err != nil && n.Log != nil {
			n.Log.Error("queue reply notices", "comment_id", c.ID, "err", err)
		}
	}
}

// ReplyLimit bounds the notices one address gets: a busy thread must not
// flood an author's inbox. Notices past it are dropped, not delayed.
var ReplyLimit = Limit{Max: 10, Window: time.Hour}

// ReplyStore is what the reply worker reads.
type ReplyStore interface {
	store.ArticleStore
	store.SettingsStore
	store.MemberStore
	store.CommentStore
	store.ReplyNoticeStore
}

// ReplyWorker sends the notices of a ReplyJob through Sender. Each
// recipient is claimed before its message goes out, so a retried job
// mails only those it had not reached.
type ReplyWorker struct {
	river.WorkerDefaults[ReplyJob]
	Store   ReplyStore
	Notices *editorial.ReplyNotices // from the system editor
	Sender  mail.Sender
	Key     []byte        // signs the stop links (readers.key)
	BaseURL func() string // the public base URL for links
	Limit   Limit         // ReplyLimit when zero
	Log     *slog.Logger
	Now     func() time.Time
}

// recipient is one address to tell, in its language.
type recipient struct {
	email, lang string
	author      bool // the article's author (else the parent commenter)
}

// Work mails the notices of one comment.
func (w *ReplyWorker) Work(ctx context.Context, j *river.Job[ReplyJob]) error {
	c, err := w.Store.FindCommentByID(ctx, j.Args.CommentID)
	if content.ErrorCode(err) == content.ENOTFOUND {
		return nil // deleted since
	} else if err != nil {
		return err
	}
	if c.Status != store.CommentApproved || c.SourceID != "" {
		return nil
	}
	now := w.now()
	a, err := w.Store.FindArticleByID(ctx, c.ArticleID)
	if err != nil || !a.IsPublic(now) {
		return nil
	}
	st, err := w.Store.Settings(ctx)
	if err != nil {
		return err
	}
	limit := w.Limit
	if limit == (Limit{}) {
		limit = ReplyLimit
	}
	var errs []error
	for _, r := range w.recipients(ctx, c, a) {
		h := content.EmailHash(r.email)
		if off, err := w.Store.ReplyNoticesOff(ctx, h); err != nil || off {
			errs = append(errs, err)
			continue
		}
		n, err := w.Store.CountReplyNotices(ctx, h, now.Add(-limit.Window))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if n >= limit.Max {
			w.log().InfoContext(ctx, "reply notice dropped: recipient's limit reached", "comment_id", c.ID)
			continue
		}
		ok, err := w.Notices.Claim(ctx, c.ID, r.email)
		if err != nil || !ok {
			errs = append(errs, err)
			continue
		}
		if err := w.Sender.Send(ctx, w.message(st, a, c, r)); err != nil {
			var perr *textproto.Error
			if errors.As(err, &perr) && perr.Code >= 500 {
				w.log().WarnContext(ctx, "reply notice refused", "comment_id", c.ID, "err", err)
				continue // the server will not take it; keep the claim
			}
			if rerr := w.Notices.Release(ctx, c.ID, r.email); rerr != nil {
				err = errors.Join(err, rerr)
			}
			errs = append(errs, fmt.Errorf("readers: reply notice of comment %d: %w", c.ID, err))
		}
	}
	return errors.Join(errs...)
}

// recipients are the parent commenter, then the article's authors, each
// address once, never the new comment's own writer.
func (w *ReplyWorker) recipients(ctx context.Context, c *store.Comment, a *content.Article) []recipient {
	writer := strings.ToLower(c.AuthorEmail)
	if c.MemberID != 0 {
		if m, err := w.Store.FindMemberByID(ctx, c.MemberID); err == nil {
			writer = strings.ToLower(m.Email)
		}
	}
	var out []recipient
	seen := map[string]bool{writer: true, "": true}
	add := func(email, lang string, author bool) {
		email = strings.ToLower(strings.TrimSpace(email))
		if seen[email] {
			return
		}
		seen[email] = true
		out = append(out, recipient{email: email, lang: lang, author: author})
	}
	if c.ParentID != 0 {
		if p, err := w.Store.FindCommentByID(ctx, c.ParentID); err == nil {
			email, lang := p.AuthorEmail, a.Language
			if p.MemberID != 0 {
				email = ""
				if m, err := w.Store.FindMemberByID(ctx, p.MemberID); err == nil && m.Status == store.MemberActive {
					email = m.Email
					if len(m.Languages) > 0 && i18n.Supported(m.Languages[0]) {
						lang = m.Languages[0]
					}
				}
			}
			add(email, lang, false)
		}
	}
	for _, au := range a.Authors {
		if au != nil {
			add(au.Email, a.Language, true)
		}
	}
	return out
}

// message is the notice to r: in r's language, to r alone, naming the new
// commenter by the name shown on the page.
func (w *ReplyWorker) message(st *content.Settings, a *content.Article, c *store.Comment, r recipient) mail.Message {
	base := strings.TrimRight(w.BaseURL(), "/")
	if base == "" {
		base = strings.TrimRight(st.BaseURL, "/")
	}
	loc := i18n.For(r.lang)
	if st.LatinDigits {
		loc = loc.LatinDigits()
	}
	b := urls.New(st)
	link := base + b.Article(a) + "#comment-" + strconv.FormatInt(c.ID, 10)
	stop := base + b.Reader(r.lang, ReplyStopPath) + "?" + url.Values{"e": {content.EmailHash(r.email)},
		"t": {replyStopToken(w.Key, content.EmailHash(r.email))}}.Encode()
	name := c.AuthorName
	if name == "" {
		name = loc.T("members.thread.anonymous")
	}
	subject, body := "members.reply.subject", "members.reply.body"
	if r.author {
		subject, body = "members.reply.subject_author", "members.reply.body_author"
	}
	text := loc.T(body, "name", name, "title", a.Title, "text", strings.TrimSpace(newsletter.Text(c.BodyHTML)), "link", link) +
		"\n-- \n" + loc.T("members.reply.footer", "link", stop) + "\n"
	return mail.Message{
		To:      []string{r.email},
		Subject: loc.T(subject, "title", a.Title),
		Text:    text,
		Headers: map[string]string{
			"List-Unsubscribe":      "<" + stop + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			"Content-Language":      loc.Tag(),
		},
	}
}

func (w *ReplyWorker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *ReplyWorker) log() *slog.Logger {
	if w.Log != nil {
		return w.Log
	}
	return slog.New(slog.DiscardHandler)
}

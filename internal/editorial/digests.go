package editorial

import (
	"context"
	"fmt"
	"strings"
	"time"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/store"
)

// Digests: newsletters with a schedule gather the articles published in
// their period and are sent by the scheduler, not by an editor. The period
// and the send are state in the database (one send per newsletter and
// period end, unique), so a tick that comes twice, a second node, or a
// restart after the hour makes no second digest, and a send made is
// delivered by the same durable batch jobs as any other.

// digestHour is the hour of the day, in the site's time zone, at which a
// digest's period ends and it goes out.
const digestHour = 6

// maxDigestArticles bounds one digest; more in a week is a listing page's job.
const maxDigestArticles = 30

var weekdays = map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}

// ParseSchedule checks a newsletter schedule: "" (no digest) or
// "weekly:DAY" with DAY one of mon … sun, and returns the weekday.
func ParseSchedule(s string) (time.Weekday, bool, error) {
	if s == "" {
		return 0, false, nil
	}
	day, ok := strings.CutPrefix(s, "weekly:")
	wd, known := weekdays[day]
	if !ok || !known {
		return 0, false, fmt.Errorf("%q is not empty or weekly:DAY (mon, tue, wed, thu, fri, sat, sun)", s)
	}
	return wd, true, nil
}

// periodEnd is the latest digest time (day at digestHour in loc) at or
// before now.
func periodEnd(now time.Time, day time.Weekday, loc *time.Location) time.Time {
	n := now.In(loc)
	t := time.Date(n.Year(), n.Month(), n.Day(), digestHour, 0, 0, 0, loc)
	back := (int(n.Weekday()) - int(day) + 7) % 7
	t = t.AddDate(0, 0, -back)
	if t.After(n) {
		t = t.AddDate(0, 0, -7)
	}
	return t.UTC()
}

// SendDigests makes the digest sends that are due at now: for each
// newsletter with a schedule whose latest period has no send yet, the
// public articles published in that period (after the previous digest's
// end, or in the week before; the first period is the first to end after
// the newsletter was made), in the newsletter's language or, for a
// newsletter of every language, in all of them. A period without articles
// sends nothing. Only the system (the scheduler) calls it; it returns the
// sends made, whose delivery it has queued.
func (e *Editor) SendDigests(ctx context.Context, now time.Time) ([]*store.NewsletterSend, error) {
	if e.system == "" {
		return nil, content.Errorf(content.EFORBIDDEN, "only the scheduler sends digests")
	}
	rs, err := e.readersFor("a digest")
	if err != nil {
		return nil, err
	}
	if e.s.sendQueue == nil {
		return nil, content.Errorf(content.EINTERNAL, "newsletter sending is not configured")
	}
	nls, err := rs.FindNewsletters(ctx)
	if err != nil {
		return nil, wrap(err, "digests")
	}
	st, err := e.s.store.Settings(ctx)
	if err != nil {
		return nil, wrap(err, "digests")
	}
	loc, err := time.LoadLocation(st.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	var made []*store.NewsletterSend
	for _, nl := range nls {
		day, on, err := ParseSchedule(nl.Schedule)
		if err != nil || !on {
			continue // a bad schedule was refused when it was stored
		}
		send, err := e.digest(ctx, rs, nl, periodEnd(now, day, loc))
		if err != nil {
			return made, err
		}
		if send != nil {
			made = append(made, send)
		}
	}
	return made, nil
}

func (e *Editor) digest(ctx context.Context, rs ReaderStore, nl *store.Newsletter, end time.Time) (*store.NewsletterSend, error) {
	last, err := rs.LastPeriodEnd(ctx, nl.ID)
	if err != nil {
		return nil, wrap(err, "digest of newsletter %d", nl.ID)
	}
	if !last.Before(end) {
		return nil, nil // this period's digest exists
	}
	if !end.After(nl.CreatedAt) {
		return nil, nil // a new digest starts with the first period that ends after it was made
	}
	start := end.AddDate(0, 0, -7)
	if last.After(start) {
		start = last
	}
	// (start, end]: an article published at a period's end is in that
	// period's digest and not the next one's.
	arts, _, err := e.s.store.FindArticles(ctx, store.ArticleFilter{Public: true, Now: end, PublishedSince: start.Add(time.Nanosecond),
		Language: nl.Language, Reviewed: true, NoBody: true, NoTotal: true, Limit: maxDigestArticles})
	if err != nil {
		return nil, wrap(err, "digest of newsletter %d", nl.ID)
	}
	if len(arts) == 0 {
		return nil, nil
	}
	send := &store.NewsletterSend{NewsletterID: nl.ID, ArticleID: arts[0].ID, PeriodEnd: end, CreatedBy: 0}
	for _, a := range arts {
		send.ArticleIDs = append(send.ArticleIDs, a.ID)
	}
	send.Subject = nl.Name + ": " + arts[0].Title
	if len(arts) > 1 {
		send.Subject += fmt.Sprintf(" and %d more", len(arts)-1)
	}
	if len(send.Subject) > 200 {
		send.Subject = send.Subject[:200]
	}
	if err := rs.CreateSend(ctx, send); err != nil {
		if content.ErrorCode(err) == content.ECONFLICT {
			return nil, nil // another node made it first
		}
		return nil, wrap(err, "digest of newsletter %d", nl.ID)
	}
	e.changed(key.Change{Entity: key.EntitySend, ID: send.ID, Op: key.OpCreate})
	if err := e.s.sendQueue.StartSend(ctx, send.ID, send.Total); err != nil {
		return send, wrap(err, "queue digest %d (it resumes at the next start)", send.ID)
	}
	return send, nil
}

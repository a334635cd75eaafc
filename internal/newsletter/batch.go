package newsletter

import (
	"context"
	"errors"
	"fmt"
	"time"

	"folio/internal/mail"
	"folio/internal/store"
)

// deliverBatch mails rs in one request of an HTTP provider. Each
// recipient is claimed before the request and marked by its own outcome
// after, so the once-only rule of deliver holds for batches too. A
// request the provider refused for now (rate limited, unavailable) put
// every claim back, waits (Backoff, doubling, or the provider's
// Retry-After) and tries again, up to MaxWaits times; then the job's
// retry takes over. A request whose fate is unknown (a server error, an
// unreadable answer) marks its recipients failed rather than risk a
// second copy.
func (w *Worker) deliverBatch(ctx context.Context, bs mail.BatchSender, is *Issue, rs []*store.Recipient) error {
	dctx := context.WithoutCancel(ctx)
	for try := 0; ; try++ {
		if err := w.Limit.Wait(ctx, len(rs)); err != nil {
			return err
		}
		claimed, ms, err := w.claimAll(dctx, is, rs)
		if err != nil || len(claimed) == 0 {
			return err
		}
		sctx, cancel := context.WithTimeout(dctx, sendTimeout)
		outcomes, err := bs.SendBatch(sctx, ms)
		cancel()
		if err != nil && !temporary(err) {
			if w.Log != nil {
				w.Log.WarnContext(ctx, "newsletter batch refused", "send_id", claimed[0].SendID, "messages", len(claimed), "err", err)
			}
			for _, r := range claimed {
				if derr := w.Deliveries.Done(dctx, r.SendID, r.MemberID, err.Error()); derr != nil {
					return derr
				}
			}
			return nil
		}
		if err != nil {
			for _, r := range claimed {
				if rerr := w.Deliveries.Release(dctx, r.SendID, r.MemberID, err.Error()); rerr != nil {
					return rerr
				}
			}
			if try >= w.maxWaits() {
				return fmt.Errorf("newsletter: send %d: batch of %d: %w", claimed[0].SendID, len(claimed), err)
			}
			if w.Log != nil {
				w.Log.InfoContext(ctx, "newsletter batch deferred", "send_id", claimed[0].SendID, "messages", len(claimed), "err", err)
			}
			t := time.NewTimer(w.wait(try, mail.RetryAfter(err)))
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
			rs = claimed
			continue
		}
		var retry error
		for i, r := range claimed {
			switch oerr := outcomes[i]; {
			case oerr == nil:
				err = w.Deliveries.Done(dctx, r.SendID, r.MemberID, "")
			case temporary(oerr):
				err = w.Deliveries.Release(dctx, r.SendID, r.MemberID, oerr.Error())
				retry = fmt.Errorf("newsletter: send %d to member %d: %w", r.SendID, r.MemberID, oerr)
			default:
				err = w.Deliveries.Done(dctx, r.SendID, r.MemberID, oerr.Error())
				w.suppressInactive(dctx, r, oerr)
			}
			if err != nil {
				return err
			}
		}
		return retry
	}
}

// claimAll claims each recipient and composes its message; a recipient
// already claimed elsewhere is left out, one whose message cannot be made
// is marked failed. A claim that fails puts the ones made back.
func (w *Worker) claimAll(ctx context.Context, is *Issue, rs []*store.Recipient) ([]*store.Recipient, []mail.Message, error) {
	var claimed []*store.Recipient
	var ms []mail.Message
	for _, r := range rs {
		ok, err := w.Deliveries.Claim(ctx, r.SendID, r.MemberID)
		if err != nil {
			for _, c := range claimed {
				_ = w.Deliveries.Release(ctx, c.SendID, c.MemberID, "claim of the batch failed")
			}
			return nil, nil, err
		}
		if !ok {
			continue
		}
		m, err := is.Message(w.Key, r)
		if err != nil {
			if derr := w.Deliveries.Done(ctx, r.SendID, r.MemberID, err.Error()); derr != nil {
				return nil, nil, derr
			}
			continue
		}
		claimed, ms = append(claimed, r), append(ms, m)
	}
	return claimed, ms, nil
}

func (w *Worker) maxWaits() int {
	if w.MaxWaits > 0 {
		return w.MaxWaits
	}
	return DefaultMaxWaits
}

// wait is the pause before the try after try: Backoff doubled try times,
// or the provider's Retry-After when longer, at most maxWait.
func (w *Worker) wait(try int, retryAfter time.Duration) time.Duration {
	d := w.Backoff
	if d <= 0 {
		d = DefaultBackoff
	}
	d <<= min(try, 10)
	d = max(d, retryAfter)
	return min(d, maxWait)
}

// suppressInactive suppresses here an address the provider refused as
// inactive. A failure is logged, not returned: the recipient's outcome is
// recorded already, and the provider's bounce webhook reports the address
// as well.
func (w *Worker) suppressInactive(ctx context.Context, r *store.Recipient, err error) {
	var pe *mail.ProviderError
	if !mail.IsInactive(err) || !errors.As(err, &pe) {
		return
	}
	if serr := w.Deliveries.Inactive(ctx, pe.Provider, r.SendID, r.MemberID, r.Email, pe.Message); serr != nil && w.Log != nil {
		w.Log.WarnContext(ctx, "newsletter: suppressing an inactive address", "send_id", r.SendID, "member_id", r.MemberID, "err", serr)
	}
}

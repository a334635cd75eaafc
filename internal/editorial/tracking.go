package editorial

import (
	"context"

	"folio/internal/cache/key"
)

// Track records a recipient's first open or click of a send (first-party
// tracking, when the operator turned it on). Only the first of each kind
// changes anything; it is on no page, so its event carries no keys.
func (d *Delivery) Track(ctx context.Context, sendID, memberID int64, kind string) (bool, error) {
	rs, err := d.s.readers()
	if err != nil {
		return false, err
	}
	first, err := rs.MarkTracked(ctx, sendID, memberID, kind, d.s.now().UTC())
	if err != nil {
		return false, wrap(err, "track %s", kind)
	}
	if first {
		d.s.readerChanged(key.Change{Entity: key.EntitySend, ID: sendID, Op: key.OpUpdate})
	}
	return first, nil
}

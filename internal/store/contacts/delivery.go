package contacts

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/store"
)

// Channel statuses a messaging channel reports about a reply it accepted
// (WhatsApp's status webhooks use exactly these words).
const (
	ChannelSent      = "sent"
	ChannelDelivered = "delivered"
	ChannelRead      = "read"
	ChannelFailed    = "failed"
)

// statusFrom says, for each status the channel can report, which recorded
// channel statuses it may replace. Reports arrive out of order and more than
// once, so a reply only ever moves forward: sent → delivered → read, and
// failed only before the customer's phone confirmed delivery. A status not
// listed here changes nothing.
var statusFrom = map[string][]string{
	ChannelSent:      {""},
	ChannelDelivered: {"", ChannelSent},
	ChannelRead:      {"", ChannelSent, ChannelDelivered},
	ChannelFailed:    {"", ChannelSent},
}

// RecordDeliveryStatus applies one channel status report to the reply it
// concerns, found by the idempotency key the desk sent with the message
// ("<contact_id>/<reply_key>", echoed back by the channel) or by the
// channel's message id (delivery_ref) — which also reaches every reply that
// went out batched in the same message. "sent" fills in a missing message
// id, "delivered" and "read" mark the reply delivered, "failed" marks it
// failed and adds a delivery_failed ticket event carrying the channel's
// error code. It reports whether anything changed: repeated, stale or
// unknown reports, and reports for replies the desk does not hold, change
// nothing and are not errors.
func (s *Store) RecordDeliveryStatus(ctx context.Context, key, messageID, status string, code int, at time.Time) (bool, error) {
	from, ok := statusFrom[status]
	if !ok {
		return false, nil
	}
	contactID, replyKey, _ := strings.Cut(key, "/")
	if at.IsZero() {
		at = time.Now()
	}
	changed := false
	err := store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		// The WHERE is re-checked on the locked row, so concurrent reports
		// for one reply apply at most once.
		rows, err := tx.Query(ctx, `
			UPDATE replies SET channel_status = $4, channel_status_at = $5,
				delivery_state = CASE $4 WHEN 'failed' THEN 'failed' WHEN 'sent' THEN delivery_state ELSE 'delivered' END,
				delivery_ref = CASE WHEN delivery_ref = '' THEN $3 ELSE delivery_ref END
			WHERE ((contact_id = $1 AND reply_key = $2) OR ($3 <> '' AND delivery_ref = $3))
				AND channel_status = ANY($6)
			RETURNING contact_id, reply_key`,
			contactID, replyKey, messageID, status, at, from)
		if err != nil {
			return err
		}
		type ref struct{ contactID, key string }
		updated, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ref, error) {
			var x ref
			err := r.Scan(&x.contactID, &x.key)
			return x, err
		})
		if err != nil {
			return err
		}
		changed = len(updated) > 0
		if status != ChannelFailed {
			return nil
		}
		for _, u := range updated {
			// The code only: the channel's error text may quote the message.
			if err := store.TicketEvent(ctx, tx, u.contactID, "delivery_failed",
				map[string]any{"reply": u.key, "code": code, "reason": "channel_reported"}); err != nil {
				return err
			}
		}
		return nil
	})
	return changed, err
}

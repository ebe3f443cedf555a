package contacts

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/handoffs"
)

// Turn is everything one customer message produces, recorded together: the
// (masked) message and its reading, the ticket and KPI facts, the privacy
// notice if the customer has not seen it, the bot's replies and a handoff.
type Turn struct {
	Intake  Intake
	Notice  contact.Reply  // sent first if the customer has not had it yet
	Replies []ReplyRecord  // MaskedText set by the caller
	Handoff *HandoffRecord // nil: no handoff this turn
	Status  string         // ticket status after the turn ("" = as decided by the replies)
	At      time.Time
	// NoticeDeliveredBy: see ReplyRecord.DeliveredBy.
	NoticeDeliveredBy string
}

// HandoffRecord opens a handoff within a turn. Deadline is computed by the
// caller from the SLA policy for the handoff's priority; RecordTurn opens it
// in the turn's transaction with handoffs.OpenTx.
type HandoffRecord struct {
	Handoff    contact.Handoff
	Language   string
	Deadline   func(priority string) time.Time
	AfterHours bool
}

// TurnOutcome says what was recorded and what still has to be sent.
type TurnOutcome struct {
	VIP             bool
	HandoffPriority string
	// Unsent lists the replies recorded but not yet delivered, notice first.
	Unsent []contact.Reply
}

// RecordTurn records a turn in one transaction; replaying it (a retried
// activity) changes nothing and returns the replies still owed.
func (s *Store) RecordTurn(ctx context.Context, t Turn) (TurnOutcome, error) {
	var out TurnOutcome
	err := store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		out = TurnOutcome{}
		in, err := intakeTx(ctx, tx, t.Intake)
		if err != nil {
			return err
		}
		out.VIP = in.VIP
		replies := t.Replies
		if in.NoticeNeeded && t.Notice.Text != "" {
			replies = append([]ReplyRecord{{Params: t.Intake.Params, Reply: t.Notice, MaskedText: t.Notice.Text, At: t.At, DeliveredBy: t.NoticeDeliveredBy}}, replies...)
		}
		// Every reply in one round trip, in order; what is not delivered
		// yet is for the activity to send.
		delivered := make([]bool, len(replies))
		b := &pgx.Batch{}
		for i, rr := range replies {
			queueReply(b, rr, func(d bool) { delivered[i] = d })
		}
		if b.Len() > 0 {
			if err := tx.SendBatch(ctx, b).Close(); err != nil {
				return err
			}
		}
		for i, rr := range replies {
			if !delivered[i] {
				out.Unsent = append(out.Unsent, rr.Reply)
			}
		}
		if h := t.Handoff; h != nil {
			ho := h.Handoff
			out.HandoffPriority = ho.Priority
			if err := handoffs.OpenTx(ctx, tx, t.Intake.Params, ho, h.Language, h.Deadline(ho.Priority), h.AfterHours); err != nil {
				return err
			}
		}
		if t.Status != "" {
			if _, err := tx.Exec(ctx, `UPDATE tickets SET status = $2, updated_at = now() WHERE contact_id = $1 AND status NOT IN ('resolved','in_progress')`, t.Intake.Params.ContactID, t.Status); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

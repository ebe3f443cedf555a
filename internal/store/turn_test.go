package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/handoffs"
)

// A turn's handoff is recorded by the opener the caller passes (the handoffs
// store's OpenTx), inside the turn's transaction; a turn whose HandoffRecord
// has no opener records nothing at all.
func TestRecordTurnOpensHandoffThroughOpener(t *testing.T) {
	st := pgtest.New(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	turn := func(id string, open store.HandoffOpener) store.Turn {
		p := contact.Params{ContactID: id, Channel: contact.ChannelWeb, ConversationID: "k-" + id, CustomerID: "c-" + id, Arm: "ai"}
		h := contact.Handoff{ID: contact.HandoffID(id, 1), State: contact.HandoffOpen, Priority: "P3", Reason: "requested", OpenedAt: now}
		return store.Turn{
			Intake: store.Intake{Params: p, MessageID: "m1", Kind: "text", ReceivedAt: now,
				Reading: contact.Reading{Language: "en", Intent: "human_agent", Priority: "P3", MaskedText: "a person please"}, TicketKind: "inquiry"},
			Handoff: &store.HandoffRecord{Handoff: h, Language: "en", Deadline: func(string) time.Time { return now.Add(time.Hour) }, Open: open},
			At:      now,
		}
	}

	var inTx bool
	spy := func(ctx context.Context, tx pgx.Tx, p contact.Params, h contact.Handoff, language string, deadline time.Time, afterHours bool) error {
		// The turn's message is visible: the opener runs in its transaction.
		var n int
		inTx = tx.QueryRow(ctx, `SELECT count(*) FROM messages WHERE contact_id = $1`, p.ContactID).Scan(&n) == nil && n == 1
		return handoffs.OpenTx(ctx, tx, p, h, language, deadline, afterHours)
	}
	out, err := st.RecordTurn(ctx, turn("ct_turn_ho", spy))
	if err != nil || out.HandoffPriority != "P3" {
		t.Fatalf("turn with a handoff: %+v %v", out, err)
	}
	if !inTx {
		t.Error("the opener did not run inside the turn's transaction")
	}
	v, err := handoffs.New(st.Pool).Handoff(ctx, contact.HandoffID("ct_turn_ho", 1))
	if err != nil || v.State != contact.HandoffOpen || !v.SLADeadline.Equal(now.Add(time.Hour)) {
		t.Fatalf("handoff after the turn: %+v %v", v, err)
	}
	c, err := st.Contact(ctx, "ct_turn_ho")
	if err != nil || c.State != "waiting_agent" || c.Ticket == nil || c.Ticket.Status != "pending_agent" || c.Handoff == nil || c.Handoff.ID != v.ID {
		t.Fatalf("contact after the turn: %+v %v", c, err)
	}

	if _, err := st.RecordTurn(ctx, turn("ct_turn_noopen", nil)); err == nil {
		t.Fatal("turn with a handoff and no opener: want an error")
	}
	if _, err := st.Contact(ctx, "ct_turn_noopen"); err != store.ErrNotFound {
		t.Errorf("turn without an opener left its contact behind: %v", err)
	}
}

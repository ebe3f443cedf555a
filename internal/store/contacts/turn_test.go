package contacts_test

import (
	"context"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
	"github.com/harbordesk/harbordesk/internal/store/handoffs"
)

// A turn that decides a handoff opens it (handoffs.OpenTx) in the turn's
// own transaction: the handoff, the ticket in the agents' queue and the
// contact waiting for an agent commit with the message and the replies,
// and a turn whose handoff cannot be recorded records nothing at all.
// Replaying a turn records nothing twice.
func TestRecordTurnOpensItsHandoff(t *testing.T) {
	ctx := context.Background()
	x := tx(t)
	st := contacts.New(x)
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	turn := func(id, reason string) contacts.Turn {
		p := contact.Params{ContactID: id, Channel: contact.ChannelWeb, ConversationID: "k-" + id, CustomerID: "c-" + id, Arm: "ai"}
		h := contact.Handoff{ID: contact.HandoffID(id, 1), State: contact.HandoffOpen, Priority: "P3", Reason: reason, OpenedAt: now}
		return contacts.Turn{
			Intake: contacts.Intake{Params: p, MessageID: "m1", Kind: "text", ReceivedAt: now,
				Reading: contact.Reading{Language: "en", Intent: "human_agent", Priority: "P3", MaskedText: "a person please"}, TicketKind: "inquiry"},
			Notice: contact.Reply{Key: "notice", Author: contact.AuthorBot, Kind: contact.KindNotice, Text: "privacy notice"},
			Replies: []contacts.ReplyRecord{{Params: p, MaskedText: "connecting you", At: now,
				Reply: contact.Reply{Key: "r1", Author: contact.AuthorBot, Kind: contact.KindHandoff, Text: "connecting you"}}},
			Handoff: &contacts.HandoffRecord{Handoff: h, Language: "en", Deadline: func(string) time.Time { return now.Add(time.Hour) }},
			At:      now,
		}
	}

	out, err := st.RecordTurn(ctx, turn("ct_turn_ho", "requested"))
	if err != nil || out.HandoffPriority != "P3" || len(out.Unsent) != 2 || out.Unsent[0].Key != "notice" || out.Unsent[1].Key != "r1" {
		t.Fatalf("turn with a handoff: %+v %v", out, err)
	}
	v, err := handoffs.New(x).Handoff(ctx, contact.HandoffID("ct_turn_ho", 1))
	if err != nil || v.State != contact.HandoffOpen || !v.SLADeadline.Equal(now.Add(time.Hour)) {
		t.Fatalf("handoff after the turn: %+v %v", v, err)
	}
	c, err := st.Contact(ctx, "ct_turn_ho")
	if err != nil || c.State != "waiting_agent" || c.Ticket == nil || c.Ticket.Status != "pending_agent" || c.Handoff == nil || c.Handoff.ID != v.ID ||
		len(c.Transcript) != 1 || len(c.Replies) != 2 {
		t.Fatalf("contact after the turn: %+v %v", c, err)
	}
	// The replay (the worker died after the commit, before the send) still
	// owes what was never delivered, notice first; once both are delivered
	// a replay owes nothing.
	if again, err := st.RecordTurn(ctx, turn("ct_turn_ho", "requested")); err != nil || len(again.Unsent) != 2 ||
		again.Unsent[0].Key != "notice" || again.Unsent[1].Key != "r1" {
		t.Fatalf("replayed turn: %+v %v", again, err)
	}
	for _, k := range []string{"notice", "r1"} {
		if err := st.MarkDelivered(ctx, "ct_turn_ho", k, "wamid.1"); err != nil {
			t.Fatal(err)
		}
	}
	if again, err := st.RecordTurn(ctx, turn("ct_turn_ho", "requested")); err != nil || len(again.Unsent) != 0 {
		t.Fatalf("replay after delivery: %+v %v", again, err)
	}
	if c2, err := st.Contact(ctx, "ct_turn_ho"); err != nil || len(c2.Transcript) != 1 || len(c2.Replies) != 2 {
		t.Fatalf("contact after the replay: %+v %v", c2, err)
	}

	// PostgreSQL refuses a NUL byte in text: the handoff's insert fails, and
	// with it the whole turn.
	if _, err := st.RecordTurn(ctx, turn("ct_turn_bad", "bad\x00reason")); err == nil {
		t.Fatal("turn whose handoff fails: want an error")
	}
	if _, err := st.Contact(ctx, "ct_turn_bad"); err != store.ErrNotFound {
		t.Errorf("a failed turn left its contact behind: %v", err)
	}
}

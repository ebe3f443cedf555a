package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/workspace"
)

// The contact view is read in one statement; every part of it (transcript
// with a correction, replies, ticket, the latest handoff, notes) comes back
// as the separate reads returned it, times in the same zone as the columns
// pgx scans.
func TestContactViewHasEveryPart(t *testing.T) {
	st := pgtest.New(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 20, 15, 4, 5, 123456000, time.UTC)
	s := seed(t, st, "cust-view", "8100", at, true)
	if _, err := st.RecordCorrection(ctx, store.CorrectionRecord{ContactID: s.contactID, MessageID: "m1",
		Intent: "complaint", Negative: true, By: store.Actor{Identity: "agent-2", Role: "agent"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := workspace.New(st.Pool).AddNote(ctx, contact.HandoffID(s.contactID, 1), "agent-1", "note one"); err != nil {
		t.Fatal(err)
	}

	v, err := st.Contact(ctx, s.contactID)
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != s.contactID || v.CustomerID != "cust-view" || v.Channel != "web" || v.Language != "yue" || !v.Negative {
		t.Fatalf("contact fields = %+v", v)
	}
	if len(v.Transcript) != 1 {
		t.Fatalf("transcript = %+v", v.Transcript)
	}
	m := v.Transcript[0]
	if m.MessageID != "m1" || m.Text != s.message || m.Intent != "order_status" || m.Negative == nil || !*m.Negative ||
		!m.At.Equal(at) || m.Correction == nil || m.Correction.Intent != "complaint" || m.Correction.Agent != "agent-2" {
		t.Fatalf("message = %+v (correction %+v)", m, m.Correction)
	}
	if len(v.Replies) != 1 || v.Replies[0].Text != s.reply || v.Replies[0].Author != "bot" || !v.Replies[0].At.Equal(at.Add(time.Second)) {
		t.Fatalf("replies = %+v", v.Replies)
	}
	if v.Answers() != len(v.Replies) {
		t.Fatalf("Answers() = %d for %d replies, none a notice", v.Answers(), len(v.Replies))
	}
	if v.Ticket == nil || v.Ticket.ID != contact.TicketID(s.contactID) || v.Ticket.Summary != s.summary ||
		v.Ticket.Status != "resolved" || v.Ticket.ResolvedAt == nil {
		t.Fatalf("ticket = %+v", v.Ticket)
	}
	if v.Handoff == nil || v.Handoff.ID != contact.HandoffID(s.contactID, 1) || v.Handoff.Agent != "agent-1" || v.Handoff.State != "resolved" {
		t.Fatalf("handoff = %+v", v.Handoff)
	}
	if len(v.Notes) != 1 || v.Notes[0].Text != "note one" || v.Notes[0].Author != "agent-1" {
		t.Fatalf("notes = %+v", v.Notes)
	}
	// Times decoded from JSON are shown in the zone of those pgx scans.
	for _, tt := range []time.Time{m.At, m.Correction.At, v.Replies[0].At, v.Notes[0].At, v.Ticket.CreatedAt, *v.Ticket.ResolvedAt} {
		if tt.Location() != v.ReceivedAt.Location() {
			t.Fatalf("time %v in %v, contact's received_at in %v", tt, tt.Location(), v.ReceivedAt.Location())
		}
	}
	b, _ := json.Marshal(v)
	if !strings.Contains(string(b), `"transcript":[{`) || !strings.Contains(string(b), `"notes":[{`) {
		t.Fatalf("json = %s", b)
	}
}

// A contact without messages, ticket, handoff or notes shows empty lists,
// not null, and no ticket or handoff; an unknown ID is ErrNotFound.
func TestContactViewEmptyAndMissing(t *testing.T) {
	st := pgtest.New(t)
	ctx := context.Background()
	wf := contact.WorkflowID("web", "conv-empty")
	id := contact.ID(wf)
	if _, _, err := st.EnsureContact(ctx, store.NewContact{ID: id, WorkflowID: wf, Channel: "web", ConversationID: "conv-empty",
		CustomerID: "cust-empty", Arm: "ai", ReceivedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	v, err := st.Contact(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if v.Transcript == nil || v.Replies == nil || v.Notes == nil || len(v.Transcript)+len(v.Replies)+len(v.Notes) != 0 ||
		v.Ticket != nil || v.Handoff != nil || v.Answers() != 0 {
		t.Fatalf("empty contact view = %+v", v)
	}
	b, _ := json.Marshal(v)
	if !strings.Contains(string(b), `"transcript":[]`) || !strings.Contains(string(b), `"ticket":null`) {
		t.Fatalf("json = %s", b)
	}
	if _, err := st.Contact(ctx, "no-such-contact"); err != store.ErrNotFound {
		t.Fatalf("missing contact: err = %v, want ErrNotFound", err)
	}
}

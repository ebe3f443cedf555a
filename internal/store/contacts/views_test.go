package contacts_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
	"github.com/harbordesk/harbordesk/internal/store/workspace"
)

// The contact view is read in one statement; every part of it (transcript
// with a correction, replies, ticket, the latest handoff, notes) comes back
// as the separate reads returned it, times in the same zone as the columns
// pgx scans.
func TestContactViewHasEveryPart(t *testing.T) {
	ctx := context.Background()
	x := tx(t)
	st := contacts.New(x)
	at := time.Date(2026, 11, 20, 15, 4, 5, 123456000, time.UTC)
	s := seed(t, x, "cust-view", "8100", at, true)
	if _, err := st.RecordCorrection(ctx, contacts.CorrectionRecord{ContactID: s.ContactID, MessageID: "m1",
		Intent: "complaint", Negative: true, By: store.Actor{Identity: "agent-2", Role: "agent"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := workspace.New(x).AddNote(ctx, contact.HandoffID(s.ContactID, 1), "agent-1", "note one"); err != nil {
		t.Fatal(err)
	}

	v, err := st.Contact(ctx, s.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != s.ContactID || v.CustomerID != "cust-view" || v.Channel != "web" || v.Language != "yue" || !v.Negative {
		t.Fatalf("contact fields = %+v", v)
	}
	if len(v.Transcript) != 1 {
		t.Fatalf("transcript = %+v", v.Transcript)
	}
	m := v.Transcript[0]
	if m.MessageID != "m1" || m.Text != s.Message || m.Intent != "order_status" || m.Negative == nil || !*m.Negative ||
		!m.At.Equal(at) || m.Correction == nil || m.Correction.Intent != "complaint" || m.Correction.Agent != "agent-2" {
		t.Fatalf("message = %+v (correction %+v)", m, m.Correction)
	}
	if len(v.Replies) != 1 || v.Replies[0].Text != s.Reply || v.Replies[0].Author != "bot" || !v.Replies[0].At.Equal(at.Add(time.Second)) {
		t.Fatalf("replies = %+v", v.Replies)
	}
	if v.Answers() != len(v.Replies) {
		t.Fatalf("Answers() = %d for %d replies, none a notice", v.Answers(), len(v.Replies))
	}
	if v.Ticket == nil || v.Ticket.ID != contact.TicketID(s.ContactID) || v.Ticket.Summary != s.Summary ||
		v.Ticket.Status != "resolved" || v.Ticket.ResolvedAt == nil {
		t.Fatalf("ticket = %+v", v.Ticket)
	}
	if v.Handoff == nil || v.Handoff.ID != contact.HandoffID(s.ContactID, 1) || v.Handoff.Agent != "agent-1" || v.Handoff.State != "resolved" {
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
	ctx := context.Background()
	st := contacts.New(tx(t))
	wf := contact.WorkflowID("web", "conv-empty")
	id := contact.ID(wf)
	if _, _, err := st.EnsureContact(ctx, contacts.NewContact{ID: id, WorkflowID: wf, Channel: "web", ConversationID: "conv-empty",
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

// Tickets lists newest first (by creation, then ID), filtered, a page at a
// time with an opaque cursor; Ticket reads one; a cursor the server did not
// issue is store.ErrBadCursor.
func TestTicketsPageByCursor(t *testing.T) {
	ctx := context.Background()
	x := tx(t)
	st := contacts.New(x)
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for i, prio := range []string{"P2", "P3", "P2", "P2"} {
		id := fmt.Sprintf("ct_list%d", i)
		p := contact.Params{ContactID: id, Channel: "web", ConversationID: "k-" + id, CustomerID: "cust-list", Arm: "ai"}
		if _, err := st.RecordIntake(ctx, contacts.Intake{Params: p, MessageID: "m1", Kind: "text", ReceivedAt: at,
			Reading: contact.Reading{Language: "en", Intent: "order_status", Priority: prio}, TicketKind: "tracking", NoticeVer: "v1"}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	cursor := ""
	for page := 0; ; page++ {
		items, next, err := st.Tickets(ctx, contacts.TicketFilter{Priority: "P2", CustomerID: "cust-list", Limit: 2, Cursor: cursor})
		if err != nil || page > 2 {
			t.Fatalf("page %d: %v", page, err)
		}
		for _, tk := range items {
			got = append(got, tk.ContactID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	// One transaction: every ticket has the same created_at, so the ID orders.
	if want := []string{"ct_list3", "ct_list2", "ct_list0"}; !slices.Equal(got, want) {
		t.Fatalf("P2 tickets = %v, want %v", got, want)
	}
	if none, _, err := st.Tickets(ctx, contacts.TicketFilter{CustomerID: "nobody"}); err != nil || none == nil || len(none) != 0 {
		t.Fatalf("no tickets: %#v %v, want an empty list", none, err)
	}
	if _, _, err := st.Tickets(ctx, contacts.TicketFilter{Cursor: "bm9wZQ"}); err != store.ErrBadCursor {
		t.Fatalf("bad cursor: %v, want store.ErrBadCursor", err)
	}
	tk, err := st.Ticket(ctx, contact.TicketID("ct_list1"))
	if err != nil || tk.ContactID != "ct_list1" || tk.Priority != "P3" || tk.Status != "open" || tk.CustomerID != "cust-list" {
		t.Fatalf("ticket: %+v %v", tk, err)
	}
	if _, err := st.Ticket(ctx, "tk_none"); err != store.ErrNotFound {
		t.Fatalf("missing ticket: %v, want store.ErrNotFound", err)
	}
}

// A contact the bot answered and nobody reopened is closed once (ticket
// and contact resolved, one "resolved" fact by the bot); a contact with an
// agent is not.
func TestCloseIdle(t *testing.T) {
	ctx := context.Background()
	x := tx(t)
	st := contacts.New(x)
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	p := contact.Params{ContactID: "ct_idle", Channel: "web", ConversationID: "k-idle", CustomerID: "cust-idle", Arm: "ai"}
	if _, err := st.RecordIntake(ctx, contacts.Intake{Params: p, MessageID: "m1", Kind: "text", ReceivedAt: at,
		Reading: contact.Reading{Language: "en", Intent: "order_status", Priority: "P3"}, TicketKind: "tracking", NoticeVer: "v1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RecordReply(ctx, contacts.ReplyRecord{Params: p, At: at.Add(time.Second), MaskedText: "on its way",
		Reply: contact.Reply{Key: "r1", Author: contact.AuthorBot, Kind: contact.KindAnswer}}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := st.CloseIdle(ctx, p, at.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	v, err := st.Contact(ctx, p.ContactID)
	if err != nil || v.State != "resolved" || v.ResolvedAt == nil || v.Ticket == nil || v.Ticket.Status != "resolved" || v.Ticket.Resolution != "bot_answered" {
		t.Fatalf("after CloseIdle: %+v %v", v, err)
	}
	var facts int
	if err := x.QueryRow(ctx, `SELECT count(*) FROM kpi_events WHERE contact_id = $1 AND kind = 'resolved' AND bot`, p.ContactID).Scan(&facts); err != nil || facts != 1 {
		t.Fatalf("resolved facts = %d (%v), want 1", facts, err)
	}

	s := seed(t, x, "cust-idle2", "8200", at, false) // claimed by an agent
	if err := st.CloseIdle(ctx, contact.Params{ContactID: s.ContactID}, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if v, _ := st.Contact(ctx, s.ContactID); v.State == "resolved" || v.Ticket.Status == "resolved" {
		t.Fatalf("CloseIdle closed a contact with an agent: %+v", v)
	}
}

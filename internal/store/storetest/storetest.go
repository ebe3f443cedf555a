// Package storetest records test fixtures through the per-aggregate stores,
// the way the contact workflow records them, so every store's tests start
// from the same rows and none writes a contact's tables by hand.
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
	"github.com/harbordesk/harbordesk/internal/store/db"
	"github.com/harbordesk/harbordesk/internal/store/handoffs"
)

// Contact is one customer's web contact as SeedContact recorded it, with
// the (masked) texts a test looks for in exports, views and erasures.
type Contact struct {
	Customer, Conversation, ContactID, Message, Reply, AgentText, Summary string
}

// SeedContact records, on d (a pool or a test's transaction), a customer's
// web contact at at: the contact, a message with its reading, the ticket, a
// bot answer, and a handoff escalated once and claimed by agent-1 — with
// resolve, resolved by agent-1. tag makes the texts and IDs unique.
func SeedContact(t testing.TB, d db.TxDB, customer, tag string, at time.Time, resolve bool) Contact {
	t.Helper()
	ctx := context.Background()
	st := contacts.New(d)
	s := Contact{Customer: customer, Conversation: "conv-" + tag,
		Message: "我張單 HK" + tag + " 幾時到？ [PHONE] msg-" + tag, Reply: "reply-" + tag + " 已幫你查緊",
		AgentText: "agent-note-" + tag, Summary: "summary-" + tag}
	wf := contact.WorkflowID("web", s.Conversation)
	s.ContactID = contact.ID(wf)
	p := contact.Params{ContactID: s.ContactID, Channel: "web", ConversationID: s.Conversation, CustomerID: customer, Arm: "ai"}
	if _, _, err := st.EnsureContact(ctx, contacts.NewContact{ID: s.ContactID, WorkflowID: wf, Channel: "web",
		ConversationID: s.Conversation, CustomerID: customer, Arm: "ai", ReceivedAt: at}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RecordIntake(ctx, contacts.Intake{Params: p, MessageID: "m1", Kind: "text", ReceivedAt: at,
		Reading:    contact.Reading{Language: "yue", Script: "Hant", Intent: "order_status", Priority: "P2", Negative: true, MaskedText: s.Message},
		TicketKind: "tracking", Summary: s.Summary, NoticeVer: "v1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RecordReply(ctx, contacts.ReplyRecord{Params: p, Reply: contact.Reply{Key: "r1", Author: "bot", Kind: "answer"},
		MaskedText: s.Reply, At: at.Add(time.Second)}); err != nil {
		t.Fatal(err)
	}
	ho := handoffs.New(d)
	h := contact.Handoff{ID: contact.HandoffID(s.ContactID, 1), State: "open", Priority: "P2", Reason: "negative", OpenedAt: at}
	if err := ho.OpenHandoff(ctx, p, h, "yue", at.Add(30*time.Minute), false); err != nil {
		t.Fatal(err)
	}
	if _, err := ho.RecordEscalation(ctx, handoffs.Escalation{ID: contact.EscalationID(h.ID, 1), ContactID: s.ContactID,
		HandoffID: h.ID, Reason: "sla_breached", Level: 1, Deadline: at.Add(30 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if err := ho.RecordClaim(ctx, s.ContactID, h.ID, "agent-1", at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if resolve {
		if err := ho.RecordResolve(ctx, handoffs.Resolution{Params: p, HandoffID: h.ID, Agent: "agent-1",
			Text: s.AgentText, Code: "answered", At: at.Add(2 * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

package contacts_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
	"github.com/harbordesk/harbordesk/internal/store/handoffs"
)

// testDB is one migrated database for the package; each test runs in its own
// transaction on it and rolls back, so tests share no rows.
var testDB pgtest.Package

func TestMain(m *testing.M) { testDB.Run(m) }

// tx returns a transaction on the package database, rolled back at the end.
func tx(t testing.TB) pgx.Tx { return testDB.Tx(t) }

// seeded is one customer's contact as the workflow would have recorded it.
type seeded struct {
	customer, conversation, contactID, message, reply, agentText, summary string
}

// seed records, in x, a customer's web contact as the contact workflow
// does: the contact, a message with its reading, the ticket, a bot answer
// and a handoff escalated once, claimed by agent-1 and (with resolve)
// resolved.
func seed(t testing.TB, x pgx.Tx, customer, tag string, at time.Time, resolve bool) seeded {
	t.Helper()
	ctx := context.Background()
	st := contacts.New(x)
	s := seeded{customer: customer, conversation: "conv-" + tag,
		message: "我張單 HK" + tag + " 幾時到？ [PHONE] msg-" + tag, reply: "reply-" + tag + " 已幫你查緊",
		agentText: "agent-note-" + tag, summary: "summary-" + tag}
	wf := contact.WorkflowID("web", s.conversation)
	s.contactID = contact.ID(wf)
	p := contact.Params{ContactID: s.contactID, Channel: "web", ConversationID: s.conversation, CustomerID: customer, Arm: "ai"}
	if _, _, err := st.EnsureContact(ctx, contacts.NewContact{ID: s.contactID, WorkflowID: wf, Channel: "web",
		ConversationID: s.conversation, CustomerID: customer, Arm: "ai", ReceivedAt: at}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RecordIntake(ctx, contacts.Intake{Params: p, MessageID: "m1", Kind: "text", ReceivedAt: at,
		Reading:    contact.Reading{Language: "yue", Script: "Hant", Intent: "order_status", Priority: "P2", Negative: true, MaskedText: s.message},
		TicketKind: "tracking", Summary: s.summary, NoticeVer: "v1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RecordReply(ctx, contacts.ReplyRecord{Params: p, Reply: contact.Reply{Key: "r1", Author: "bot", Kind: "answer"},
		MaskedText: s.reply, At: at.Add(time.Second)}); err != nil {
		t.Fatal(err)
	}
	ho := handoffs.New(x)
	h := contact.Handoff{ID: contact.HandoffID(s.contactID, 1), State: "open", Priority: "P2", Reason: "negative", OpenedAt: at}
	if err := ho.OpenHandoff(ctx, p, h, "yue", at.Add(30*time.Minute), false); err != nil {
		t.Fatal(err)
	}
	if _, err := ho.RecordEscalation(ctx, handoffs.Escalation{ID: contact.EscalationID(h.ID, 1), ContactID: s.contactID,
		HandoffID: h.ID, Reason: "sla_breached", Level: 1, Deadline: at.Add(30 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if err := ho.RecordClaim(ctx, s.contactID, h.ID, "agent-1", at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if resolve {
		if err := ho.RecordResolve(ctx, handoffs.Resolution{Params: p, HandoffID: h.ID, Agent: "agent-1",
			Text: s.agentText, Code: "answered", At: at.Add(2 * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

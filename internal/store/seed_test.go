package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/codec"
	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
	"github.com/harbordesk/harbordesk/internal/store/handoffs"
)

// seeded is one customer's contact as the workflow would have recorded it
// (for the retention test of notes and attachments).
type seeded struct {
	customer, conversation, contactID, message, reply, agentText, summary string
}

func seed(t testing.TB, st *store.Store, customer, tag string, at time.Time, resolve bool) seeded {
	t.Helper()
	ctx := context.Background()
	s := seeded{customer: customer, conversation: "conv-" + tag,
		message: "我張單 HK" + tag + " 幾時到？ [PHONE] msg-" + tag, reply: "reply-" + tag + " 已幫你查緊",
		agentText: "agent-note-" + tag, summary: "summary-" + tag}
	wf := contact.WorkflowID("web", s.conversation)
	s.contactID = contact.ID(wf)
	p := contact.Params{ContactID: s.contactID, Channel: "web", ConversationID: s.conversation, CustomerID: customer, Arm: "ai"}
	if _, _, err := contacts.New(st.Pool).EnsureContact(ctx, contacts.NewContact{ID: s.contactID, WorkflowID: wf, Channel: "web",
		ConversationID: s.conversation, CustomerID: customer, Arm: "ai", ReceivedAt: at}); err != nil {
		t.Fatal(err)
	}
	if _, err := contacts.New(st.Pool).RecordIntake(ctx, contacts.Intake{Params: p, MessageID: "m1", Kind: "text", ReceivedAt: at,
		Reading:    contact.Reading{Language: "yue", Script: "Hant", Intent: "order_status", Priority: "P2", Negative: true, MaskedText: s.message},
		TicketKind: "tracking", Summary: s.summary, NoticeVer: "v1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := contacts.New(st.Pool).RecordReply(ctx, contacts.ReplyRecord{Params: p, Reply: contact.Reply{Key: "r1", Author: "bot", Kind: "answer"},
		MaskedText: s.reply, At: at.Add(time.Second)}); err != nil {
		t.Fatal(err)
	}
	ho := handoffs.New(st.Pool)
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
	ring, err := codec.ParseKeyring(config.DevDataKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (store.AudioVault{Store: st, Ring: ring}).Put(ctx, s.contactID, "audio/ogg", []byte("voice-"+tag)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool.Exec(ctx, `
		INSERT INTO crm_customers (customer_id, vip_tier, preferred_language) VALUES ($1,'gold','yue') ON CONFLICT DO NOTHING;`, customer); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool.Exec(ctx, `INSERT INTO crm_orders (order_no, customer_id, status, tracking_no) VALUES ($1,$2,'shipped',$3)`,
		"HK"+tag, customer, "SF"+tag); err != nil {
		t.Fatal(err)
	}
	if err := st.Audit(ctx, "agent-1", "agent", "reveal", customer, map[string]any{"field": "phone"}); err != nil {
		t.Fatal(err)
	}
	return s
}

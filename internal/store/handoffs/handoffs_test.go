package handoffs_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
	"github.com/harbordesk/harbordesk/internal/store/handoffs"
)

// testDB is one migrated database for the package; each test runs in its own
// transaction on it and rolls back, so tests share no rows.
var testDB pgtest.Package

func TestMain(m *testing.M) { testDB.Run(m) }

// tx returns a transaction on the package database, rolled back at the end.
func tx(t testing.TB) pgx.Tx { return testDB.Tx(t) }

// intake records, in x, a customer's first message on a new web contact as
// the contact workflow does (contacts.IntakeTx: contact, message, ticket, KPI
// facts).
func intake(t testing.TB, x pgx.Tx, id, language string, at time.Time) contact.Params {
	t.Helper()
	p := contact.Params{ContactID: id, Channel: "web", ConversationID: "k-" + id, CustomerID: "c-" + id, Arm: "ai"}
	if _, err := contacts.IntakeTx(context.Background(), x, contacts.Intake{Params: p, MessageID: "m1", Kind: "text", ReceivedAt: at,
		Reading:    contact.Reading{Language: language, Script: "Hant", Intent: "human_agent", Priority: "P2", Negative: true, MaskedText: "我要搵真人 <phone>"},
		TicketKind: "callback", NoticeVer: "v1"}); err != nil {
		t.Fatal(err)
	}
	return p
}

// openHandoff makes a contact with one open handoff in language.
func openHandoff(t testing.TB, x pgx.Tx, n int, language string) (contact.Params, string) {
	t.Helper()
	at := time.Date(2026, 12, 2, 10, 0, n, 0, time.UTC)
	p := intake(t, x, "ct_route"+string(rune('a'+n)), language, at)
	h := contact.Handoff{ID: contact.HandoffID(p.ContactID, 1), State: contact.HandoffOpen, Priority: "P2", Reason: "human_agent", OpenedAt: at}
	if err := handoffs.New(x).OpenHandoff(context.Background(), p, h, language, at.Add(time.Hour), false); err != nil {
		t.Fatal(err)
	}
	return p, h.ID
}

// states reads the handoff's, ticket's and contact's states.
func states(t testing.TB, x pgx.Tx, contactID, handoffID string) (handoff, agent, ticket, cont string) {
	t.Helper()
	if err := x.QueryRow(context.Background(), `SELECT h.state, h.agent, t.status, c.state
		FROM handoffs h JOIN tickets t ON t.contact_id = h.contact_id JOIN contacts c ON c.id = h.contact_id
		WHERE h.id = $1 AND c.id = $2`, handoffID, contactID).Scan(&handoff, &agent, &ticket, &cont); err != nil {
		t.Fatal(err)
	}
	return
}

// audit is one audit_log row of a handoff.
type audit struct {
	Actor, Role, Action string
	Detail              map[string]any
}

func audits(t testing.TB, x pgx.Tx, handoffID string) []audit {
	t.Helper()
	rows, err := x.Query(context.Background(), `SELECT actor, role, action, detail FROM audit_log WHERE subject = $1 ORDER BY id`, handoffID)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (audit, error) {
		var a audit
		var b []byte
		if err := r.Scan(&a.Actor, &a.Role, &a.Action, &b); err != nil {
			return a, err
		}
		return a, json.Unmarshal(b, &a.Detail)
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func ticketEvents(t testing.TB, x pgx.Tx, contactID string) []string {
	t.Helper()
	rows, err := x.Query(context.Background(), `SELECT e.kind FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
		WHERE t.contact_id = $1 ORDER BY e.id`, contactID)
	if err != nil {
		t.Fatal(err)
	}
	kinds, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return kinds
}

func kpiFacts(t testing.TB, x pgx.Tx, contactID, kind string) int {
	t.Helper()
	var n int
	if err := x.QueryRow(context.Background(), `SELECT count(*) FROM kpi_events WHERE contact_id = $1 AND kind = $2`, contactID, kind).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A handoff's life in the queue: opened (ticket to the agents, a KPI fact,
// a ticket event), escalated once per level, claimed (its open escalation
// closed), released, reopened after the agent's silence, transferred and
// resolved — each step moving the ticket and contact along and audited by
// its actor, with no role, as the contact workflow's entries are.
func TestHandoffLifecycle(t *testing.T) {
	ctx := context.Background()
	x := tx(t)
	st := handoffs.New(x)
	at := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	p := intake(t, x, "ct_life", "yue", at)
	h := contact.Handoff{ID: contact.HandoffID(p.ContactID, 1), State: contact.HandoffOpen, Priority: "P2", Reason: "negative", OpenedAt: at}
	if err := st.OpenHandoff(ctx, p, h, "yue", at.Add(30*time.Minute), false); err != nil {
		t.Fatal(err)
	}
	if err := st.OpenHandoff(ctx, p, h, "yue", at.Add(30*time.Minute), false); err != nil { // a retried activity
		t.Fatal(err)
	}
	if hs, _, ts, cs := states(t, x, p.ContactID, h.ID); hs != "open" || ts != "pending_agent" || cs != "waiting_agent" {
		t.Fatalf("opened: handoff %s ticket %s contact %s", hs, ts, cs)
	}
	if n := kpiFacts(t, x, p.ContactID, "handoff"); n != 1 {
		t.Errorf("handoff KPI facts = %d, want 1", n)
	}
	v, err := st.Handoff(ctx, h.ID)
	if err != nil || v.ContactID != p.ContactID || v.Language != "yue" || v.Reason != "negative" || v.WorkflowID != contact.WorkflowID("web", p.ConversationID) ||
		v.SLADeadline == nil || !v.SLADeadline.Equal(at.Add(30*time.Minute)) || !v.Urgent || v.Snippet != "我要搵真人 <phone>" {
		t.Fatalf("queue row %+v %v", v, err)
	}
	if _, err := st.Handoff(ctx, "ho_none"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown handoff: %v, want store.ErrNotFound", err)
	}

	e := handoffs.Escalation{ID: contact.EscalationID(h.ID, 1), ContactID: p.ContactID, HandoffID: h.ID, Reason: "sla_breached", Level: 1, Deadline: at.Add(30 * time.Minute)}
	for i, want := range []bool{true, false} {
		if fresh, err := st.RecordEscalation(ctx, e); err != nil || fresh != want {
			t.Fatalf("escalation %d: fresh %v (%v), want %v", i, fresh, err, want)
		}
	}
	if n := kpiFacts(t, x, p.ContactID, "sla_breach"); n != 1 {
		t.Errorf("sla_breach KPI facts = %d, want 1", n)
	}
	notified := at.Add(31 * time.Minute)
	for _, when := range []time.Time{notified, notified.Add(time.Minute)} { // the first push time stays
		if err := st.MarkNotified(ctx, e.ID, when); err != nil {
			t.Fatal(err)
		}
	}
	open, err := st.Escalations(ctx, "open")
	if err != nil || len(open) != 1 || open[0].Level != 1 || open[0].NotifiedAt == nil || !open[0].NotifiedAt.Equal(notified) {
		t.Fatalf("open escalations %+v %v", open, err)
	}

	if err := st.RecordClaim(ctx, p.ContactID, h.ID, "ann", at.Add(32*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if hs, ag, ts, cs := states(t, x, p.ContactID, h.ID); hs != "claimed" || ag != "ann" || ts != "in_progress" || cs != "with_agent" {
		t.Fatalf("claimed: handoff %s by %q ticket %s contact %s", hs, ag, ts, cs)
	}
	if open, _ := st.Escalations(ctx, "open"); len(open) != 0 {
		t.Errorf("escalation still open after the claim: %+v", open)
	}
	if all, _ := st.Escalations(ctx, ""); len(all) != 1 || all[0].State != "closed" {
		t.Errorf("all escalations %+v", all)
	}

	if err := st.RecordRelease(ctx, p.ContactID, h.ID, "ann", at.Add(33*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if hs, ag, ts, cs := states(t, x, p.ContactID, h.ID); hs != "open" || ag != "" || ts != "pending_agent" || cs != "waiting_agent" {
		t.Fatalf("released: handoff %s by %q ticket %s contact %s", hs, ag, ts, cs)
	}
	// Reopening after silence only touches a claimed handoff's row (the
	// ticket, contact, audit entry and ticket event are written anyway: the
	// workflow reopens only a handoff it holds as claimed).
	if err := st.RecordReopen(ctx, p.ContactID, h.ID, "ann", at.Add(34*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if v, _ := st.Handoff(ctx, h.ID); !v.CreatedAt.Equal(at.Add(33 * time.Minute)) {
		t.Errorf("reopen of an open handoff restarted its clock: %v", v.CreatedAt)
	}
	if err := st.RecordClaim(ctx, p.ContactID, h.ID, "ann", at.Add(35*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordReopen(ctx, p.ContactID, h.ID, "ann", at.Add(36*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if v, _ := st.Handoff(ctx, h.ID); v.State != "open" || v.Agent != "" || !v.CreatedAt.Equal(at.Add(36*time.Minute)) {
		t.Fatalf("reopened: %+v", v)
	}

	if err := st.RecordTransfer(ctx, handoffs.Transfer{ContactID: p.ContactID, HandoffID: h.ID, To: "mei", By: "sup", At: at.Add(37 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if hs, ag, ts, cs := states(t, x, p.ContactID, h.ID); hs != "claimed" || ag != "mei" || ts != "in_progress" || cs != "with_agent" {
		t.Fatalf("transferred: handoff %s by %q ticket %s contact %s", hs, ag, ts, cs)
	}

	if err := st.RecordResolve(ctx, handoffs.Resolution{Params: p, HandoffID: h.ID, Agent: "mei", Text: "done", Code: "answered", At: at.Add(38 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if hs, _, ts, cs := states(t, x, p.ContactID, h.ID); hs != "resolved" || ts != "resolved" || cs != "resolved" {
		t.Fatalf("resolved: handoff %s ticket %s contact %s", hs, ts, cs)
	}
	// A transfer racing the resolution changes nothing.
	if err := st.RecordTransfer(ctx, handoffs.Transfer{ContactID: p.ContactID, HandoffID: h.ID, From: "mei", To: "li", By: "sup", At: at.Add(39 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if hs, ag, ts, cs := states(t, x, p.ContactID, h.ID); hs != "resolved" || ag != "mei" || ts != "resolved" || cs != "resolved" {
		t.Fatalf("transfer after resolve: handoff %s by %q ticket %s contact %s", hs, ag, ts, cs)
	}
	if n := kpiFacts(t, x, p.ContactID, "resolved"); n != 1 {
		t.Errorf("resolved KPI facts = %d, want 1", n)
	}
	var resolution string
	if err := x.QueryRow(ctx, `SELECT resolution FROM tickets WHERE contact_id = $1`, p.ContactID).Scan(&resolution); err != nil || resolution != "answered done" {
		t.Errorf("ticket resolution %q %v", resolution, err)
	}

	var got []string
	for _, a := range audits(t, x, h.ID) {
		if a.Role != "" {
			t.Errorf("audit %s by %s has role %q, want none", a.Action, a.Actor, a.Role)
		}
		got = append(got, a.Actor+":"+a.Action)
	}
	want := []string{"ann:claim", "ann:release", "system:reopened_inactive", "ann:claim", "system:reopened_inactive", "sup:transfer", "mei:resolve", "sup:transfer"}
	if len(got) != len(want) {
		t.Fatalf("audit %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("audit %v, want %v", got, want)
		}
	}
	// The retried open and escalation each appended their event again:
	// ticket events are not keyed (as before the store was split).
	wantEvents := []string{"handoff_opened", "handoff_opened", "escalated", "escalated", "claimed", "released", "reopened_inactive", "claimed", "reopened_inactive", "transferred", "resolved", "transferred"}
	if ev := ticketEvents(t, x, p.ContactID); len(ev) != len(wantEvents) {
		t.Fatalf("ticket events %v, want %v", ev, wantEvents)
	} else {
		for i := range wantEvents {
			if ev[i] != wantEvents[i] {
				t.Fatalf("ticket events %v, want %v", ev, wantEvents)
			}
		}
	}
}

// After hours a handoff waits for the morning shift, unless it is P1.
func TestOpenAfterHours(t *testing.T) {
	ctx := context.Background()
	x := tx(t)
	at := time.Date(2026, 12, 2, 23, 0, 0, 0, time.UTC)
	for _, c := range []struct{ id, priority, want string }{{"ct_night_p2", "P2", "waiting"}, {"ct_night_p1", "P1", "pending_agent"}} {
		p := intake(t, x, c.id, "en", at)
		h := contact.Handoff{ID: contact.HandoffID(c.id, 1), State: contact.HandoffOpen, Priority: c.priority, Reason: "requested", OpenedAt: at}
		if err := handoffs.OpenTx(ctx, x, p, h, "en", at.Add(time.Hour), true); err != nil {
			t.Fatal(err)
		}
		if _, _, ts, _ := states(t, x, c.id, h.ID); ts != c.want {
			t.Errorf("%s after hours: ticket %s, want %s", c.priority, ts, c.want)
		}
	}
}

// The queue lists by priority, then age, and filters by state.
func TestHandoffsQueue(t *testing.T) {
	ctx := context.Background()
	x := tx(t)
	st := handoffs.New(x)
	at := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	for i, c := range []struct{ id, priority string }{{"ct_q_old_p3", "P3"}, {"ct_q_p1", "P1"}, {"ct_q_new_p3", "P3"}} {
		p := intake(t, x, c.id, "en", at)
		h := contact.Handoff{ID: "ho_" + c.id, State: contact.HandoffOpen, Priority: c.priority, Reason: "requested", OpenedAt: at.Add(time.Duration(i) * time.Minute)}
		if err := st.OpenHandoff(ctx, p, h, "en", at.Add(time.Hour), false); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.RecordClaim(ctx, "ct_q_new_p3", "ho_ct_q_new_p3", "ann", at.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	all, err := st.Handoffs(ctx, "", 0)
	if err != nil || len(all) != 3 || all[0].ID != "ho_ct_q_p1" || all[1].ID != "ho_ct_q_old_p3" || all[2].ID != "ho_ct_q_new_p3" {
		t.Fatalf("queue %+v %v", all, err)
	}
	open, err := st.Handoffs(ctx, contact.HandoffOpen, 0)
	if err != nil || len(open) != 2 {
		t.Fatalf("open queue %+v %v", open, err)
	}
	if none, err := st.Handoffs(ctx, contact.HandoffResolved, 0); err != nil || none == nil || len(none) != 0 {
		t.Fatalf("resolved queue %#v %v, want an empty list", none, err)
	}
}

// A closed pool fails as the database down does.
func TestDatabaseDown(t *testing.T) {
	st := handoffs.New(testDB.ClosedPool(t))
	ctx := context.Background()
	if _, err := st.Handoffs(ctx, "", 0); err == nil {
		t.Error("Handoffs on a closed pool: want an error")
	}
	if err := st.RecordClaim(ctx, "ct_x", "ho_x", "ann", time.Now()); err == nil {
		t.Error("RecordClaim on a closed pool: want an error")
	}
}

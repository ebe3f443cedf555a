package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
)

// openHandoff makes a contact with one open handoff in language.
func openHandoff(t *testing.T, st *store.Store, n int, language string) (contact.Params, string) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 12, 2, 10, 0, n, 0, time.UTC)
	p := contact.Params{ContactID: "ct_route" + string(rune('a'+n)), Channel: "web", ConversationID: "k-route" + string(rune('a'+n)), CustomerID: "c-route", Arm: "ai"}
	if _, _, err := st.EnsureContact(ctx, store.NewContact{ID: p.ContactID, WorkflowID: "wf/" + p.ContactID, Channel: "web",
		ConversationID: p.ConversationID, CustomerID: p.CustomerID, Arm: "ai", ReceivedAt: at}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RecordIntake(ctx, store.Intake{Params: p, MessageID: "m1", Kind: "text", ReceivedAt: at,
		Reading:    contact.Reading{Language: language, Script: "Hant", Intent: "human_agent", Priority: "P2", Negative: true, MaskedText: "我要搵真人 <phone>"},
		TicketKind: "callback", NoticeVer: "v1"}); err != nil {
		t.Fatal(err)
	}
	h := contact.Handoff{ID: contact.HandoffID(p.ContactID, 1), State: contact.HandoffOpen, Priority: "P2", Reason: "human_agent", OpenedAt: at}
	if err := st.OpenHandoff(ctx, p, h, language, at.Add(time.Hour), false); err != nil {
		t.Fatal(err)
	}
	return p, h.ID
}

func TestAccountsSessionsAndAssignment(t *testing.T) {
	ctx := context.Background()
	st := pgtest.New(t)
	for _, a := range []store.NewAgent{
		{ID: "ag_mei", Login: "mei", Role: "agent", Languages: []string{"yue", "en"}, MaxOpen: 2, PasswordHash: "h"},
		{ID: "ag_li", Login: "li", Role: "agent", Languages: []string{"zh"}, MaxOpen: 2, PasswordHash: "h"},
		{ID: "ag_ann", Login: "ann", Role: "agent", Languages: []string{"yue"}, MaxOpen: 2, PasswordHash: "h"},
	} {
		if err := st.CreateAgent(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CreateAgent(ctx, store.NewAgent{ID: "ag_x", Login: "mei", Role: "agent", Languages: []string{}, MaxOpen: 1}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate login: %v, want ErrConflict", err)
	}

	// Sessions: live, then revoked; expired ones never resolve.
	hash := []byte("0123456789abcdef0123456789abcdef")
	if err := st.CreateSession(ctx, "ag_mei", hash, "password", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if p, err := st.SessionPrincipal(ctx, hash); err != nil || p.Login != "mei" || p.Role != "agent" {
		t.Fatalf("session principal %+v %v", p, err)
	}
	if err := st.RevokeSession(ctx, hash); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SessionPrincipal(ctx, hash); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoked session: %v", err)
	}
	old := []byte("expired-expired-expired-expired!")
	_ = st.CreateSession(ctx, "ag_mei", old, "password", time.Now().Add(-time.Minute))
	if _, err := st.SessionPrincipal(ctx, old); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("expired session: %v", err)
	}
	live := []byte("live-live-live-live-live-live-li")
	_ = st.CreateSession(ctx, "ag_mei", live, "password", time.Now().Add(time.Hour))
	if n, err := st.PruneSessions(ctx, time.Now()); err != nil || n != 2 {
		t.Fatalf("pruned %d sessions (%v), want the revoked and the expired one", n, err)
	}
	if _, err := st.SessionPrincipal(ctx, live); err != nil {
		t.Fatalf("pruning removed a live session: %v", err)
	}

	// Nobody online: the handoff stays open.
	p1, h1 := openHandoff(t, st, 1, "yue")
	at := time.Date(2026, 12, 2, 10, 1, 0, 123456789, time.UTC)
	if got, err := st.AssignHandoff(ctx, store.Assignment{ContactID: p1.ContactID, HandoffID: h1, Language: "yue", At: at}); err != nil || got != "" {
		t.Fatalf("assign with nobody online = %q, %v", got, err)
	}
	for _, id := range []string{"ag_mei", "ag_li", "ag_ann"} {
		if _, err := st.SetPresence(ctx, id, "online"); err != nil {
			t.Fatal(err)
		}
	}
	// Two Cantonese speakers, equal load: the one assigned longest ago
	// (both never: by login) gets the first, the other the second.
	got, err := st.AssignHandoff(ctx, store.Assignment{ContactID: p1.ContactID, HandoffID: h1, Language: "yue", At: at})
	if err != nil || got != "ann" {
		t.Fatalf("first yue handoff to %q (%v), want ann", got, err)
	}
	// A retry of the same attempt returns the same agent.
	if again, _ := st.AssignHandoff(ctx, store.Assignment{ContactID: p1.ContactID, HandoffID: h1, Language: "yue", At: at}); again != "ann" {
		t.Fatalf("retried assignment went to %q", again)
	}
	p2, h2 := openHandoff(t, st, 2, "yue")
	if got, _ := st.AssignHandoff(ctx, store.Assignment{ContactID: p2.ContactID, HandoffID: h2, Language: "yue", At: at.Add(time.Second)}); got != "mei" {
		t.Fatalf("second yue handoff to %q, want mei (least loaded)", got)
	}
	hv, err := st.Handoff(ctx, h2)
	if err != nil || hv.State != "assigned" || hv.Agent != "mei" || hv.Channel != "web" || hv.Intent != "human_agent" || !hv.Urgent || hv.Snippet == "" {
		t.Fatalf("queue row %+v %v", hv, err)
	}
	if ids, _ := st.WorkflowsAssignedTo(ctx, "mei"); len(ids) != 1 || ids[0] != "wf/"+p2.ContactID {
		t.Fatalf("assigned to mei: %v", ids)
	}
	// mei leaves and ann timed out on it: nobody else speaks yue, so it is back in the queue.
	if _, err := st.SetPresence(ctx, "ag_mei", "offline"); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.AssignHandoff(ctx, store.Assignment{ContactID: p2.ContactID, HandoffID: h2, Language: "yue", Exclude: []string{"ann"}, At: at.Add(2 * time.Second)}); got != "" {
		t.Fatalf("reassigned to %q, want nobody", got)
	}
	if hv, _ := st.Handoff(ctx, h2); hv.State != "open" || hv.Agent != "" {
		t.Fatalf("after nobody: %+v", hv)
	}
	if ids, _ := st.WorkflowsWaiting(ctx, 10); len(ids) != 1 {
		t.Fatalf("waiting: %v", ids)
	}
	agents, err := st.Agents(ctx)
	if err != nil || len(agents) != 3 {
		t.Fatalf("agents %v %v", agents, err)
	}
	for _, a := range agents {
		if a.Login == "ann" && (a.Open != 1 || a.Presence != "online") {
			t.Errorf("ann: %+v", a)
		}
	}
	// A claimed handoff is never routed again.
	if err := st.RecordClaim(ctx, p1.ContactID, h1, "ann", at); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.AssignHandoff(ctx, store.Assignment{ContactID: p1.ContactID, HandoffID: h1, Language: "yue", At: at.Add(time.Minute)}); got != "" {
		t.Fatalf("claimed handoff routed to %q", got)
	}
	// Deleting an account ends its sessions.
	if err := st.CreateSession(ctx, "ag_li", hash[:31], "sso", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if login, err := st.DeleteAgent(ctx, "ag_li"); err != nil || login != "li" {
		t.Fatalf("delete: %q %v", login, err)
	}
	if _, err := st.SessionPrincipal(ctx, hash[:31]); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("session of a deleted account: %v", err)
	}
}

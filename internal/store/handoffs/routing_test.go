package handoffs_test

import (
	"context"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/store/agents"
	"github.com/harbordesk/harbordesk/internal/store/handoffs"
)

// TestAssignment routes handoffs over the agents' accounts and presence
// (the agents aggregate, internal/store/agents, keeps those; its own tests
// cover accounts and sessions).
func TestAssignment(t *testing.T) {
	ctx := context.Background()
	x := tx(t)
	st := handoffs.New(x)
	ag := agents.New(x)
	for _, a := range []agents.NewAgent{
		{ID: "ag_mei", Login: "mei", Role: "agent", Languages: []string{"yue", "en"}, MaxOpen: 2, PasswordHash: "h"},
		{ID: "ag_li", Login: "li", Role: "agent", Languages: []string{"zh"}, MaxOpen: 2, PasswordHash: "h"},
		{ID: "ag_ann", Login: "ann", Role: "agent", Languages: []string{"yue"}, MaxOpen: 2, PasswordHash: "h"},
	} {
		if err := ag.CreateAgent(ctx, a); err != nil {
			t.Fatal(err)
		}
	}

	// Nobody online: the handoff stays open.
	p1, h1 := openHandoff(t, x, 1, "yue")
	at := time.Date(2026, 12, 2, 10, 1, 0, 123456789, time.UTC)
	if got, err := st.AssignHandoff(ctx, handoffs.Assignment{ContactID: p1.ContactID, HandoffID: h1, Language: "yue", At: at}); err != nil || got != "" {
		t.Fatalf("assign with nobody online = %q, %v", got, err)
	}
	for _, id := range []string{"ag_mei", "ag_li", "ag_ann"} {
		if _, err := ag.SetPresence(ctx, id, "online"); err != nil {
			t.Fatal(err)
		}
	}
	// Two Cantonese speakers, equal load: the one assigned longest ago
	// (both never: by login) gets the first, the other the second.
	got, err := st.AssignHandoff(ctx, handoffs.Assignment{ContactID: p1.ContactID, HandoffID: h1, Language: "yue", At: at})
	if err != nil || got != "ann" {
		t.Fatalf("first yue handoff to %q (%v), want ann", got, err)
	}
	// A retry of the same attempt returns the same agent.
	if again, _ := st.AssignHandoff(ctx, handoffs.Assignment{ContactID: p1.ContactID, HandoffID: h1, Language: "yue", At: at}); again != "ann" {
		t.Fatalf("retried assignment went to %q", again)
	}
	p2, h2 := openHandoff(t, x, 2, "yue")
	if got, _ := st.AssignHandoff(ctx, handoffs.Assignment{ContactID: p2.ContactID, HandoffID: h2, Language: "yue", At: at.Add(time.Second)}); got != "mei" {
		t.Fatalf("second yue handoff to %q, want mei (least loaded)", got)
	}
	hv, err := st.Handoff(ctx, h2)
	if err != nil || hv.State != "assigned" || hv.Agent != "mei" || hv.Channel != "web" || hv.Intent != "human_agent" || !hv.Urgent || hv.Snippet == "" {
		t.Fatalf("queue row %+v %v", hv, err)
	}
	if ids, _ := st.WorkflowsAssignedTo(ctx, "mei"); len(ids) != 1 || ids[0] != contact.WorkflowID(p2.Channel, p2.ConversationID) {
		t.Fatalf("assigned to mei: %v", ids)
	}
	// mei leaves and ann timed out on it: nobody else speaks yue, so it is back in the queue.
	if _, err := ag.SetPresence(ctx, "ag_mei", "offline"); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.AssignHandoff(ctx, handoffs.Assignment{ContactID: p2.ContactID, HandoffID: h2, Language: "yue", Exclude: []string{"ann"}, At: at.Add(2 * time.Second)}); got != "" {
		t.Fatalf("reassigned to %q, want nobody", got)
	}
	if hv, _ := st.Handoff(ctx, h2); hv.State != "open" || hv.Agent != "" {
		t.Fatalf("after nobody: %+v", hv)
	}
	if ids, _ := st.WorkflowsWaiting(ctx, 10); len(ids) != 1 {
		t.Fatalf("waiting: %v", ids)
	}
	list, err := ag.Agents(ctx)
	if err != nil || len(list) != 3 {
		t.Fatalf("agents %v %v", list, err)
	}
	for _, a := range list {
		if a.Login == "ann" && (a.Open != 1 || a.Presence != "online") {
			t.Errorf("ann: %+v", a)
		}
	}
	// A claimed handoff is never routed again.
	if err := st.RecordClaim(ctx, p1.ContactID, h1, "ann", at); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.AssignHandoff(ctx, handoffs.Assignment{ContactID: p1.ContactID, HandoffID: h1, Language: "yue", At: at.Add(time.Minute)}); got != "" {
		t.Fatalf("claimed handoff routed to %q", got)
	}
}

package workflows

import (
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/sla"
)

// An agent who claims and then says nothing for the P1 target (10m) loses
// the handoff: it is re-opened (audited through RecordReopen) and the ladder
// runs again from the re-open time.
func TestAgentInactivityReopens(t *testing.T) {
	d := newDesk(t)
	opened := complaintHandoff(d)
	hoID := contact.HandoffID("ct_test", 1)
	claim := d.update(2*time.Minute, contact.UpdateClaim, "c1", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
	late := d.update(13*time.Minute, contact.UpdateReply, "r1", contact.AgentReply{HandoffID: hoID, Agent: "alice", Text: "我喺度"})
	d.at(2*time.Hour, d.env.CancelWorkflow)
	d.run(params())

	if !claim.accepted {
		t.Fatalf("claim rejected: %v", claim.rejected)
	}
	reopened := tuesdayAfternoon.Add(12 * time.Minute)
	if len(d.reopens) != 1 || d.reopens[0].In.Agent != "alice" || d.reopens[0].In.HandoffID != hoID ||
		!d.reopens[0].At.Equal(reopened) || !d.reopens[0].In.At.Equal(reopened) {
		t.Fatalf("RecordReopen calls %+v, want one for alice at %v", d.reopens, reopened)
	}
	if late.accepted || errType(late.rejected) != "conflict" {
		t.Errorf("alice's reply after losing the handoff: %+v, want a conflict", late)
	}
	checkLadder(t, d, opened, []wantLevel{
		{1, sla.ReasonAtRisk, reopened.Sub(opened) + 8*time.Minute},
		{2, sla.ReasonBreached, reopened.Sub(opened) + 10*time.Minute},
		{3, sla.ReasonDutyManager, reopened.Sub(opened) + 15*time.Minute},
	})
}

// Whatever the agent does in time cancels the inactivity timer.
func TestAgentActionCancelsInactivity(t *testing.T) {
	hoID := contact.HandoffID("ct_test", 1)
	tests := []struct {
		name   string
		update string
		arg    any
	}{
		{"reply", contact.UpdateReply, contact.AgentReply{HandoffID: hoID, Agent: "alice", Text: "收到，幫你查緊"}},
		{"reply awaiting the customer", contact.UpdateReply, contact.ReplyRequest{AwaitCustomer: true,
			AgentReply: contact.AgentReply{HandoffID: hoID, Agent: "alice", Text: "請問單號？"}}},
		{"resolve", contact.UpdateResolve, contact.ResolveRequest{HandoffID: hoID, Agent: "alice", Code: "answered"}},
		{"release", contact.UpdateRelease, contact.ClaimRequest{HandoffID: hoID, Agent: "alice"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDesk(t)
			complaintHandoff(d)
			d.update(2*time.Minute, contact.UpdateClaim, "c1", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
			act := d.update(5*time.Minute, tt.update, "a1", tt.arg)
			d.at(time.Hour, d.env.CancelWorkflow)
			d.run(params())
			if !act.accepted || act.err != nil {
				t.Fatalf("%s: %+v", tt.update, act)
			}
			if len(d.reopens) != 0 {
				t.Errorf("re-opened after the agent's %s: %+v", tt.name, d.reopens)
			}
		})
	}
}

// After an answered question the agent owes the customer again from the
// customer's next message: silence from then on re-opens the handoff.
func TestInactivityRestartsWhenCustomerAnswers(t *testing.T) {
	d := newDesk(t)
	complaintHandoff(d)
	hoID := contact.HandoffID("ct_test", 1)
	d.update(2*time.Minute, contact.UpdateClaim, "c1", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
	d.update(3*time.Minute, contact.UpdateReply, "r1", contact.ReplyRequest{AwaitCustomer: true,
		AgentReply: contact.AgentReply{HandoffID: hoID, Agent: "alice", Text: "請問單號？"}})
	d.say(40*time.Minute, "m2", anyoneThere)
	d.at(2*time.Hour, d.env.CancelWorkflow)
	d.run(params())

	if want := tuesdayAfternoon.Add(50 * time.Minute); len(d.reopens) != 1 || !d.reopens[0].At.Equal(want) {
		t.Fatalf("RecordReopen calls %+v, want one at %v (10m after the customer's answer)", d.reopens, want)
	}
	for _, e := range d.escalations {
		if e.At.Before(d.reopens[0].At) {
			t.Errorf("level %d fired at %v while the agent held the handoff", e.In.Level, e.At)
		}
	}
}

// alice hands her claim to bob: recorded, bob owns it (alice may no longer
// reply) and bob's own inactivity limit runs from the transfer.
func TestTransferAccepted(t *testing.T) {
	d := newDesk(t)
	complaintHandoff(d)
	hoID := contact.HandoffID("ct_test", 1)
	d.update(2*time.Minute, contact.UpdateClaim, "c1", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
	tr := d.update(5*time.Minute, contact.UpdateTransfer, "t1", contact.TransferRequest{HandoffID: hoID, Agent: "alice", To: "bob"})
	aliceReply := d.update(6*time.Minute, contact.UpdateReply, "r1", contact.AgentReply{HandoffID: hoID, Agent: "alice", Text: "hi"})
	d.at(time.Hour, d.env.CancelWorkflow)
	d.run(params())

	if !tr.accepted || tr.err != nil {
		t.Fatalf("transfer %+v", tr)
	}
	if h, ok := tr.value.(contact.Handoff); !ok || h.Agent != "bob" || h.State != contact.HandoffClaimed {
		t.Errorf("transfer returned %+v, want claimed by bob", tr.value)
	}
	if len(d.transfers) != 1 || d.transfers[0].From != "alice" || d.transfers[0].To != "bob" || d.transfers[0].By != "alice" ||
		!d.transfers[0].At.Equal(tuesdayAfternoon.Add(5*time.Minute)) {
		t.Errorf("RecordTransfer calls %+v", d.transfers)
	}
	if aliceReply.accepted || errType(aliceReply.rejected) != "conflict" {
		t.Errorf("alice replied after the transfer: %+v", aliceReply)
	}
	if want := tuesdayAfternoon.Add(15 * time.Minute); len(d.reopens) != 1 || d.reopens[0].In.Agent != "bob" || !d.reopens[0].At.Equal(want) {
		t.Errorf("RecordReopen calls %+v, want bob's at %v", d.reopens, want)
	}
}

// A supervisor may assign an unclaimed handoff; doing so stops its ladder.
func TestSupervisorAssignsOpenHandoff(t *testing.T) {
	d := newDesk(t)
	opened := complaintHandoff(d)
	hoID := contact.HandoffID("ct_test", 1)
	tr := d.update(9*time.Minute, contact.UpdateTransfer, "t1", contact.TransferRequest{HandoffID: hoID, Agent: "sup", To: "bob", Supervisor: true})
	d.update(12*time.Minute, contact.UpdateReply, "r1", contact.AgentReply{HandoffID: hoID, Agent: "bob", Text: "你好"})
	d.at(time.Hour, d.env.CancelWorkflow)
	d.run(params())

	if !tr.accepted || tr.err != nil {
		t.Fatalf("transfer %+v", tr)
	}
	if len(d.transfers) != 1 || d.transfers[0].From != "" || d.transfers[0].By != "sup" {
		t.Errorf("RecordTransfer calls %+v", d.transfers)
	}
	checkLadder(t, d, opened, []wantLevel{{1, sla.ReasonAtRisk, 8 * time.Minute}})
	if len(d.reopens) != 0 {
		t.Errorf("bob replied in time but the handoff re-opened: %+v", d.reopens)
	}
}

// The validator turns away every transfer that is not allowed; nothing is
// recorded for them.
func TestTransferRejected(t *testing.T) {
	hoID := contact.HandoffID("ct_test", 1)
	tests := []struct {
		name  string
		claim bool
		req   contact.TransferRequest
		want  string
	}{
		{"someone else's claim", true, contact.TransferRequest{HandoffID: hoID, Agent: "carol", To: "bob"}, "forbidden"},
		{"unclaimed by an agent", false, contact.TransferRequest{HandoffID: hoID, Agent: "carol", To: "bob"}, "conflict"},
		{"to the holder", true, contact.TransferRequest{HandoffID: hoID, Agent: "alice", To: "alice"}, "conflict"},
		{"to the holder by a supervisor", true, contact.TransferRequest{HandoffID: hoID, Agent: "sup", To: "alice", Supervisor: true}, "conflict"},
		{"no target", true, contact.TransferRequest{HandoffID: hoID, Agent: "alice"}, "invalid"},
		{"no identity", true, contact.TransferRequest{HandoffID: hoID, To: "bob", Supervisor: true}, "invalid"},
		{"unknown handoff", true, contact.TransferRequest{HandoffID: "ho_nope", Agent: "alice", To: "bob"}, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDesk(t)
			complaintHandoff(d)
			if tt.claim {
				d.update(2*time.Minute, contact.UpdateClaim, "c1", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
			}
			tr := d.update(3*time.Minute, contact.UpdateTransfer, "t1", tt.req)
			d.at(5*time.Minute, d.env.CancelWorkflow)
			d.run(params())
			if tr.accepted || errType(tr.rejected) != tt.want {
				t.Errorf("transfer %+v, want rejected as %q", tr, tt.want)
			}
			if len(d.transfers) != 0 {
				t.Errorf("rejected transfer recorded: %+v", d.transfers)
			}
		})
	}
}

// A resolved handoff cannot be transferred.
func TestTransferAfterResolveRejected(t *testing.T) {
	d := newDesk(t)
	complaintHandoff(d)
	hoID := contact.HandoffID("ct_test", 1)
	d.update(2*time.Minute, contact.UpdateClaim, "c1", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
	d.update(3*time.Minute, contact.UpdateResolve, "r1", contact.ResolveRequest{HandoffID: hoID, Agent: "alice", Code: "answered"})
	tr := d.update(4*time.Minute, contact.UpdateTransfer, "t1", contact.TransferRequest{HandoffID: hoID, Agent: "sup", To: "bob", Supervisor: true})
	d.at(10*time.Minute, d.env.CancelWorkflow)
	d.run(params())
	if tr.accepted || errType(tr.rejected) != "conflict" {
		t.Errorf("transfer %+v, want a conflict", tr)
	}
}

// Closing a handoff nobody has claimed needs a supervisor: an agent's
// resolve Update is rejected by the validator (forbidden) and changes
// nothing; a supervisor's is accepted.
func TestResolveUnclaimedNeedsSupervisor(t *testing.T) {
	d := newDesk(t)
	complaintHandoff(d)
	hoID := contact.HandoffID("ct_test", 1)
	agent := d.update(2*time.Minute, contact.UpdateResolve, "r-agent", contact.ResolveRequest{HandoffID: hoID, Agent: "bob", Code: "closed"})
	sup := d.update(3*time.Minute, contact.UpdateResolve, "r-sup", contact.ResolveRequest{HandoffID: hoID, Agent: "sue", Code: "closed", Supervisor: true})
	d.at(time.Hour, d.env.CancelWorkflow)
	d.run(params())

	if agent.accepted || errType(agent.rejected) != "forbidden" {
		t.Errorf("agent closing an unclaimed handoff: %+v, want rejected as forbidden", agent)
	}
	if !sup.accepted || sup.err != nil {
		t.Fatalf("supervisor closing an unclaimed handoff: %+v", sup)
	}
	if len(d.resolves) != 1 || d.resolves[0].Agent != "sue" {
		t.Errorf("Resolve calls %+v, want only the supervisor's", d.resolves)
	}
}

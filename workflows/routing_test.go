package workflows

import (
	"slices"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
)

// handoffAt queries the workflow's handoff at delay into *out.
func (d *desk) handoffAt(delay time.Duration, out *contact.Handoff) {
	d.at(delay, func() {
		v, err := d.env.QueryWorkflow(contact.QueryState)
		if err != nil {
			d.t.Errorf("query: %v", err)
			return
		}
		var st contact.State
		if err := v.Get(&st); err != nil || st.Handoff == nil {
			d.t.Errorf("state %+v %v", st, err)
			return
		}
		*out = *st.Handoff
	})
}

// queue answers AssignAgent with the given agents in turn ("" = nobody).
func queue(agents ...string) func(activities.AssignInput) string {
	return func(activities.AssignInput) string {
		if len(agents) == 0 {
			return ""
		}
		a := agents[0]
		agents = agents[1:]
		return a
	}
}

// A new handoff is assigned to the agent routing picks, in the contact's
// language; only the assignee may claim it, and the claim ends routing.
func TestHandoffAssignedAndClaimedByAssignee(t *testing.T) {
	d := newDesk(t)
	opened := complaintHandoff(d)
	d.router = queue("mei")
	var assigned contact.Handoff
	d.handoffAt(time.Minute, &assigned)
	hoID := contact.HandoffID("ct_test", 1)
	other := d.update(70*time.Second, contact.UpdateClaim, "c1", contact.ClaimRequest{HandoffID: hoID, Agent: "li"})
	mine := d.update(80*time.Second, contact.UpdateClaim, "c2", contact.ClaimRequest{HandoffID: hoID, Agent: "mei"})
	d.at(5*time.Minute, d.env.CancelWorkflow)
	d.run(params())

	if len(d.assigns) != 1 || d.assigns[0].In.Language != "yue" || d.assigns[0].In.HandoffID != hoID || !d.assigns[0].At.Equal(opened) {
		t.Fatalf("AssignAgent calls %+v, want one for the yue handoff at %v", d.assigns, opened)
	}
	if assigned.State != contact.HandoffAssigned || assigned.Agent != "mei" {
		t.Fatalf("handoff after routing: %+v, want assigned to mei", assigned)
	}
	if other.accepted || errType(other.rejected) != "conflict" {
		t.Errorf("a non-assignee's claim: %+v, want a conflict", other)
	}
	if !mine.accepted || mine.err != nil {
		t.Errorf("the assignee's claim: %+v", mine)
	}
	if len(d.claims) != 1 || d.claims[0].Agent != "mei" {
		t.Errorf("RecordClaim %+v", d.claims)
	}
	if len(d.escalations) != 0 {
		t.Errorf("a claimed handoff escalated: %+v", d.escalations)
	}
}

// An assignee who does not claim within the assign timeout loses the
// handoff to the next agent; the one who let it pass is skipped.
func TestUnclaimedAssignmentTimesOut(t *testing.T) {
	d := newDesk(t)
	opened := complaintHandoff(d)
	d.router = queue("mei", "sam")
	var after contact.Handoff
	d.handoffAt(2*time.Minute, &after)
	d.at(9*time.Minute, d.env.CancelWorkflow)
	p := params()
	p.AssignTimeout = 90 * time.Second
	d.run(p)

	if len(d.assigns) < 3 {
		t.Fatalf("AssignAgent calls %+v, want 3 or more", d.assigns)
	}
	if third := d.assigns[2]; !third.At.Equal(opened.Add(180*time.Second)) || !slices.Equal(third.In.Exclude, []string{"mei", "sam"}) {
		t.Errorf("third assignment %+v, want at 3m excluding mei and sam", third)
	}
	if second := d.assigns[1]; !second.At.Equal(opened.Add(90*time.Second)) || !slices.Equal(second.In.Exclude, []string{"mei"}) {
		t.Errorf("second assignment %+v, want at %v excluding mei", second, opened.Add(90*time.Second))
	}
	if after.State != contact.HandoffAssigned || after.Agent != "sam" {
		t.Errorf("handoff after the timeout: %+v, want assigned to sam", after)
	}
	// The SLA ladder runs while nobody has claimed it (P1=10m: level 1 at 8m).
	if len(d.escalations) == 0 || d.escalations[0].In.Level != 1 {
		t.Errorf("escalations while assigned: %+v", d.escalations)
	}
}

// An assignee going offline moves the handoff at once (not after the
// timeout); with nobody eligible it waits in the queue until someone comes
// online.
func TestOfflineAssigneeLosesHandoffAndQueueWaitsForOnline(t *testing.T) {
	d := newDesk(t)
	opened := complaintHandoff(d)
	d.router = queue("mei", "", "sam")
	var queued, final contact.Handoff
	d.at(30*time.Second, func() {
		d.env.SignalWorkflow(contact.SignalPresence, contact.PresenceChange{Agent: "mei", Status: "offline"})
	})
	d.handoffAt(40*time.Second, &queued)
	d.at(50*time.Second, func() {
		d.env.SignalWorkflow(contact.SignalPresence, contact.PresenceChange{Agent: "sam", Status: "online"})
	})
	d.handoffAt(time.Minute, &final)
	d.at(2*time.Minute, d.env.CancelWorkflow)
	d.run(params())

	if len(d.assigns) != 3 {
		t.Fatalf("AssignAgent calls %+v, want 3", d.assigns)
	}
	if at := d.assigns[1].At; !at.Equal(opened.Add(29 * time.Second)) {
		t.Errorf("offline move at %v, want at once (%v)", at, opened.Add(29*time.Second))
	}
	if len(d.assigns[1].In.Exclude) != 0 {
		t.Errorf("an offline assignee is not excluded for later: %+v", d.assigns[1].In)
	}
	if queued.State != contact.HandoffOpen || queued.Agent != "" {
		t.Errorf("with nobody eligible: %+v, want open", queued)
	}
	if at := d.assigns[2].At; !at.Equal(opened.Add(49 * time.Second)) {
		t.Errorf("re-route after someone came online at %v, want %v", at, opened.Add(49*time.Second))
	}
	if final.State != contact.HandoffAssigned || final.Agent != "sam" {
		t.Errorf("after sam came online: %+v", final)
	}
}

// Nobody eligible: the handoff stays open, routing asks again only every
// requeueEvery (5m), and anyone may claim it from the queue.
func TestNoEligibleAgentLeavesHandoffOpen(t *testing.T) {
	d := newDesk(t)
	complaintHandoff(d)
	hoID := contact.HandoffID("ct_test", 1)
	claim := d.update(7*time.Minute, contact.UpdateClaim, "c1", contact.ClaimRequest{HandoffID: hoID, Agent: "ken"})
	d.at(9*time.Minute, d.env.CancelWorkflow)
	d.run(params())

	if len(d.assigns) != 2 { // at 0 and 5m; the claim at 7m ends it
		t.Errorf("AssignAgent calls %d (%+v), want 2", len(d.assigns), d.assigns)
	}
	if !claim.accepted {
		t.Errorf("claim from the open queue: %+v", claim)
	}
}

// A released handoff is routed again, skipping the agent who let it go.
func TestReleasedHandoffRoutedToSomeoneElse(t *testing.T) {
	d := newDesk(t)
	complaintHandoff(d)
	d.router = queue("mei", "sam")
	hoID := contact.HandoffID("ct_test", 1)
	d.update(time.Minute, contact.UpdateClaim, "c1", contact.ClaimRequest{HandoffID: hoID, Agent: "mei"})
	d.update(2*time.Minute, contact.UpdateRelease, "r1", contact.ClaimRequest{HandoffID: hoID, Agent: "mei"})
	var after contact.Handoff
	d.handoffAt(3*time.Minute, &after)
	// Ends before sam's claim window (2m from 2m) runs out.
	d.at(3*time.Minute+30*time.Second, d.env.CancelWorkflow)
	d.run(params())

	if len(d.assigns) != 2 || !slices.Equal(d.assigns[1].In.Exclude, []string{"mei"}) {
		t.Fatalf("AssignAgent calls %+v", d.assigns)
	}
	if after.State != contact.HandoffAssigned || after.Agent != "sam" {
		t.Errorf("after release: %+v", after)
	}
}

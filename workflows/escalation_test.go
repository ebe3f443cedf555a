package workflows

import (
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/sla"
)

// tuesdayAfternoon is inside the desk's opening hours.
var tuesdayAfternoon = time.Date(2026, 3, 10, 14, 0, 0, 0, hkt)

// wantLevel is one expected escalation: level, reason and offset from the
// handoff's opening.
type wantLevel struct {
	level  int
	reason string
	after  time.Duration
}

func checkLadder(t *testing.T, d *desk, openedAt time.Time, want []wantLevel) {
	t.Helper()
	if len(d.escalations) != len(want) {
		t.Fatalf("Escalate fired %d times, want %d: %+v", len(d.escalations), len(want), d.escalations)
	}
	for i, w := range want {
		e := d.escalations[i]
		due := openedAt.Add(w.after)
		if e.In.Level != w.level || e.In.Reason != w.reason {
			t.Errorf("escalation %d = level %d %q, want level %d %q", i, e.In.Level, e.In.Reason, w.level, w.reason)
		}
		if !e.At.Equal(due) {
			t.Errorf("escalation %d (level %d) fired at %v, want %v (off by %v)", i, e.In.Level, e.At, due, e.At.Sub(due))
		}
		if !e.In.Deadline.Equal(due) {
			t.Errorf("escalation %d deadline %v, want %v", i, e.In.Deadline, due)
		}
		if e.In.HandoffID != contact.HandoffID("ct_test", 1) || e.In.ContactID != "ct_test" {
			t.Errorf("escalation %d names %q/%q", i, e.In.ContactID, e.In.HandoffID)
		}
	}
}

// complaintHandoff starts a P1 complaint at start+1s and returns when the
// handoff opens.
func complaintHandoff(d *desk) time.Time {
	d.env.SetStartTime(tuesdayAfternoon)
	d.say(time.Second, "m1", complaintText)
	return tuesdayAfternoon.Add(time.Second)
}

// P1=10m on the wall clock: level 1 at 8m, level 2 at 10m, level 3 at 15m,
// each exactly on time, and a P1 complaint pushes the supervisor at once.
func TestEscalationLadderFiresOnTime(t *testing.T) {
	d := newDesk(t)
	opened := complaintHandoff(d)
	d.at(time.Hour, d.env.CancelWorkflow)
	d.run(params())

	if len(d.handoffs) != 1 || !d.handoffs[0].Handoff.OpenedAt.Equal(opened) || d.handoffs[0].Handoff.Priority != "P1" {
		t.Fatalf("OpenHandoff calls %+v, want one P1 opened at %v", d.handoffs, opened)
	}
	if got, want := d.handoffs[0].SLADeadline, opened.Add(10*time.Minute); !got.Equal(want) {
		t.Errorf("SLA deadline %v, want %v", got, want)
	}
	checkLadder(t, d, opened, []wantLevel{
		{1, sla.ReasonAtRisk, 8 * time.Minute},
		{2, sla.ReasonBreached, 10 * time.Minute},
		{3, sla.ReasonDutyManager, 15 * time.Minute},
	})
	for _, e := range d.escalations {
		if e.In.Priority != "P1" {
			t.Errorf("escalation carries priority %q, want P1", e.In.Priority)
		}
	}
	if len(d.notifies) != 1 || d.notifies[0].Reason != "urgent" || d.notifies[0].Priority != "P1" || d.notifies[0].Intent != "complaint" {
		t.Errorf("NotifySupervisor calls %+v, want one urgent P1 complaint", d.notifies)
	}
}

// A claim between at-risk and breach cancels the remaining levels.
func TestClaimBeforeBreachCancelsLaterLevels(t *testing.T) {
	d := newDesk(t)
	opened := complaintHandoff(d)
	claim := d.update(9*time.Minute, contact.UpdateClaim, "c1", contact.ClaimRequest{HandoffID: contact.HandoffID("ct_test", 1), Agent: "alice"})
	// Past level 3 (15m), before alice's inactivity limit (claim + 10m).
	d.at(18*time.Minute, d.env.CancelWorkflow)
	d.run(params())

	if !claim.accepted {
		t.Fatalf("claim rejected: %v", claim.rejected)
	}
	checkLadder(t, d, opened, []wantLevel{{1, sla.ReasonAtRisk, 8 * time.Minute}})
}

// Resolving the handoff (a supervisor may close an unclaimed one) cancels
// the ladder, and the contact ends after the survey window.
func TestResolutionCancelsEscalation(t *testing.T) {
	d := newDesk(t)
	opened := complaintHandoff(d)
	res := d.update(9*time.Minute, contact.UpdateResolve, "r1",
		contact.ResolveRequest{HandoffID: contact.HandoffID("ct_test", 1), Agent: "sup", Code: "duplicate", Supervisor: true})
	d.run(params())

	if err := d.env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if !res.accepted || res.err != nil {
		t.Fatalf("resolve: %+v", res)
	}
	checkLadder(t, d, opened, []wantLevel{{1, sla.ReasonAtRisk, 8 * time.Minute}})
	if len(d.resolves) != 1 {
		t.Errorf("Resolve called %d times, want 1", len(d.resolves))
	}
	// The contact waited the survey window after the resolution, no longer.
	if end, resolved := d.env.Now(), tuesdayAfternoon.Add(9*time.Minute); !end.Equal(resolved.Add(csatWindow)) {
		t.Errorf("workflow ended at %v, want %v after the resolution at %v", end, csatWindow, resolved)
	}
}

// A release re-opens the handoff and restarts the ladder from the release.
func TestReleaseRestartsLadder(t *testing.T) {
	d := newDesk(t)
	opened := complaintHandoff(d)
	hoID := contact.HandoffID("ct_test", 1)
	claim := d.update(9*time.Minute, contact.UpdateClaim, "c1", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
	rel := d.update(15*time.Minute, contact.UpdateRelease, "rel1", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
	d.at(2*time.Hour, d.env.CancelWorkflow)
	d.run(params())

	if !claim.accepted || !rel.accepted || rel.err != nil {
		t.Fatalf("claim %+v release %+v", claim, rel)
	}
	if len(d.releases) != 1 || d.releases[0].Agent != "alice" {
		t.Errorf("RecordRelease calls %+v", d.releases)
	}
	released := tuesdayAfternoon.Add(15 * time.Minute) // before alice's 10m inactivity limit
	checkLadder(t, d, opened, []wantLevel{
		{1, sla.ReasonAtRisk, 8 * time.Minute},
		{1, sla.ReasonAtRisk, released.Sub(opened) + 8*time.Minute},
		{2, sla.ReasonBreached, released.Sub(opened) + 10*time.Minute},
		{3, sla.ReasonDutyManager, released.Sub(opened) + 15*time.Minute},
	})
}

// A business-clock P2 that arrives at 23:00 HKT starts its clock at 09:00
// next morning: with P2=1h@business the levels fire at 09:48, 10:00, 10:30.
func TestAfterHoursBusinessClockStartsAtOpening(t *testing.T) {
	d := newDesk(t)
	start := time.Date(2026, 3, 10, 23, 0, 0, 0, hkt) // Tuesday night
	d.env.SetStartTime(start)
	d.say(time.Second, "m1", wantHuman) // P3, floored to P2 by the human_agent playbook
	d.at(14*time.Hour, d.env.CancelWorkflow)
	p := params()
	p.SLA = "P1=10m,P2=1h@business"
	d.run(p)

	opening := time.Date(2026, 3, 11, 9, 0, 0, 0, hkt)
	if len(d.handoffs) != 1 || d.handoffs[0].Handoff.Priority != "P2" {
		t.Fatalf("OpenHandoff calls %+v, want one P2", d.handoffs)
	}
	if got := d.handoffs[0].SLADeadline; !got.Equal(opening.Add(time.Hour)) {
		t.Errorf("SLA deadline %v, want %v", got, opening.Add(time.Hour))
	}
	// Nothing fires overnight.
	for _, e := range d.escalations {
		if e.At.Before(opening) {
			t.Errorf("level %d fired at %v, before the desk opened", e.In.Level, e.At.In(hkt))
		}
	}
	checkLadder(t, d, opening, []wantLevel{
		{1, sla.ReasonAtRisk, 48 * time.Minute},
		{2, sla.ReasonBreached, time.Hour},
		{3, sla.ReasonDutyManager, 90 * time.Minute},
	})
}

// An agent who asks the customer something pauses the SLA clock: after a
// release during the pause nothing escalates until the customer answers,
// and the ladder then runs from the release with the pause added.
func TestEscalationPauseResume(t *testing.T) {
	d := newDesk(t)
	opened := complaintHandoff(d)
	hoID := contact.HandoffID("ct_test", 1)
	claim := d.update(2*time.Minute, contact.UpdateClaim, "c1", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
	ask := d.update(3*time.Minute, contact.UpdateReply, "r1", contact.ReplyRequest{AwaitCustomer: true,
		AgentReply: contact.AgentReply{HandoffID: hoID, Agent: "alice", Text: "請問你張單號係幾多？"}})
	rel := d.update(4*time.Minute, contact.UpdateRelease, "rel1", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
	d.say(64*time.Minute, "m2", anyoneThere) // the customer answers an hour later
	d.at(3*time.Hour, d.env.CancelWorkflow)
	d.run(params())

	for _, u := range []*updateResult{claim, ask, rel} {
		if !u.accepted || u.err != nil {
			t.Fatalf("update %+v", u)
		}
	}
	released := tuesdayAfternoon.Add(4 * time.Minute)
	pause := tuesdayAfternoon.Add(64 * time.Minute).Sub(released)
	// Paused from the release to the answer: the whole ladder moves by it,
	// and nothing fired in between.
	checkLadder(t, d, opened, []wantLevel{
		{1, sla.ReasonAtRisk, released.Sub(opened) + pause + 8*time.Minute},
		{2, sla.ReasonBreached, released.Sub(opened) + pause + 10*time.Minute},
		{3, sla.ReasonDutyManager, released.Sub(opened) + pause + 15*time.Minute},
	})
	if len(d.reopens) != 0 {
		t.Errorf("a paused clock re-opened the handoff: %+v", d.reopens)
	}
}

// Without await_customer the reply does not stop the clock: the same release
// escalates from the release time.
func TestReplyWithoutAwaitDoesNotPause(t *testing.T) {
	d := newDesk(t)
	opened := complaintHandoff(d)
	hoID := contact.HandoffID("ct_test", 1)
	d.update(2*time.Minute, contact.UpdateClaim, "c1", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
	d.update(3*time.Minute, contact.UpdateReply, "r1", contact.AgentReply{HandoffID: hoID, Agent: "alice", Text: "收到"})
	d.update(4*time.Minute, contact.UpdateRelease, "rel1", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
	d.at(time.Hour, d.env.CancelWorkflow)
	d.run(params())

	released := tuesdayAfternoon.Add(4 * time.Minute)
	checkLadder(t, d, opened, []wantLevel{
		{1, sla.ReasonAtRisk, released.Sub(opened) + 8*time.Minute},
		{2, sla.ReasonBreached, released.Sub(opened) + 10*time.Minute},
		{3, sla.ReasonDutyManager, released.Sub(opened) + 15*time.Minute},
	})
}

// On a business clock the pause counts only opening hours: P2=1h@business,
// asked at 20:30 on Tuesday and answered at 10:00 on Wednesday is a pause of
// the business time in between, not of 13.5 wall hours.
func TestPauseOnBusinessClockUsesElapsed(t *testing.T) {
	d := newDesk(t)
	d.env.SetStartTime(tuesdayAfternoon)
	d.say(time.Second, "m1", wantHuman) // P3, floored to P2 by the human_agent playbook
	hoID := contact.HandoffID("ct_test", 1)
	asked := time.Date(2026, 3, 10, 20, 30, 0, 0, hkt)
	answered := time.Date(2026, 3, 11, 10, 0, 0, 0, hkt)
	d.update(5*time.Minute, contact.UpdateClaim, "c1", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
	d.update(10*time.Minute, contact.UpdateRelease, "rel1", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
	// Re-claim just before the at-risk level, ask at 20:30, release at once.
	d.update(asked.Sub(tuesdayAfternoon)-time.Minute, contact.UpdateClaim, "c2", contact.ClaimRequest{HandoffID: hoID, Agent: "bob"})
	d.update(asked.Sub(tuesdayAfternoon), contact.UpdateReply, "r1", contact.ReplyRequest{AwaitCustomer: true,
		AgentReply: contact.AgentReply{HandoffID: hoID, Agent: "bob", Text: "請問幾時方便？"}})
	d.update(asked.Sub(tuesdayAfternoon)+time.Second, contact.UpdateRelease, "rel2", contact.ClaimRequest{HandoffID: hoID, Agent: "bob"})
	d.say(answered.Sub(tuesdayAfternoon), "m2", anyoneThere)
	d.at(30*time.Hour, d.env.CancelWorkflow)
	p := params()
	p.SLA = "P1=10m,P2=1h@business"
	d.run(p)

	policy, err := sla.ParsePolicy(p.SLA)
	if err != nil {
		t.Fatal(err)
	}
	released := asked.Add(time.Second)
	if policy.Elapsed("P2", released, answered) >= answered.Sub(released) {
		t.Fatal("the pause spans no closed hours; the test would not tell business from wall time")
	}
	want := policy.Ladder("P2", released, policy.Elapsed("P2", released, answered))
	var after []firedEscalation
	for _, e := range d.escalations {
		if e.At.After(released) {
			after = append(after, e)
		}
	}
	if len(after) != len(want) {
		t.Fatalf("after the pause %d levels fired %+v, want %d", len(after), after, len(want))
	}
	for i, w := range want {
		if !after[i].At.Equal(w.At) || after[i].In.Level != w.Level {
			t.Errorf("level %d fired at %v, want level %d at %v", after[i].In.Level, after[i].At.In(hkt), w.Level, w.At.In(hkt))
		}
		if after[i].At.Before(answered) {
			t.Errorf("level %d fired at %v while the clock was paused", after[i].In.Level, after[i].At.In(hkt))
		}
	}
}

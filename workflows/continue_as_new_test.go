package workflows

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/sla"
)

// nextRun decodes the Params a continue-as-new hands to the next run.
func nextRun(t *testing.T, err error) contact.Params {
	t.Helper()
	var can *workflow.ContinueAsNewError
	if !errors.As(err, &can) {
		t.Fatalf("workflow ended with %v, want continue-as-new", err)
	}
	if can.WorkflowType == nil || can.WorkflowType.Name != contact.WorkflowName {
		t.Fatalf("continues as %+v, want %s", can.WorkflowType, contact.WorkflowName)
	}
	var p contact.Params
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &p); err != nil {
		t.Fatalf("decode next run's params: %v", err)
	}
	return p
}

// After maxTurns messages the contact continues as new, carrying its dedupe
// memory: a redelivery of an old message is still ignored by the next run.
func TestContinueAsNewCarriesSeen(t *testing.T) {
	d := newDesk(t)
	for i := 1; i <= maxTurns; i++ {
		d.say(time.Duration(i)*time.Second, fmt.Sprintf("m%d", i), hoursQuestion)
	}
	p := params()
	d.run(p)
	next := nextRun(t, d.env.GetWorkflowError())

	if len(d.intakes) != maxTurns || len(d.delivers) != maxTurns {
		t.Fatalf("first run: %d intakes, %d delivers, want %d each", len(d.intakes), len(d.delivers), maxTurns)
	}
	c := next.Carry
	if c == nil {
		t.Fatal("no Carry in the next run's params")
	}
	if len(c.Seen) != maxTurns || c.Seen[0] != "m1" || c.Seen[maxTurns-1] != fmt.Sprintf("m%d", maxTurns) {
		t.Errorf("carried Seen has %d ids (%v…), want m1..m%d", len(c.Seen), c.Seen[:min(3, len(c.Seen))], maxTurns)
	}
	if c.Turn != maxTurns || c.Language != "yue" || c.Priority != "P4" || c.LastInbound.IsZero() || c.ReplyTo.To != "85291234567" {
		t.Errorf("carry = turn %d lang %q prio %q last %v replyTo %+v", c.Turn, c.Language, c.Priority, c.LastInbound, c.ReplyTo)
	}
	if next.ContactID != p.ContactID || next.SLA != p.SLA || next.Arm != p.Arm || next.IdleTimeout != p.IdleTimeout {
		t.Errorf("next run params %+v, want the same contact settings as %+v", next, p)
	}
	if next.Rev != contact.RevCurrent {
		t.Errorf("next run starts under revision %d, want %d (it has no history to stay compatible with)", next.Rev, contact.RevCurrent)
	}

	// The next run: an old duplicate is ignored, a new message is answered
	// with a key that does not collide with the previous run's.
	d2 := newDesk(t)
	d2.noticeSent = true
	d2.say(time.Second, "m1", hoursQuestion)
	d2.say(2*time.Second, "m50", hoursQuestion)
	d2.say(3*time.Second, "m101", hoursQuestion)
	d2.run(next)
	if err := d2.env.GetWorkflowError(); err != nil {
		t.Fatalf("next run: %v", err)
	}
	if len(d2.intakes) != 1 || d2.intakes[0].MessageID != "m101" {
		t.Fatalf("next run intakes %+v, want only m101", d2.intakes)
	}
	if len(d2.delivers) != 1 {
		t.Fatalf("next run delivered %d times, want 1", len(d2.delivers))
	}
	wantReplies(t, d2.delivers[0], contact.Reply{Key: fmt.Sprintf("bot/%d/answer", maxTurns+1),
		Author: contact.AuthorBot, Kind: contact.KindAnswer, Text: answerText})
	if d2.delivers[0].Params.Carry != nil {
		t.Error("activities received the Carry (dedupe ids) in their params")
	}
}

// An open handoff survives continue-as-new: the next run keeps the ladder,
// and a level that already fired in the previous run is not pushed again.
func TestContinueAsNewKeepsLadderWithoutRepeats(t *testing.T) {
	d := newDesk(t)
	opened := complaintHandoff(d) // P1=10m: levels at 8m, 10m, 15m
	d.at(8*time.Minute+30*time.Second, func() {
		// The customer keeps writing while nobody has claimed the handoff.
		for i := 2; i <= maxTurns; i++ {
			d.env.SignalWorkflow(contact.SignalMessage, contact.Inbound{MessageID: fmt.Sprintf("m%d", i),
				Kind: "text", Text: anyoneThere, ReceivedAt: d.env.Now()})
		}
	})
	d.run(params())
	next := nextRun(t, d.env.GetWorkflowError())
	checkLadder(t, d, opened, []wantLevel{{1, sla.ReasonAtRisk, 8 * time.Minute}})
	if next.Carry == nil || next.Carry.Handoff == nil || next.Carry.Handoff.State != contact.HandoffOpen ||
		!next.Carry.Handoff.OpenedAt.Equal(opened) {
		t.Fatalf("carry %+v, want the open handoff", next.Carry)
	}

	d2 := newDesk(t)
	d2.env.SetStartTime(d.env.Now())
	d2.at(time.Hour, d2.env.CancelWorkflow)
	d2.run(next)
	var levels []int
	for _, e := range d2.escalations {
		levels = append(levels, e.In.Level)
	}
	if len(levels) != 2 || levels[0] != 2 || levels[1] != 3 {
		t.Fatalf("levels fired by the next run: %v, want [2 3] (level 1 was pushed by the previous run)", levels)
	}
	checkLadder(t, d2, opened, []wantLevel{
		{2, sla.ReasonBreached, 10 * time.Minute},
		{3, sla.ReasonDutyManager, 15 * time.Minute},
	})
}

package workflows

import (
	"errors"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
)

// poisonText is a customer message whose turn the fakes make fail.
const poisonText = "this message cannot be stored"

// intakeOf is the RecordTurn call that recorded message id (nil if none).
func (d *desk) intakeOf(id string) *activities.TurnInput {
	for i := range d.intakes {
		if d.intakes[i].MessageID == id {
			return &d.intakes[i]
		}
	}
	return nil
}

func hasReply(in *activities.TurnInput, text string) bool {
	for _, r := range in.Replies {
		if r.Text == text {
			return true
		}
	}
	return false
}

// checkHandedOff: message m1 is recorded without its words, a
// processing_failed handoff opens, and the customer is told a person follows
// up when wantText.
func checkHandedOff(t *testing.T, d *desk, wantText bool) {
	t.Helper()
	if len(d.handoffs) != 1 || d.handoffs[0].Handoff.Reason != ReasonProcessingFailed || d.handoffs[0].Handoff.Priority != "P2" {
		t.Fatalf("handoffs %+v, want one processing_failed at P2", d.handoffs)
	}
	m1 := d.intakeOf("m1")
	if m1 == nil || m1.Reading.MaskedText != failedText || m1.Handoff == nil {
		t.Fatalf("m1 recorded as %+v, want the placeholder with the handoff", m1)
	}
	if len(d.assigns) == 0 || d.assigns[0].In.HandoffID != d.handoffs[0].Handoff.ID {
		t.Errorf("AssignAgent calls %+v, want the processing_failed handoff routed to an agent", d.assigns)
	}
	if got := hasReply(m1, handoffText); got != wantText {
		t.Errorf("handoff text sent = %v, want %v (replies %+v)", got, wantText, m1.Replies)
	}
}

// A turn that fails for good (here: the database refuses the message) hands
// the contact to a person with reason processing_failed; the workflow goes on
// serving the customer's later messages: recorded for the person while the
// handoff is open, answered by the bot once it is resolved.
func TestPermanentTurnFailureHandsOff(t *testing.T) {
	causes := map[string]error{
		"refused":   temporal.NewNonRetryableApplicationError("the database refused the data (SQLSTATE 22021)", activities.ErrRefused, nil),
		"non-retry": temporal.NewNonRetryableApplicationError("bug", "anything", nil),
	}
	for name, cause := range causes {
		t.Run(name, func(t *testing.T) {
			d := newDesk(t)
			d.env.SetStartTime(tuesdayAfternoon)
			attempts := 0
			d.failTurn = func(in activities.TurnInput) error {
				if in.Reading.MaskedText == poisonText {
					attempts++
					return cause
				}
				return nil
			}
			hoID := contact.HandoffID("ct_test", 1)
			d.say(time.Second, "m1", poisonText)
			d.say(time.Minute, "m2", hoursQuestion)
			claim := d.update(2*time.Minute, contact.UpdateClaim, "c1", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
			done := d.update(3*time.Minute, contact.UpdateResolve, "r1", contact.ResolveRequest{HandoffID: hoID, Agent: "alice", Code: "answered"})
			d.say(4*time.Minute, "m3", hoursQuestion)
			d.at(time.Hour, d.env.CancelWorkflow)
			d.run(params())

			if attempts != 1 {
				t.Errorf("the failing turn ran %d times, want 1 (no retries of a permanent failure)", attempts)
			}
			checkHandedOff(t, d, true)
			if m2 := d.intakeOf("m2"); m2 == nil || m2.Reading.MaskedText != hoursQuestion || len(m2.Replies) != 0 {
				t.Errorf("m2 during the handoff: %+v, want recorded, bot silent", m2)
			}
			if !claim.accepted || !done.accepted || done.err != nil {
				t.Fatalf("claim %+v resolve %+v", claim, done)
			}
			if m3 := d.intakeOf("m3"); m3 == nil || !hasReply(m3, answerText) {
				t.Errorf("m3 after the handoff: %+v, want the bot's answer", m3)
			}
		})
	}
}

// A turn that keeps failing with a "temporary" error is retried only for
// turnRetryWindow, then handed off like a permanent failure.
func TestEndlessRetryableTurnIsBounded(t *testing.T) {
	d := newDesk(t)
	d.env.SetStartTime(tuesdayAfternoon)
	var first, last time.Time
	attempts := 0
	d.failTurn = func(in activities.TurnInput) error {
		if in.Reading.MaskedText != poisonText {
			return nil
		}
		if attempts == 0 {
			first = d.env.Now()
		}
		attempts++
		last = d.env.Now()
		return temporal.NewApplicationError("temporary failure", "retryable", errors.New("connection reset"))
	}
	d.say(time.Second, "m1", poisonText)
	d.at(2*time.Hour, d.env.CancelWorkflow)
	d.run(params())

	checkHandedOff(t, d, true)
	if attempts < 5 || last.Sub(first) > turnRetryWindow {
		t.Errorf("%d attempts over %v, want several within %v", attempts, last.Sub(first), turnRetryWindow)
	}
	if opened := d.handoffs[0].Handoff.OpenedAt; opened.Sub(first) > turnRetryWindow+time.Minute {
		t.Errorf("handed off %v after the first attempt, want within %v", opened.Sub(first), turnRetryWindow)
	}
}

// A bug (a panic in the local activity that composes the reply) is a
// permanent failure too; when even the handoff words cannot be composed, the
// handoff still opens without them.
func TestPanickingTurnHandsOff(t *testing.T) {
	for _, composeHandoff := range []bool{true, false} {
		d := newDesk(t)
		d.env.SetStartTime(tuesdayAfternoon)
		d.failCompose = func(in activities.ComposeInput) error {
			if in.Reading.MaskedText == poisonText || !composeHandoff && in.Want == activities.WantHandoff {
				panic("nil map in a playbook")
			}
			return nil
		}
		d.say(time.Second, "m1", poisonText)
		d.at(time.Hour, d.env.CancelWorkflow)
		d.run(params())
		checkHandedOff(t, d, composeHandoff)
	}
}

// If not even the placeholder can be recorded, the workflow still serves the
// next message (no handoff it could not store).
func TestUnrecordableTurnDoesNotBlock(t *testing.T) {
	d := newDesk(t)
	d.env.SetStartTime(tuesdayAfternoon)
	d.failTurn = func(in activities.TurnInput) error {
		if in.MessageID == "m1" {
			return temporal.NewNonRetryableApplicationError("refused", activities.ErrPermanent, nil)
		}
		return nil
	}
	d.say(time.Second, "m1", poisonText)
	d.say(time.Minute, "m2", hoursQuestion)
	d.at(time.Hour, d.env.CancelWorkflow)
	d.run(params())
	if len(d.handoffs) != 0 {
		t.Errorf("handoffs %+v, want none", d.handoffs)
	}
	if m2 := d.intakeOf("m2"); m2 == nil || !hasReply(m2, answerText) {
		t.Errorf("m2: %+v, want the bot's answer", m2)
	}
}

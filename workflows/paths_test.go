package workflows

import (
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/sla"
)

// "STOP" gets one confirmation; every later message is recorded and nothing
// more is sent, not even to a request for a person.
func TestOptOutConfirmsOnceThenSilence(t *testing.T) {
	d := newDesk(t)
	d.say(time.Second, "m1", "STOP")
	d.say(time.Minute, "m2", hoursQuestion)
	d.say(2*time.Minute, "m3", wantHuman)
	d.run(params())
	if err := d.env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow error: %v", err)
	}

	if len(d.delivers) != 1 {
		t.Fatalf("Deliver called %d times, want 1: %+v", len(d.delivers), d.delivers)
	}
	wantReplies(t, d.delivers[0],
		contact.Reply{Key: "notice", Author: contact.AuthorBot, Kind: contact.KindNotice, Text: noticeText},
		contact.Reply{Key: "bot/1/optout", Author: contact.AuthorBot, Kind: contact.KindNotice, Text: optOutText})
	if len(d.intakes) != 3 || !d.intakes[0].OptOut || d.intakes[1].OptOut || d.intakes[2].OptOut {
		t.Errorf("intakes %+v, want 3 with only the first flagged opt-out", d.intakes)
	}
	if len(d.composes) != 3 || !d.composes[0].State.OptOut || !d.composes[1].State.OptedOut || !d.composes[2].State.OptedOut || len(d.handoffs) != 0 {
		t.Errorf("Compose %+v, OpenHandoff %d: want the opt-out, then silence decided for an opted-out customer, no handoff", d.composes, len(d.handoffs))
	}
}

// On the human arm every first message is acknowledged and handed off; the
// bot does not compose an answer.
func TestHumanArmAcksAndHandsOff(t *testing.T) {
	d := newDesk(t)
	d.say(time.Second, "m1", hoursQuestion)
	d.at(time.Hour, d.env.CancelWorkflow)
	p := params()
	p.Arm = "human"
	d.run(p)

	if len(d.composes) != 1 || d.composes[0].State.Arm != "human" {
		t.Errorf("Compose calls %+v, want one decision on the human arm", d.composes)
	}
	if len(d.delivers) != 1 {
		t.Fatalf("Deliver called %d times, want 1", len(d.delivers))
	}
	wantReplies(t, d.delivers[0],
		contact.Reply{Key: "notice", Author: contact.AuthorBot, Kind: contact.KindNotice, Text: noticeText},
		contact.Reply{Key: "bot/1/ack", Author: contact.AuthorBot, Kind: contact.KindAck, Text: ackText})
	if len(d.handoffs) != 1 || d.handoffs[0].Handoff.Reason != "human_arm" || d.handoffs[0].Handoff.State != contact.HandoffOpen {
		t.Errorf("OpenHandoff calls %+v, want one open with reason human_arm", d.handoffs)
	}
}

// A voice note no engine can read goes to a person: no retries, no reading
// of empty text, a handoff with reason voice_no_engine at the priority the
// intake recorded.
func TestVoiceWithoutEngineHandsOff(t *testing.T) {
	d := newDesk(t)
	d.transcribe = temporal.NewNonRetryableApplicationError("no transcription engine for this language", activities.ErrNoEngine, nil)
	d.env.SetStartTime(tuesdayAfternoon)
	d.at(time.Second, func() {
		d.env.SignalWorkflow(contact.SignalMessage, contact.Inbound{MessageID: "v1", Kind: "voice",
			AudioRef: "aud_1", AudioMIME: "audio/ogg", ReceivedAt: d.env.Now()})
	})
	d.at(time.Minute, d.env.CancelWorkflow)
	d.run(params())

	if len(d.transcribes) != 1 || d.transcribes[0].AudioRef != "aud_1" || d.transcribes[0].AudioMIME != "audio/ogg" {
		t.Errorf("Transcribe calls %+v, want exactly one (the error is final)", d.transcribes)
	}
	if len(d.understands) != 0 || len(d.composes) != 1 || d.composes[0].State.VoiceFail != "voice_no_engine" {
		t.Errorf("Understand %d / Compose %+v: want no reading and one decision on the unreadable voice note", len(d.understands), d.composes)
	}
	if len(d.intakes) != 1 || d.intakes[0].MessageID != "v1" || d.intakes[0].Kind != "voice" ||
		d.intakes[0].Reading.MaskedText != "[voice message: voice_no_engine]" {
		t.Fatalf("intakes %+v, want the voice message recorded with its reason", d.intakes)
	}
	if len(d.delivers) != 1 {
		t.Fatalf("Deliver called %d times, want 1", len(d.delivers))
	}
	wantReplies(t, d.delivers[0],
		contact.Reply{Key: "notice", Author: contact.AuthorBot, Kind: contact.KindNotice, Text: noticeText},
		contact.Reply{Key: "bot/1/handoff", Author: contact.AuthorBot, Kind: contact.KindHandoff, Text: handoffText})
	if len(d.handoffs) != 1 {
		t.Fatalf("OpenHandoff called %d times, want 1", len(d.handoffs))
	}
	h := d.handoffs[0]
	if h.Handoff.Reason != "voice_no_engine" {
		t.Errorf("handoff reason %q, want voice_no_engine", h.Handoff.Reason)
	}
	// The ticket was recorded at the reading's priority; the handoff and its
	// SLA clock must use the same one.
	recorded := d.intakes[0].Reading.Priority
	if h.Handoff.Priority != recorded {
		t.Errorf("handoff priority %q, but the intake recorded %q", h.Handoff.Priority, recorded)
	}
	if want := sla.DefaultPolicy().Deadline(recorded, h.Handoff.OpenedAt); !h.SLADeadline.Equal(want) {
		t.Errorf("SLA deadline %v, want %v (%s)", h.SLADeadline, want, recorded)
	}
}

// A voice note that transcribes is read like text, with its arousal.
func TestVoiceTranscribedIsAnswered(t *testing.T) {
	d := newDesk(t)
	d.at(time.Second, func() {
		d.env.SignalWorkflow(contact.SignalMessage, contact.Inbound{MessageID: "v1", Kind: "voice", AudioRef: "aud_1", ReceivedAt: d.env.Now()})
	})
	d.run(params())

	if len(d.understands) != 1 || d.understands[0].Text != hoursQuestion || d.understands[0].Arousal != 0.1 {
		t.Errorf("Understand calls %+v, want the transcript", d.understands)
	}
	if len(d.intakes) != 1 || d.intakes[0].Engine != "fake" || d.intakes[0].Kind != "voice" {
		t.Errorf("intakes %+v, want engine recorded", d.intakes)
	}
	if len(d.delivers) != 1 || d.delivers[0].Replies[len(d.delivers[0].Replies)-1].Text != answerText {
		t.Errorf("delivers %+v, want the KB answer", d.delivers)
	}
}

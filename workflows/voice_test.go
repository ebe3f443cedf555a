package workflows

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
)

// A voice note that can never be transcribed — the failure is final, or the
// retries run out — is deleted, not kept until the retention purge; one
// that transcribes is not discarded by the workflow (Transcribe deleted it).
func TestUntranscribableVoiceIsDiscarded(t *testing.T) {
	tests := []struct {
		name        string
		err         error
		wantDiscard bool
	}{
		{"no engine", temporal.NewNonRetryableApplicationError("no engine", activities.ErrNoEngine, nil), true},
		{"bad audio", temporal.NewNonRetryableApplicationError("unreadable", activities.ErrBadAudio, nil), true},
		{"retries run out", temporal.NewApplicationError("asr down", "retryable", errors.New("503")), true},
		{"transcribed", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDesk(t)
			d.transcribe = tt.err
			var discarded []activities.DiscardAudioInput
			d.env.OnActivity(acts.DiscardAudio, mock.Anything, mock.Anything).Return(
				func(_ context.Context, in activities.DiscardAudioInput) error {
					discarded = append(discarded, in)
					return nil
				})
			d.env.SetStartTime(tuesdayAfternoon)
			d.at(time.Second, func() {
				d.env.SignalWorkflow(contact.SignalMessage, contact.Inbound{MessageID: "v1", Kind: "voice",
					AudioRef: "au_1", AudioMIME: "audio/ogg", ReceivedAt: d.env.Now()})
			})
			d.at(time.Hour, d.env.CancelWorkflow)
			d.run(params())

			got := len(discarded) == 1 && discarded[0].AudioRef == "au_1" && discarded[0].ContactID == "ct_test"
			if tt.wantDiscard != got || !tt.wantDiscard && len(discarded) != 0 {
				t.Errorf("DiscardAudio calls %+v, want discarded=%v", discarded, tt.wantDiscard)
			}
			if tt.wantDiscard && (len(d.handoffs) != 1 || d.handoffs[0].Handoff.Reason[:6] != "voice_") {
				t.Errorf("handoffs %+v, want one for the voice note", d.handoffs)
			}
		})
	}
}

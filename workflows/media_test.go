package workflows

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
)

// mediaFetches mocks FetchMedia: it records the calls and answers with fn.
func mediaFetches(d *desk, fn func(activities.MediaInput) (activities.MediaResult, error)) *[]activities.MediaInput {
	var mu sync.Mutex
	calls := &[]activities.MediaInput{}
	d.env.OnActivity(acts.FetchMedia, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.MediaInput) (activities.MediaResult, error) {
			mu.Lock()
			*calls = append(*calls, in)
			mu.Unlock()
			return fn(in)
		})
	return calls
}

func sendMedia(d *desk, id, caption string, md contact.Media) {
	d.at(time.Second, func() {
		d.env.SignalWorkflow(contact.SignalMessage, contact.Inbound{MessageID: id, Kind: "text", Text: caption, Media: &md,
			ReceivedAt: d.env.Now(), ReplyTo: contact.ReplyTo{To: "85291234567"}})
	})
}

// A WhatsApp photo is fetched by the workflow (not the webhook), stored as
// an attachment, and read as "[image]" plus its caption.
func TestWhatsAppPhotoFetchedInActivity(t *testing.T) {
	d := newDesk(t)
	calls := mediaFetches(d, func(in activities.MediaInput) (activities.MediaResult, error) {
		return activities.MediaResult{AttachmentID: "at_1", MIME: "image/jpeg"}, nil
	})
	sendMedia(d, "wamid.p1", "個花樽爛咗", contact.Media{ID: "media-1", MIME: "image/jpeg", Kind: contact.MediaImage})
	d.run(params())

	if len(*calls) != 1 || (*calls)[0].Media.ID != "media-1" || (*calls)[0].MessageID != "wamid.p1" || (*calls)[0].ContactID != "ct_test" || (*calls)[0].CustomerID != "c1" {
		t.Fatalf("FetchMedia calls %+v", *calls)
	}
	if len(d.understands) != 1 || d.understands[0].Text != "[image] 個花樽爛咗" {
		t.Fatalf("Understand got %+v", d.understands)
	}
	if len(d.intakes) != 1 || d.intakes[0].Kind != "text" || d.intakes[0].MessageID != "wamid.p1" {
		t.Fatalf("intakes %+v", d.intakes)
	}
	if len(d.transcribes) != 0 {
		t.Fatalf("a photo was transcribed")
	}
}

// A photo the channel will not give (expired media, wrong type) is said so;
// the conversation goes on.
func TestWhatsAppPhotoNotReceived(t *testing.T) {
	d := newDesk(t)
	mediaFetches(d, func(activities.MediaInput) (activities.MediaResult, error) {
		return activities.MediaResult{}, temporal.NewNonRetryableApplicationError("media refused", activities.ErrBadMedia, nil)
	})
	sendMedia(d, "wamid.p2", "", contact.Media{ID: "media-2", Kind: contact.MediaDocument})
	d.run(params())
	if len(d.understands) != 1 || d.understands[0].Text != "[document: not received]" {
		t.Fatalf("Understand got %+v", d.understands)
	}
}

// A WhatsApp voice note is fetched, then transcribed from the audio vault.
func TestWhatsAppVoiceFetchedThenTranscribed(t *testing.T) {
	d := newDesk(t)
	mediaFetches(d, func(activities.MediaInput) (activities.MediaResult, error) {
		return activities.MediaResult{AudioRef: "au_9", AudioMIME: "audio/ogg"}, nil
	})
	sendMedia(d, "wamid.v1", "", contact.Media{ID: "media-3", Kind: contact.MediaVoice})
	d.run(params())
	if len(d.transcribes) != 1 || d.transcribes[0].AudioRef != "au_9" || d.transcribes[0].AudioMIME != "audio/ogg" {
		t.Fatalf("Transcribe calls %+v", d.transcribes)
	}
	if len(d.intakes) != 1 || d.intakes[0].Kind != "voice" || d.intakes[0].Engine != "fake" {
		t.Fatalf("intakes %+v", d.intakes)
	}
}

// A voice note that cannot be fetched (retries exhausted) goes to a person.
func TestWhatsAppVoiceUnavailableHandsOff(t *testing.T) {
	d := newDesk(t)
	calls := mediaFetches(d, func(activities.MediaInput) (activities.MediaResult, error) {
		return activities.MediaResult{}, temporal.NewApplicationError("graph api 503", "retryable")
	})
	sendMedia(d, "wamid.v2", "", contact.Media{ID: "media-4", Kind: contact.MediaVoice})
	d.at(10*time.Minute, d.env.CancelWorkflow)
	d.run(params())
	if len(*calls) != 5 {
		t.Errorf("FetchMedia attempts = %d, want 5 (the retry policy's maximum)", len(*calls))
	}
	if len(d.transcribes) != 0 || len(d.handoffs) != 1 || d.handoffs[0].Handoff.Reason != reasonMediaUnavailable {
		t.Fatalf("transcribes %d, handoffs %+v", len(d.transcribes), d.handoffs)
	}
}

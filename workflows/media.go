package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
)

// mediaCtx bounds fetching a message's media from the channel: a few
// retries over about a minute ride out a Graph API hiccup; a refused or
// unaccepted file fails at once.
func mediaCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 2 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2,
			MaximumInterval: 20 * time.Second, MaximumAttempts: 5,
			NonRetryableErrorTypes: []string{activities.ErrPermanent, activities.ErrBadMedia}},
	})
}

// reasonMediaUnavailable is the handoff reason when a voice note could not
// be fetched from the channel.
const reasonMediaUnavailable = "voice_media_unavailable"

// fetchMedia downloads a message's channel media (FetchMedia) and turns the
// message into what the rest of the turn reads: a voice note to transcribe,
// or a photo or document as "[image]" / "[document]" (with the caption) whose
// file agents open from the contact's attachments. A voice note that cannot
// be fetched returns voiceFail, so a person follows up; a photo that cannot
// be fetched says so in the text. Only messages carrying Media (sent by
// webhooks since this code) take this path, so earlier histories replay
// unchanged.
func (s *contactState) fetchMedia(ctx workflow.Context, m contact.Inbound) (contact.Inbound, string) {
	md := *m.Media
	var res activities.MediaResult
	err := workflow.ExecuteActivity(mediaCtx(ctx), a.FetchMedia, activities.MediaInput{
		ContactID: s.p.ContactID, CustomerID: s.p.CustomerID, MessageID: m.MessageID, Media: md,
	}).Get(ctx, &res)
	if md.Kind == contact.MediaVoice {
		m.Kind = "voice"
		if err != nil {
			return m, reasonMediaUnavailable
		}
		m.AudioRef, m.AudioMIME = res.AudioRef, res.AudioMIME
		return m, ""
	}
	label := "[" + md.Kind + "]"
	if err != nil {
		label = "[" + md.Kind + ": not received]"
	}
	m.Kind = "text"
	if m.Text == "" {
		m.Text = label
	} else {
		m.Text = label + " " + m.Text
	}
	return m, ""
}

package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/harbordesk/harbordesk/activities"
)

// discardAudio deletes a voice note that will never be transcribed
// (transcription failed for good or ran out of retries), instead of keeping
// it until the retention purge. It does not hold up the turn: the customer's
// handoff goes on while the delete runs.
func (s *contactState) discardAudio(ctx workflow.Context, ref string) {
	if ref == "" || !s.changed(ctx, versionDiscardAudio) {
		return
	}
	workflow.ExecuteActivity(discardCtx(ctx), a.DiscardAudio, activities.DiscardAudioInput{ContactID: s.p.ContactID, AudioRef: ref})
}

package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/workflow"

	"github.com/harbordesk/harbordesk/internal/contact"
)

// A contact started under contact.RevCurrent has every gated change from
// its first event without asking GetVersion (no marker, no search-attribute
// upsert), even where a GetVersion would answer "old history".
func TestCurrentRevisionAsksNoVersion(t *testing.T) {
	for _, rev := range []int{0, contact.RevCurrent} {
		d := newDesk(t)
		asked := 0
		d.env.OnGetVersion(mock.Anything, workflow.DefaultVersion, 1).
			Run(func(mock.Arguments) { asked++ }).Return(workflow.DefaultVersion).Maybe()
		complaintHandoff(d)
		hoID := contact.HandoffID("ct_test", 1)
		d.update(2*time.Minute, contact.UpdateClaim, "c1", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
		d.at(2*time.Hour, d.env.CancelWorkflow)
		p := params()
		p.Rev = rev
		d.run(p)

		switch rev {
		case 0: // as a history recorded before the changes: all of them off
			if asked == 0 || len(d.reopens) != 0 {
				t.Errorf("rev 0: GetVersion asked %d times, %d re-opens; want asked, none (legacy path)", asked, len(d.reopens))
			}
		default: // agent inactivity (a gated change) re-opens the silent claim
			if asked != 0 || len(d.reopens) != 1 {
				t.Errorf("rev %d: GetVersion asked %d times, %d re-opens; want 0 and 1", rev, asked, len(d.reopens))
			}
		}
	}
}

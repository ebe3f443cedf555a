package activities

import (
	"context"
	"time"

	"github.com/harbordesk/harbordesk/internal/store/handoffs"
)

// AssignInput asks routing for an agent for a handoff.
type AssignInput struct {
	ContactID, HandoffID, Language string
	Exclude                        []string // agents who let this handoff time out
	At                             time.Time
}

// AssignAgent offers a waiting handoff to the eligible agent routing.Pick
// chooses (online, speaks the language, under max_open, least loaded,
// round-robin on ties) and records it; "" means nobody is eligible and the
// handoff is (back) in the open queue. The choice and the record are one
// transaction over the locked agents, so handoffs routed at once see each
// other's load; a retry returns the agent the first attempt chose.
func (a *Activities) AssignAgent(ctx context.Context, in AssignInput) (string, error) {
	login, err := a.handoffStore().AssignHandoff(ctx, handoffs.Assignment{ContactID: in.ContactID, HandoffID: in.HandoffID,
		Language: in.Language, Exclude: in.Exclude, At: in.At})
	return login, retryable(err)
}

package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
)

// BaselineName is the registered name of BaselineWorkflow.
const BaselineName = "BaselineWorkflow"

// BaselineWorkflow is the yardstick of `harbordesk bench --baseline`: a bare
// workflow started the same way as a contact (SignalWithStart) that runs the
// same number and kinds of activities as a contact's first answer — two
// local (Understand, Compose), one regular (RecordTurn) — doing no work
// except recording that it finished, so
// the ratio measures what Harbordesk's own work costs on the same server.
func BaselineWorkflow(ctx workflow.Context, p contact.Params) error {
	var m contact.Inbound
	workflow.GetSignalChannel(ctx, contact.SignalMessage).Receive(ctx, &m)
	lctx := localCtx(ctx)
	actx := actCtx(ctx)
	if err := workflow.ExecuteLocalActivity(lctx, a.BaselineNoop, 1).Get(ctx, nil); err != nil {
		return err
	}
	if err := workflow.ExecuteLocalActivity(lctx, a.BaselineNoop, 2).Get(ctx, nil); err != nil {
		return err
	}
	if err := workflow.ExecuteActivity(actx, a.BaselineDone, activities.BaselineInput{ID: p.ContactID, ReceivedAt: m.ReceivedAt}).Get(ctx, nil); err != nil {
		return err
	}
	// Like a contact, stay open for follow-ups as long as a contact does,
	// then end. A shorter wait would be unfair to the contacts it is
	// compared with: the close (timer, workflow task, visibility record)
	// would land on the cluster a minute later, in the middle of the next
	// slices of the comparison, while a contact's close falls after it.
	// (Baselines started before the idle timeout was passed waited a minute.)
	idle := p.IdleTimeout
	if idle <= 0 {
		idle = time.Minute
	}
	return workflow.Sleep(ctx, idle)
}

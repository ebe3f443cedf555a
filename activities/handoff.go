package activities

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/profile"
	"github.com/harbordesk/harbordesk/internal/store/handoffs"
)

// handoffStore is the handoffs store on the activities' pool.
func (a *Activities) handoffStore() *handoffs.Store { return handoffs.New(a.Store.Pool) }

// ClaimInput records a claim or release decided by the workflow.
type ClaimInput struct {
	ContactID, HandoffID, Agent string
	At                          time.Time
}

// RecordClaim stores a won claim and audits it.
func (a *Activities) RecordClaim(ctx context.Context, in ClaimInput) error {
	return retryable(a.handoffStore().RecordClaim(ctx, in.ContactID, in.HandoffID, in.Agent, in.At))
}

// RecordRelease stores a release and audits it.
func (a *Activities) RecordRelease(ctx context.Context, in ClaimInput) error {
	return retryable(a.handoffStore().RecordRelease(ctx, in.ContactID, in.HandoffID, in.Agent, in.At))
}

// ResolveInput closes a handoff.
type ResolveInput struct {
	ContactID, HandoffID, Agent, Resolution, Code string
	At                                            time.Time
	Language, Script                              string
	Params                                        contact.Params
}

// Resolve closes the handoff, ticket and contact and returns the survey text
// in the customer's language.
func (a *Activities) Resolve(ctx context.Context, in ResolveInput) (string, error) {
	p := in.Params
	if p.ContactID == "" {
		p.ContactID = in.ContactID
	}
	err := a.handoffStore().RecordResolve(ctx, handoffs.Resolution{Params: p, HandoffID: in.HandoffID, Agent: in.Agent,
		Text: in.Resolution, Code: in.Code, At: in.At})
	if err != nil {
		return "", retryable(err)
	}
	text, _ := a.say(profile.CSATSurvey, contact.Reading{Language: in.Language, Script: in.Script}, nil)
	return text, nil
}

// EscalateInput is one SLA escalation level that fired.
type EscalateInput struct {
	ContactID, HandoffID, Reason, Priority string
	Level                                  int
	Deadline                               time.Time
}

// Escalate records the level and pushes it to the supervisors, once.
func (a *Activities) Escalate(ctx context.Context, in EscalateInput) error {
	id := contact.EscalationID(in.HandoffID, in.Level)
	if _, err := a.handoffStore().RecordEscalation(ctx, handoffs.Escalation{ID: id, ContactID: in.ContactID,
		HandoffID: in.HandoffID, Level: in.Level, Reason: in.Reason, Deadline: in.Deadline}); err != nil {
		return retryable(err)
	}
	c, err := a.contactStore().Contact(ctx, in.ContactID)
	if err != nil {
		return retryable(err)
	}
	title := fmt.Sprintf("[%s] Escalation level %d: %s", in.Priority, in.Level, in.Reason)
	sum := ""
	if len(c.Transcript) > 0 {
		sum = c.Transcript[len(c.Transcript)-1].Text
	}
	if err := a.push(ctx, Notification{Key: id, Priority: in.Priority, Level: in.Level, Title: title,
		Summary: sum, ContactURL: a.contactURL(in.ContactID)}); err != nil {
		return err
	}
	return retryable(a.handoffStore().MarkNotified(ctx, id, time.Now()))
}

// NotifyInput is an immediate supervisor push (P1, VIP).
type NotifyInput struct {
	ContactID, Priority, Reason, Intent, Summary string
	Level                                        int
	VIP                                          bool
}

// NotifySupervisor pushes an urgent contact to the supervisors at once.
func (a *Activities) NotifySupervisor(ctx context.Context, in NotifyInput) error {
	who := ""
	if in.VIP {
		who = " VIP"
	}
	return a.push(ctx, Notification{Key: "urgent/" + in.ContactID, Priority: in.Priority, Level: in.Level,
		Title:   fmt.Sprintf("[%s]%s urgent contact: %s", in.Priority, who, in.Intent),
		Summary: in.Summary, ContactURL: a.contactURL(in.ContactID)})
}

func (a *Activities) push(ctx context.Context, n Notification) error {
	if err := a.Notifier.Notify(ctx, n); err != nil {
		if a.Notifier.IsPermanent(err) {
			a.Log.Error("supervisor notification refused permanently; check HARBORDESK_DINGTALK_WEBHOOK/SECRET", "key", n.Key)
			return temporal.NewNonRetryableApplicationError("notifier refused the push", ErrPermanent, nil)
		}
		return retryable(err)
	}
	return nil
}

func (a *Activities) contactURL(id string) string {
	return a.PublicURL + "/console/#/contacts/" + id
}

// RecordReopen puts the handoff of an agent who stayed silent past the SLA
// target back in the queue and audits it as "reopened_inactive".
func (a *Activities) RecordReopen(ctx context.Context, in ClaimInput) error {
	return retryable(a.handoffStore().RecordReopen(ctx, in.ContactID, in.HandoffID, in.Agent, in.At))
}

// TransferInput records a handoff handed from one agent to another.
type TransferInput struct {
	ContactID, HandoffID string
	From, To, By         string // From is "" when a supervisor assigns an open handoff
	At                   time.Time
}

// RecordTransfer stores the new owner of a handoff and audits who moved it.
func (a *Activities) RecordTransfer(ctx context.Context, in TransferInput) error {
	return retryable(a.handoffStore().RecordTransfer(ctx, handoffs.Transfer{ContactID: in.ContactID, HandoffID: in.HandoffID,
		From: in.From, To: in.To, By: in.By, At: in.At}))
}

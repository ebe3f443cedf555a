package workflows

import (
	"errors"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
)

// A turn that fails for good never blocks a conversation.

// ReasonProcessingFailed is the handoff reason for a customer message the
// desk could not process (a permanent error, a bug, retries exhausted).
const ReasonProcessingFailed = "processing_failed"

// failedText stands in for the customer's words in the record of a failed
// turn: they may be what the database refused.
const failedText = "[message could not be processed]"

// turnFailed runs when process gives up on message m with cause. Instead of
// failing the workflow (and with it every later message), it records the
// message without its text, tells the customer a person will follow up and
// opens a handoff with reason processing_failed; if a person already owns
// the contact, the placeholder is recorded for them. Only the workflow's own
// cancellation is passed on. Contacts whose histories predate this change
// keep failing as before (GetVersion).
func (s *contactState) turnFailed(ctx workflow.Context, m contact.Inbound, cause error) error {
	if temporal.IsCanceledError(cause) || ctx.Err() != nil {
		return cause
	}
	if !s.changed(ctx, versionPoisonTurn) {
		return cause
	}
	workflow.GetLogger(ctx).Warn("customer message failed for good; handing the contact to a person",
		"contact_id", s.p.ContactID, "error_type", failureType(cause))

	r := contact.Reading{Language: s.language, Script: s.script, Intent: "other", Priority: "P2", MaskedText: failedText}
	if s.priority == "" || r.Priority < s.priority {
		s.priority = r.Priority
	}
	turn := activities.TurnInput{Params: s.paramsForActivity(), MessageID: m.MessageID, Kind: m.Kind,
		ReceivedAt: m.ReceivedAt, Reading: r, ReplyTo: s.replyTo, LastInbound: s.lastIn}
	open := s.handoff != nil && s.handoff.State != contact.HandoffResolved
	if !open {
		s.handoffs++
		turn.Handoff = &contact.Handoff{ID: contact.HandoffID(s.p.ContactID, s.handoffs), State: contact.HandoffOpen,
			Priority: s.priority, Reason: ReasonProcessingFailed, OpenedAt: workflow.Now(ctx)}
		if !s.optedOut {
			// The usual "a colleague will follow up" words; without them the
			// handoff still opens.
			var d activities.Draft
			if err := workflow.ExecuteLocalActivity(localCtx(ctx), a.Compose, activities.ComposeInput{
				ContactID: s.p.ContactID, CustomerID: s.p.CustomerID, Reading: r, Now: workflow.Now(ctx),
				Want: activities.WantHandoff}).Get(ctx, &d); err == nil && d.Text != "" {
				reply := s.botReply(activities.WantHandoff, d.Kind, d.Text)
				reply.Locale = d.Locale
				turn.Replies = append(turn.Replies, reply)
			}
		}
	}
	var res activities.TurnResult
	if err := workflow.ExecuteActivity(turnCtx(ctx), a.RecordTurn, turn).Get(ctx, &res); err != nil {
		if temporal.IsCanceledError(err) {
			return err
		}
		// Not even the placeholder could be recorded: serve the next message.
		workflow.GetLogger(ctx).Error("could not record a failed turn", "contact_id", s.p.ContactID,
			"error_type", failureType(err))
		return nil
	}
	if h := turn.Handoff; h != nil {
		if res.HandoffPriority != "" {
			h.Priority = res.HandoffPriority
		}
		s.handoff, s.escalated, s.paused = h, 0, 0
		s.startEscalation(ctx)
		s.startRouting(ctx)
	}
	return nil
}

// failureType names a failure for the log without its message (which may
// quote customer data).
func failureType(err error) string {
	var ae *temporal.ApplicationError
	switch {
	case errors.As(err, &ae) && ae.Type() != "":
		return ae.Type()
	case temporal.IsTimeoutError(err):
		return "timeout"
	case temporal.IsPanicError(err):
		return "panic"
	}
	return "other"
}

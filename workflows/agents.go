package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
)

// Agents' Updates: claim, reply, release, transfer, resolve — with validators.

func (s *contactState) validateClaim(ctx workflow.Context, req contact.ClaimRequest) error {
	switch {
	case s.handoff == nil || s.handoff.ID != req.HandoffID:
		return temporal.NewApplicationError("no such handoff", "not_found")
	case s.handoff.State == contact.HandoffClaimed:
		return temporal.NewApplicationError("handoff already claimed", "conflict")
	case s.handoff.State == contact.HandoffAssigned && s.handoff.Agent != req.Agent:
		return temporal.NewApplicationError("handoff is assigned to another agent", "conflict")
	case !s.handoff.Waiting():
		return temporal.NewApplicationError("handoff is "+s.handoff.State, "conflict")
	case req.Agent == "":
		return temporal.NewApplicationError("agent identity missing", "invalid")
	}
	return nil
}

func (s *contactState) claim(ctx workflow.Context, req contact.ClaimRequest) (contact.Handoff, error) {
	// State changes before the first await, so a second claim's validator,
	// which runs after this handler yields, sees the handoff as claimed.
	s.handoff.State, s.handoff.Agent, s.handoff.AssignedAt = contact.HandoffClaimed, req.Agent, time.Time{}
	s.owedSince = workflow.Now(ctx)
	if s.escCancel != nil {
		s.escCancel()
	}
	err := workflow.ExecuteActivity(actCtx(ctx), a.RecordClaim, activities.ClaimInput{
		ContactID: s.p.ContactID, HandoffID: req.HandoffID, Agent: req.Agent, At: s.owedSince}).Get(ctx, nil)
	if err == nil && s.handoff.State == contact.HandoffClaimed && s.handoff.Agent == req.Agent {
		s.watchAgent(ctx)
	}
	return *s.handoff, err
}

func (s *contactState) validateOwned(handoffID, agent string) error {
	switch {
	case s.handoff == nil || s.handoff.ID != handoffID:
		return temporal.NewApplicationError("no such handoff", "not_found")
	case s.handoff.State == contact.HandoffResolved:
		return temporal.NewApplicationError("handoff is resolved", "conflict")
	case s.handoff.State != contact.HandoffClaimed:
		return temporal.NewApplicationError("claim the handoff first", "conflict")
	case s.handoff.Agent != agent:
		return temporal.NewApplicationError("handoff is claimed by another agent", "conflict")
	}
	return nil
}

func (s *contactState) validateAgentReply(ctx workflow.Context, req contact.ReplyRequest) error {
	if req.Text == "" {
		return temporal.NewApplicationError("text is empty", "invalid")
	}
	return s.validateOwned(req.HandoffID, req.Agent)
}

func (s *contactState) agentReply(ctx workflow.Context, req contact.ReplyRequest) error {
	// The agent answered: the inactivity timer stops (its condition sees
	// owedSince change) and, if they asked something, so does the SLA clock.
	s.owedSince = time.Time{}
	if s.idleCancel != nil {
		s.idleCancel()
	}
	if req.AwaitCustomer {
		s.pauseClock(ctx)
	}
	s.turn++
	key := fmt.Sprintf("agent/%d", s.turn)
	if req.MessageID != "" {
		key = "agent/" + req.MessageID
	}
	return s.deliverOne(ctx, contact.Reply{Key: key, Author: contact.AuthorAgent, Agent: req.Agent, Kind: contact.KindAnswer, Text: req.Text})
}

func (s *contactState) validateRelease(ctx workflow.Context, req contact.ClaimRequest) error {
	return s.validateOwned(req.HandoffID, req.Agent)
}

func (s *contactState) release(ctx workflow.Context, req contact.ClaimRequest) error {
	s.handoff.State, s.handoff.Agent = contact.HandoffOpen, ""
	s.restartClock(ctx)
	if err := workflow.ExecuteActivity(actCtx(ctx), a.RecordRelease, activities.ClaimInput{
		ContactID: s.p.ContactID, HandoffID: req.HandoffID, Agent: req.Agent, At: workflow.Now(ctx)}).Get(ctx, nil); err != nil {
		return err
	}
	s.startEscalation(ctx)
	s.startRouting(ctx, req.Agent)
	return nil
}

func (s *contactState) validateResolve(ctx workflow.Context, req contact.ResolveRequest) error {
	if s.handoff != nil && s.handoff.ID == req.HandoffID && s.handoff.Waiting() {
		if !req.Supervisor {
			return temporal.NewApplicationError("closing a handoff nobody has claimed needs a supervisor", "forbidden")
		}
		return nil // a supervisor may close an unclaimed handoff
	}
	return s.validateOwned(req.HandoffID, req.Agent)
}

func (s *contactState) resolve(ctx workflow.Context, req contact.ResolveRequest) error {
	s.handoff.State = contact.HandoffResolved
	s.resolved = true
	s.owedSince, s.pausedSince = time.Time{}, time.Time{}
	if s.escCancel != nil {
		s.escCancel()
	}
	if s.idleCancel != nil {
		s.idleCancel()
	}
	var survey string
	if err := workflow.ExecuteActivity(actCtx(ctx), a.Resolve, activities.ResolveInput{
		ContactID: s.p.ContactID, HandoffID: req.HandoffID, Agent: req.Agent, Params: s.paramsForActivity(),
		Resolution: req.Resolution, Code: req.Code, At: workflow.Now(ctx), Language: s.language, Script: s.script,
	}).Get(ctx, &survey); err != nil {
		return err
	}
	if s.optedOut {
		return nil
	}
	s.awaitCSAT = true
	return s.deliverOne(ctx, s.botReply("survey", contact.KindSurvey, survey))
}

func (s *contactState) validateTransfer(ctx workflow.Context, req contact.TransferRequest) error {
	h := s.handoff
	switch {
	case h == nil || h.ID != req.HandoffID:
		return temporal.NewApplicationError("no such handoff", "not_found")
	case req.Agent == "" || req.To == "":
		return temporal.NewApplicationError("agent identity and target agent are required", "invalid")
	case h.State == contact.HandoffResolved:
		return temporal.NewApplicationError("handoff is resolved", "conflict")
	case h.State == contact.HandoffClaimed && h.Agent == req.To:
		return temporal.NewApplicationError("handoff is already with that agent", "conflict")
	case req.Supervisor:
		return nil // a supervisor may hand over (or assign) any handoff
	case h.State != contact.HandoffClaimed:
		return temporal.NewApplicationError("claim the handoff first", "conflict")
	case h.Agent != req.Agent:
		return temporal.NewApplicationError("only the claiming agent or a supervisor may transfer", "forbidden")
	}
	return nil
}

// transfer gives the handoff to req.To. The new agent owes the customer an
// answer if the handoff was waiting for one (open, or the previous agent
// owed it), so the inactivity timer restarts for them from now.
func (s *contactState) transfer(ctx workflow.Context, req contact.TransferRequest) (contact.Handoff, error) {
	h := s.handoff
	from, wasOpen := h.Agent, h.State != contact.HandoffClaimed // open or assigned: nobody had it yet
	h.State, h.Agent, h.AssignedAt = contact.HandoffClaimed, req.To, time.Time{}
	if s.escCancel != nil {
		s.escCancel()
	}
	now := workflow.Now(ctx)
	owed := wasOpen || !s.owedSince.IsZero()
	s.owedSince = time.Time{}
	if s.idleCancel != nil {
		s.idleCancel()
	}
	err := workflow.ExecuteActivity(actCtx(ctx), a.RecordTransfer, activities.TransferInput{
		ContactID: s.p.ContactID, HandoffID: h.ID, From: from, To: req.To, By: req.Agent, At: now}).Get(ctx, nil)
	if err == nil && owed && s.handoff == h && h.State == contact.HandoffClaimed && h.Agent == req.To {
		s.owedSince = now
		s.watchAgent(ctx)
	}
	return *h, err
}

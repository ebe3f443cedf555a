// Package workflows holds Harbordesk's Temporal workflows. ContactWorkflow is
// one durable conversation with one customer: it reads every message, answers
// from the knowledge base or hands off to a person, keeps the ticket current,
// runs the SLA escalation timers and takes agents' claims, replies and
// resolutions as Updates. Workflow code only decides and waits; every side
// effect is an activity.
package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
)

// maxTurns bounds history: after this many processed messages the workflow
// continues as new with its state carried over.
const maxTurns = 100

// csatWindow is how long a resolved contact waits for the survey answer.
const csatWindow = 24 * time.Hour

var a *activities.Activities

// ContactWorkflow runs one customer conversation.
func ContactWorkflow(ctx workflow.Context, p contact.Params) error {
	s := newContactState(p)
	if err := s.register(ctx); err != nil {
		return err
	}
	return s.run(ctx)
}

type contactState struct {
	p         contact.Params
	seen      map[string]bool
	seenOrder []string
	queue     []contact.Inbound
	handoff   *contact.Handoff
	turn      int
	handoffs  int
	optedOut  bool
	priority  string
	language  string
	script    string
	vip       bool
	awaitCSAT bool
	resolved  bool
	processed int
	lastIn    time.Time
	replyTo   contact.ReplyTo

	escCancel workflow.CancelFunc
	escalated int // highest ladder level pushed for the current handoff

	// The SLA clock of the open handoff stops while an agent waits on the
	// customer: pausedSince is when the current pause began (zero while the
	// clock runs) and paused the pause accumulated since the handoff
	// (re)opened, in the priority's own clock.
	pausedSince time.Time
	paused      time.Duration
	// owedSince is when the claiming agent started owing the customer an
	// answer (the claim, or a customer message after the agent's last
	// reply); zero while the agent owes nothing.
	owedSince  time.Time
	idleCancel workflow.CancelFunc

	// Routing of the waiting handoff (see routing.go): routeWake counts
	// presence changes, away holds agents who went away or offline.
	routeCancel workflow.CancelFunc
	routeWake   int
	away        map[string]bool
}

// Change IDs for workflow.GetVersion: every change to the command sequence
// of a running contact is gated so recorded histories replay unchanged.
const (
	versionSLAPause        = "sla-pause"
	versionAgentInactivity = "agent-inactivity"
	versionPoisonTurn      = "poison-turn"
	versionDiscardAudio    = "discard-audio"
	versionDecide          = "decide"
	// versionLocalLookups runs AssignAgent and LookupOrder as local
	// activities: a quick database pick and a CRM call bounded to seconds
	// need no activity task of their own (one server round trip fewer per
	// handoff and per order question).
	versionLocalLookups = "local-lookups"
	// versionInlinePush sends a turn's urgent supervisor push from
	// RecordTurn, once the customer's reply is out; the NotifySupervisor
	// activity only retries a push RecordTurn could not make (an activity
	// task, its completion and one more workflow task fewer per P1 turn).
	versionInlinePush = "inline-push"
)

// changeRev is the revision from which a change is on for a contact from its
// first event; changes before revisions counted are in revision 2.
func changeRev(changeID string) int {
	switch changeID {
	case versionLocalLookups:
		return 3
	case versionInlinePush:
		return 4
	default:
		return 2
	}
}

// changed reports whether the workflow change changeID applies to this
// contact. Contacts started under the change's revision (changeRev) or later
// have it from their first event and ask nothing of history. Older ones ask
// GetVersion:
// a history recorded before the change replays without it, and a running
// old contact takes it from its next decision on. (Each first GetVersion of
// a run records a marker and upserts the TemporalChangeVersion search
// attribute — a visibility write per contact per change — which is why new
// contacts skip it.)
func (s *contactState) changed(ctx workflow.Context, changeID string) bool {
	if s.p.Rev >= changeRev(changeID) {
		return true
	}
	return workflow.GetVersion(ctx, changeID, workflow.DefaultVersion, 1) != workflow.DefaultVersion
}

func newContactState(p contact.Params) *contactState {
	s := &contactState{p: p, seen: map[string]bool{}, away: map[string]bool{}}
	if c := p.Carry; c != nil {
		for _, id := range c.Seen {
			s.markSeen(id)
		}
		s.handoff, s.turn, s.handoffs = c.Handoff, c.Turn, c.Handoffs
		s.optedOut, s.priority, s.vip = c.OptedOut, c.Priority, c.VIP
		s.language, s.script = c.Language, c.Script
		s.awaitCSAT, s.resolved, s.lastIn, s.replyTo = c.AwaitingCSAT, c.Resolved, c.LastInbound, c.ReplyTo
		s.queue = append(s.queue, c.Pending...)
		s.escalated = c.Escalated
		s.paused, s.pausedSince, s.owedSince = c.SLAPaused, c.PausedSince, c.OwedSince
	}
	return s
}

// seenLimit bounds the dedupe memory carried across continue-as-new; channel
// redeliveries arrive within minutes, not thousands of messages later.
const seenLimit = 500

func (s *contactState) markSeen(id string) {
	if s.seen[id] {
		return
	}
	s.seen[id] = true
	s.seenOrder = append(s.seenOrder, id)
	if len(s.seenOrder) > seenLimit {
		delete(s.seen, s.seenOrder[0])
		s.seenOrder = s.seenOrder[1:]
	}
}

// register wires the signal, the query and the agents' Updates in one place.
func (s *contactState) register(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, contact.QueryState, func() (contact.State, error) {
		return contact.State{ContactID: s.p.ContactID, Handoff: s.handoff, OptedOut: s.optedOut,
			Priority: s.priority, Processed: s.processed, AwaitingCSAT: s.awaitCSAT}, nil
	}); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, contact.UpdateClaim, s.claim,
		workflow.UpdateHandlerOptions{Validator: s.validateClaim}); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, contact.UpdateReply, s.agentReply,
		workflow.UpdateHandlerOptions{Validator: s.validateAgentReply}); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, contact.UpdateRelease, s.release,
		workflow.UpdateHandlerOptions{Validator: s.validateRelease}); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, contact.UpdateResolve, s.resolve,
		workflow.UpdateHandlerOptions{Validator: s.validateResolve}); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, contact.UpdateTransfer, s.transfer,
		workflow.UpdateHandlerOptions{Validator: s.validateTransfer}); err != nil {
		return err
	}
	presence := workflow.GetSignalChannel(ctx, contact.SignalPresence)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var pc contact.PresenceChange
			if !presence.Receive(ctx, &pc) {
				return
			}
			s.presenceChanged(pc)
		}
	})
	ch := workflow.GetSignalChannel(ctx, contact.SignalMessage)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var m contact.Inbound
			if !ch.Receive(ctx, &m) {
				return
			}
			s.queue = append(s.queue, m)
		}
	})
	return nil
}

func (s *contactState) run(ctx workflow.Context) error {
	if s.handoff != nil && s.handoff.State != contact.HandoffResolved {
		s.startEscalation(ctx)
	}
	if s.handoff.Waiting() {
		s.startRouting(ctx)
	}
	signals := workflow.GetSignalChannel(ctx, contact.SignalMessage)
	for {
		// Take what is already delivered before deciding to wait, so a new
		// contact's first task starts no idle timer it would only abandon.
		for {
			var m contact.Inbound
			if !signals.ReceiveAsync(&m) {
				break
			}
			s.queue = append(s.queue, m)
		}
		for len(s.queue) > 0 {
			m := s.queue[0]
			s.queue = s.queue[1:]
			if err := s.process(ctx, m); err != nil {
				if err := s.turnFailed(ctx, m, err); err != nil {
					return err
				}
			}
		}
		if s.processed >= maxTurns || workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			return s.continueAsNew(ctx)
		}
		wait := s.p.IdleTimeout
		if s.awaitCSAT {
			wait = csatWindow
		}
		open := s.handoff != nil && s.handoff.State != contact.HandoffResolved
		var timedOut bool
		if open {
			// A person owes this customer an answer: no idle close.
			if err := workflow.Await(ctx, func() bool { return len(s.queue) > 0 || s.handoffClosed() }); err != nil {
				return err
			}
		} else {
			// The resolve Update sets awaitCSAT only after its activity, while
			// this loop is already waiting IdleTimeout: restart the wait then.
			csat := s.awaitCSAT
			ok, err := workflow.AwaitWithTimeout(ctx, wait, func() bool {
				return len(s.queue) > 0 || s.awaitCSAT != csat
			})
			if err != nil {
				return err
			}
			if ok && len(s.queue) == 0 {
				continue // the survey went out while we waited: wait csatWindow from now
			}
			timedOut = !ok
		}
		if timedOut {
			return s.finish(ctx)
		}
	}
}

func (s *contactState) handoffClosed() bool {
	return s.handoff == nil || s.handoff.State == contact.HandoffResolved
}

// finish closes an idle contact: a bot-settled ticket is resolved (first
// contact resolution), a surveyed one just ends.
func (s *contactState) finish(ctx workflow.Context) error {
	if !s.resolved {
		if err := workflow.ExecuteActivity(actCtx(ctx), a.CloseIdle, activities.CloseInput{
			Params: s.paramsForActivity(), At: workflow.Now(ctx)}).Get(ctx, nil); err != nil {
			return err
		}
	}
	return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

func (s *contactState) continueAsNew(ctx workflow.Context) error {
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return err
	}
	p := s.p
	// The next run has no history yet: it starts under the current
	// revision, whatever this one started under.
	p.Rev = contact.RevCurrent
	p.Carry = &contact.Carry{Seen: s.seenOrder, Handoff: s.handoff, Turn: s.turn, Handoffs: s.handoffs,
		OptedOut: s.optedOut, Priority: s.priority, Language: s.language, Script: s.script, VIP: s.vip,
		AwaitingCSAT: s.awaitCSAT, Resolved: s.resolved, LastInbound: s.lastIn, ReplyTo: s.replyTo,
		Escalated: s.escalated, Pending: s.queue,
		SLAPaused: s.paused, PausedSince: s.pausedSince, OwedSince: s.owedSince}
	// Messages that arrived while the handlers finished are already in the
	// queue (the receiving goroutine drained the channel): they travel with
	// the carried state and are the next run's first turns.
	return workflow.NewContinueAsNewError(ctx, ContactWorkflow, p)
}

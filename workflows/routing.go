package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
)

// Routing: a waiting handoff is offered to one eligible agent (assigned);
// the assignee claims it, or loses it to the next eligible agent when they
// go offline or let HARBORDESK_ASSIGN_TIMEOUT pass. With nobody eligible it
// waits in the open queue (the SLA ladder runs either way) until someone
// comes online. Who is eligible is routing.Pick's decision, read and
// recorded by the AssignAgent activity; when, and what happens next, is
// decided here with durable timers.

// versionRouting gates routing (GetVersion) for contacts started before it.
const versionRouting = "agent-routing"

// requeueEvery is how often a handoff nobody could take asks again, in
// case a presence or capacity signal went missing.
const requeueEvery = 5 * time.Minute

func (s *contactState) assignTimeout() time.Duration {
	if s.p.AssignTimeout > 0 {
		return s.p.AssignTimeout
	}
	return contact.DefaultAssignTimeout
}

// startRouting runs the routing loop of the current handoff, skipping the
// agents in exclude (one who just released it).
func (s *contactState) startRouting(ctx workflow.Context, exclude ...string) {
	if !s.changed(ctx, versionRouting) {
		return
	}
	if s.routeCancel != nil {
		s.routeCancel()
	}
	h := s.handoff
	rctx, cancel := workflow.WithCancel(ctx)
	s.routeCancel = cancel
	workflow.Go(rctx, func(ctx workflow.Context) { s.route(ctx, h, exclude) })
}

func (s *contactState) route(ctx workflow.Context, h *contact.Handoff, exclude []string) {
	waiting := func() bool { return s.handoff == h && h.Waiting() }
	for waiting() {
		if h.State == contact.HandoffAssigned {
			agent := h.Agent
			left := func() bool { return s.away[agent] }
			moved := false
			if d := h.AssignedAt.Add(s.assignTimeout()).Sub(workflow.Now(ctx)); d > 0 {
				var err error
				moved, err = workflow.AwaitWithTimeout(ctx, d, func() bool {
					return !waiting() || h.State != contact.HandoffAssigned || h.Agent != agent || left()
				})
				if err != nil {
					return // cancelled: a newer routing loop took over
				}
			}
			if !waiting() {
				return
			}
			if moved && !left() {
				continue // handed to someone else meanwhile: look again
			}
			if !left() {
				exclude = append(exclude, agent) // timed out: the next agent's turn
			}
		}
		if s.assign(ctx, h, exclude) {
			continue
		}
		if !waiting() {
			return
		}
		// Nobody eligible: wait in the open queue for a presence change, a
		// claim or the periodic look.
		wake := s.routeWake
		if _, err := workflow.AwaitWithTimeout(ctx, requeueEvery, func() bool {
			return !waiting() || h.State != contact.HandoffOpen || s.routeWake != wake
		}); err != nil {
			return
		}
	}
}

// assign asks AssignAgent for an agent and records the answer in the
// handoff; it reports whether the handoff is now assigned.
func (s *contactState) assign(ctx workflow.Context, h *contact.Handoff, exclude []string) bool {
	at := workflow.Now(ctx).Truncate(time.Microsecond)
	var login string
	in := activities.AssignInput{ContactID: s.p.ContactID, HandoffID: h.ID, Language: s.language, Exclude: exclude, At: at}
	var f workflow.Future
	if s.changed(ctx, versionLocalLookups) {
		// A failed pick leaves the handoff in the queue until the next wake.
		f = workflow.ExecuteLocalActivity(lookupCtx(ctx, assignWindow), a.AssignAgent, in)
	} else {
		f = workflow.ExecuteActivity(actCtx(ctx), a.AssignAgent, in)
	}
	err := f.Get(ctx, &login)
	if err != nil || s.handoff != h || !h.Waiting() {
		return false // claimed, resolved or cancelled meanwhile: nothing to record
	}
	if login == "" {
		h.State, h.Agent, h.AssignedAt = contact.HandoffOpen, "", time.Time{}
		return false
	}
	h.State, h.Agent, h.AssignedAt = contact.HandoffAssigned, login, at
	return true
}

// presenceChanged is the SignalPresence handler: an assignee who left loses
// their handoff; someone coming online, or with a handoff off their hands,
// wakes a handoff waiting in the queue.
func (s *contactState) presenceChanged(pc contact.PresenceChange) {
	switch pc.Status {
	case contact.PresenceOnline:
		delete(s.away, pc.Agent)
	case contact.PresenceCapacity:
	default:
		s.away[pc.Agent] = true
	}
	s.routeWake++
}

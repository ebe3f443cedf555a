package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/sla"
)

// SLA clocks and escalation ladders of the open handoff, as durable timers.

func (s *contactState) policy() sla.Policy {
	p, err := sla.ParsePolicy(s.p.SLA)
	if err != nil {
		return sla.DefaultPolicy()
	}
	return p
}

// startEscalation runs the SLA ladder of the open handoff as durable timers:
// each level fires only if no agent has claimed the handoff by then. While
// the SLA clock is paused (an agent waits on the customer) nothing fires;
// when the customer answers, the ladder is rebuilt with the pause added.
func (s *contactState) startEscalation(ctx workflow.Context) {
	if s.escCancel != nil {
		s.escCancel()
	}
	h := s.handoff
	escCtx, cancel := workflow.WithCancel(ctx)
	s.escCancel = cancel
	if !s.changed(ctx, versionSLAPause) {
		ladder := s.policy().Ladder(h.Priority, h.OpenedAt, 0)
		workflow.Go(escCtx, func(ctx workflow.Context) { s.runLadder(ctx, h, ladder) })
		return
	}
	workflow.Go(escCtx, func(ctx workflow.Context) { s.runPausableLadder(ctx, h) })
}

// runLadder is the ladder of contacts started before the SLA pause existed.
func (s *contactState) runLadder(ctx workflow.Context, h *contact.Handoff, ladder []sla.Level) {
	for _, lv := range ladder {
		if lv.Level <= s.escalated {
			continue // pushed before this run continued as new
		}
		d := lv.At.Sub(workflow.Now(ctx))
		if d > 0 {
			acted, err := workflow.AwaitWithTimeout(ctx, d, func() bool { return s.handoff != h || !h.Waiting() })
			if err != nil || acted {
				return
			}
		}
		if s.handoff != h || !h.Waiting() {
			return
		}
		if !s.escalate(ctx, h, lv) {
			return
		}
	}
}

// runPausableLadder waits out pauses and rebuilds the ladder from the
// handoff's opening with the accumulated pause each time the clock resumes.
// Without a pause it schedules exactly the timers runLadder does.
func (s *contactState) runPausableLadder(ctx workflow.Context, h *contact.Handoff) {
	// An assigned handoff is still waiting: its ladder runs until a claim.
	gone := func() bool { return s.handoff != h || !h.Waiting() }
	for !gone() {
		if s.clockPaused() {
			if err := workflow.Await(ctx, func() bool { return gone() || !s.clockPaused() }); err != nil {
				return
			}
			continue
		}
		lv, ok := nextLevel(s.policy().Ladder(h.Priority, h.OpenedAt, s.paused), s.escalated)
		if !ok {
			return
		}
		if d := lv.At.Sub(workflow.Now(ctx)); d > 0 {
			woke, err := workflow.AwaitWithTimeout(ctx, d, func() bool { return gone() || s.clockPaused() })
			if err != nil {
				return
			}
			if woke {
				continue // claimed, resolved or paused: look again
			}
		}
		if !s.escalate(ctx, h, lv) {
			return
		}
	}
}

func nextLevel(ladder []sla.Level, done int) (sla.Level, bool) {
	for _, lv := range ladder {
		if lv.Level > done {
			return lv, true
		}
	}
	return sla.Level{}, false
}

func (s *contactState) escalate(ctx workflow.Context, h *contact.Handoff, lv sla.Level) bool {
	err := workflow.ExecuteActivity(actCtx(ctx), a.Escalate, activities.EscalateInput{
		ContactID: s.p.ContactID, HandoffID: h.ID, Level: lv.Level, Reason: lv.Reason,
		Deadline: lv.At, Priority: h.Priority,
	}).Get(ctx, nil)
	if err != nil {
		return false
	}
	s.escalated = lv.Level
	return true
}

func (s *contactState) clockPaused() bool { return !s.pausedSince.IsZero() }

// pauseClock stops the SLA clock: the agent asked the customer something.
func (s *contactState) pauseClock(ctx workflow.Context) {
	if !s.clockPaused() {
		s.pausedSince = workflow.Now(ctx)
	}
}

// customerSpoke resumes a paused SLA clock (adding the pause, measured in
// the priority's clock, to the ladder) and, on a claimed handoff, makes the
// agent owe an answer again.
func (s *contactState) customerSpoke(ctx workflow.Context) {
	h := s.handoff
	if h == nil || h.State == contact.HandoffResolved {
		s.pausedSince = time.Time{}
		return
	}
	now := workflow.Now(ctx)
	if s.clockPaused() {
		from := s.pausedSince
		if from.Before(h.OpenedAt) {
			from = h.OpenedAt // the clock restarted (release, re-open) during the pause
		}
		s.paused += s.policy().Elapsed(h.Priority, from, now)
		s.pausedSince = time.Time{}
	}
	if h.State == contact.HandoffClaimed && s.owedSince.IsZero() {
		s.owedSince = now
		s.watchAgent(ctx)
	}
}

// restartClock is the SLA clock of a handoff back in the queue (release,
// re-open): the ladder counts from now, with no pause accumulated.
func (s *contactState) restartClock(ctx workflow.Context) {
	s.handoff.OpenedAt = workflow.Now(ctx)
	s.escalated, s.paused, s.owedSince = 0, 0, time.Time{}
	if s.idleCancel != nil {
		s.idleCancel()
	}
}

// watchAgent re-opens the claimed handoff if its agent owes the customer an
// answer for longer than the priority's SLA target (a durable timer,
// cancelled as soon as the agent replies, releases, resolves or hands over).
func (s *contactState) watchAgent(ctx workflow.Context) {
	if !s.changed(ctx, versionAgentInactivity) {
		return
	}
	if s.idleCancel != nil {
		s.idleCancel()
	}
	h, agent, since := s.handoff, s.handoff.Agent, s.owedSince
	deadline := s.policy().Deadline(h.Priority, since)
	wctx, cancel := workflow.WithCancel(ctx)
	s.idleCancel = cancel
	still := func() bool {
		return s.handoff == h && h.State == contact.HandoffClaimed && h.Agent == agent && s.owedSince.Equal(since)
	}
	workflow.Go(wctx, func(wctx workflow.Context) {
		if d := deadline.Sub(workflow.Now(wctx)); d > 0 {
			acted, err := workflow.AwaitWithTimeout(wctx, d, func() bool { return !still() })
			if err != nil || acted {
				return
			}
		}
		if !still() {
			return
		}
		// Blocking calls must use this coroutine's context; the re-open is
		// recorded even if a new claim cancels this watcher meanwhile.
		rec, _ := workflow.NewDisconnectedContext(wctx)
		s.reopenInactive(rec, ctx, h, agent)
	})
}

// reopenInactive puts the handoff of a silent agent back in the queue and
// restarts its ladder from now. ctx is the calling coroutine's; the ladder
// hangs off parent so cancelling the watcher does not cancel it.
func (s *contactState) reopenInactive(ctx, parent workflow.Context, h *contact.Handoff, agent string) {
	h.State, h.Agent = contact.HandoffOpen, ""
	s.restartClock(ctx)
	s.startEscalation(parent)
	s.startRouting(parent, agent)
	if err := workflow.ExecuteActivity(actCtx(ctx), a.RecordReopen, activities.ClaimInput{
		ContactID: s.p.ContactID, HandoffID: h.ID, Agent: agent, At: workflow.Now(ctx)}).Get(ctx, nil); err != nil {
		workflow.GetLogger(ctx).Error("recording the re-open failed", "handoff", h.ID)
	}
}

func (s *contactState) notifySupervisor(ctx workflow.Context, r contact.Reading, level int, reason string) {
	// Fire and forget inside the workflow: the activity retries until DingTalk
	// takes it; the customer's reply does not wait for the push.
	workflow.ExecuteActivity(notifyCtx(ctx), a.NotifySupervisor, s.urgentPush(r, level, reason))
}

// urgentPush is the supervisor push about reading r of this contact.
func (s *contactState) urgentPush(r contact.Reading, level int, reason string) activities.NotifyInput {
	return activities.NotifyInput{ContactID: s.p.ContactID, Priority: r.Priority, Level: level, Reason: reason,
		Intent: r.Intent, Summary: r.MaskedText, VIP: s.vip}
}

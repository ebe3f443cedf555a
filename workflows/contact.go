// Package workflows holds Harbordesk's Temporal workflows. ContactWorkflow is
// one durable conversation with one customer: it reads every message, answers
// from the knowledge base or hands off to a person, keeps the ticket current,
// runs the SLA escalation timers and takes agents' claims, replies and
// resolutions as Updates. Workflow code only decides and waits; every side
// effect is an activity.
package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/sla"
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
}

// Change IDs for workflow.GetVersion: every change to the command sequence
// of a running contact is gated so recorded histories replay unchanged.
const (
	versionSLAPause        = "sla-pause"
	versionAgentInactivity = "agent-inactivity"
)

func newContactState(p contact.Params) *contactState {
	s := &contactState{p: p, seen: map[string]bool{}}
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
				return err
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

// process handles one customer message end to end: read it, decide, let
// Compose put the decision into words, then record and send the whole turn
// in one activity (one history round trip to the first reply).
func (s *contactState) process(ctx workflow.Context, m contact.Inbound) error {
	if s.seen[m.MessageID] {
		return nil // duplicate delivery: recorded once, answered once
	}
	s.markSeen(m.MessageID)
	s.processed++
	s.lastIn = m.ReceivedAt
	s.replyTo = m.ReplyTo
	s.customerSpoke(ctx)

	text, engine, voiceFail := m.Text, "", ""
	var arousal float64
	if m.Kind == "voice" {
		var tr activities.TranscribeResult
		err := workflow.ExecuteActivity(transcribeCtx(ctx), a.Transcribe, activities.TranscribeInput{
			ContactID: s.p.ContactID, AudioRef: m.AudioRef, AudioMIME: m.AudioMIME, LanguageHint: s.language,
		}).Get(ctx, &tr)
		if err != nil {
			voiceFail = voiceReason(err) // nothing to read: a person listens to it instead
		}
		text, engine, arousal = tr.Text, tr.Engine, tr.Arousal
	}

	var r contact.Reading
	if voiceFail != "" {
		r = contact.Reading{Language: s.language, Script: s.script, Intent: "other", Priority: "P2",
			MaskedText: "[voice message: " + voiceFail + "]"}
	} else if err := workflow.ExecuteLocalActivity(localCtx(ctx), a.Understand, activities.UnderstandInput{
		Text: text, Arousal: arousal, VIP: s.vip}).Get(ctx, &r); err != nil {
		return err
	}
	if s.language == "" || r.Confidence > 0 {
		s.language, s.script = r.Language, r.Script
	}
	if s.priority == "" || r.Priority < s.priority {
		s.priority = r.Priority
	}
	optOut := voiceFail == "" && contact.IsOptOut(text)
	score, isCSAT := 0, false
	if s.awaitCSAT && voiceFail == "" {
		score, isCSAT = contact.CSATScore(text)
	}

	want, reason := "", ""
	open := s.handoff != nil && s.handoff.State != contact.HandoffResolved
	switch {
	case optOut:
		s.optedOut, want = true, activities.WantOptOut
	case s.optedOut:
		// recorded only: the customer asked us not to write
	case isCSAT:
		s.awaitCSAT, want = false, activities.WantCSATThanks
	case open:
		// A person owns (or is about to own) this contact: the bot stays silent.
	case voiceFail != "":
		want, reason = activities.WantHandoff, voiceFail
	case s.p.Arm == "human":
		want, reason = activities.WantAck, "human_arm"
	default:
		want = activities.WantAuto
	}

	turn := activities.TurnInput{Params: s.paramsForActivity(), MessageID: m.MessageID, Kind: m.Kind, Engine: engine,
		ReceivedAt: m.ReceivedAt, Reading: r, OptOut: optOut, CSAT: score, ReplyTo: m.ReplyTo, LastInbound: s.lastIn}
	if want != "" {
		var d activities.Draft
		if err := workflow.ExecuteLocalActivity(localCtx(ctx), a.Compose, activities.ComposeInput{
			ContactID: s.p.ContactID, CustomerID: s.p.CustomerID, Reading: r, Now: workflow.Now(ctx), Want: want,
		}).Get(ctx, &d); err != nil {
			return err
		}
		if d.OrderNumber != "" {
			d = s.lookupOrder(ctx, r, d.OrderNumber)
		}
		if d.Text != "" {
			tag := d.Kind
			if want == activities.WantOptOut || want == activities.WantAck {
				tag = want
			}
			reply := s.botReply(tag, d.Kind, d.Text)
			reply.ArticleID, reply.Locale = d.ArticleID, d.Locale
			turn.Replies = append(turn.Replies, reply)
		}
		turn.TicketStatus = d.TicketStatus
		if d.Handoff && !open {
			if reason == "" {
				reason = d.Reason
			}
			s.handoffs++
			h := &contact.Handoff{ID: contact.HandoffID(s.p.ContactID, s.handoffs), State: contact.HandoffOpen,
				Priority: s.priority, Reason: reason, OpenedAt: workflow.Now(ctx)}
			if h.Priority == "" {
				h.Priority = "P3"
			}
			turn.Handoff = h
		}
	}

	var res activities.TurnResult
	if err := workflow.ExecuteActivity(actCtx(ctx), a.RecordTurn, turn).Get(ctx, &res); err != nil {
		return err
	}
	if res.VIP && !s.vip {
		s.vip = true
		if s.priority > "P2" {
			s.priority = "P2"
		}
	}
	if h := turn.Handoff; h != nil {
		if res.HandoffPriority != "" {
			h.Priority = res.HandoffPriority
		}
		s.handoff, s.escalated, s.paused = h, 0, 0
		s.startEscalation(ctx)
	}
	if r.Negative && !optOut && (r.Priority == "P1" || s.vip) {
		s.notifySupervisor(ctx, r, 0, "urgent")
	}
	return nil
}

// lookupOrder asks the CRM/ERP about an order. If the ERP stays down through
// the retries, the customer is told a colleague will check and the tracking
// ticket waits for the next shift: the message is never lost.
func (s *contactState) lookupOrder(ctx workflow.Context, r contact.Reading, order string) activities.Draft {
	var d activities.Draft
	err := workflow.ExecuteActivity(crmCtx(ctx), a.LookupOrder, activities.LookupInput{CustomerID: s.p.CustomerID,
		OrderNumber: order, Intent: r.Intent, Language: r.Language, Script: r.Script, Now: workflow.Now(ctx)}).Get(ctx, &d)
	if err == nil {
		return d
	}
	if err := workflow.ExecuteLocalActivity(localCtx(ctx), a.Compose, activities.ComposeInput{ContactID: s.p.ContactID,
		Reading: r, Now: workflow.Now(ctx), Want: activities.WantOrderCheck, Order: order}).Get(ctx, &d); err != nil {
		return activities.Draft{}
	}
	return d
}

func voiceReason(err error) string {
	var ae *temporal.ApplicationError
	if errors.As(err, &ae) && ae.Type() != "" && ae.Type() != "retryable" {
		return "voice_" + ae.Type()
	}
	return "voice_unreadable"
}

func (s *contactState) paramsForActivity() contact.Params {
	p := s.p
	p.Carry = nil
	return p
}

// botReply builds the next bot reply; its key is stable for this turn, so a
// retried delivery is recorded and sent once.
func (s *contactState) botReply(tag, kind, text string) contact.Reply {
	s.turn++
	return contact.Reply{Key: fmt.Sprintf("bot/%d/%s", s.turn, tag), Author: contact.AuthorBot, Kind: kind, Text: text}
}

// deliverOne sends a reply outside a customer turn (agent reply, survey).
func (s *contactState) deliverOne(ctx workflow.Context, r contact.Reply) error {
	return workflow.ExecuteActivity(actCtx(ctx), a.Deliver, activities.DeliverInput{
		Params: s.paramsForActivity(), Replies: []contact.Reply{r}, ReplyTo: s.replyTo, LastInbound: s.lastIn,
	}).Get(ctx, nil)
}

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
	if workflow.GetVersion(ctx, versionSLAPause, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
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
			acted, err := workflow.AwaitWithTimeout(ctx, d, func() bool { return s.handoff != h || h.State != contact.HandoffOpen })
			if err != nil || acted {
				return
			}
		}
		if s.handoff != h || h.State != contact.HandoffOpen {
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
	gone := func() bool { return s.handoff != h || h.State != contact.HandoffOpen }
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
	if workflow.GetVersion(ctx, versionAgentInactivity, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
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
	if err := workflow.ExecuteActivity(actCtx(ctx), a.RecordReopen, activities.ClaimInput{
		ContactID: s.p.ContactID, HandoffID: h.ID, Agent: agent, At: workflow.Now(ctx)}).Get(ctx, nil); err != nil {
		workflow.GetLogger(ctx).Error("recording the re-open failed", "handoff", h.ID)
	}
}

func (s *contactState) notifySupervisor(ctx workflow.Context, r contact.Reading, level int, reason string) {
	// Fire and forget inside the workflow: the activity retries until DingTalk
	// takes it; the customer's reply does not wait for the push.
	workflow.ExecuteActivity(notifyCtx(ctx), a.NotifySupervisor, activities.NotifyInput{
		ContactID: s.p.ContactID, Priority: r.Priority, Level: level, Reason: reason,
		Intent: r.Intent, Summary: r.MaskedText, VIP: s.vip,
	})
}

// --- agents' Updates -------------------------------------------------------

func (s *contactState) validateClaim(ctx workflow.Context, req contact.ClaimRequest) error {
	switch {
	case s.handoff == nil || s.handoff.ID != req.HandoffID:
		return temporal.NewApplicationError("no such handoff", "not_found")
	case s.handoff.State == contact.HandoffClaimed:
		return temporal.NewApplicationError("handoff already claimed", "conflict")
	case s.handoff.State != contact.HandoffOpen:
		return temporal.NewApplicationError("handoff is "+s.handoff.State, "conflict")
	case req.Agent == "":
		return temporal.NewApplicationError("agent identity missing", "invalid")
	}
	return nil
}

func (s *contactState) claim(ctx workflow.Context, req contact.ClaimRequest) (contact.Handoff, error) {
	// State changes before the first await, so a second claim's validator,
	// which runs after this handler yields, sees the handoff as claimed.
	s.handoff.State, s.handoff.Agent = contact.HandoffClaimed, req.Agent
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
	return nil
}

func (s *contactState) validateResolve(ctx workflow.Context, req contact.ResolveRequest) error {
	if s.handoff != nil && s.handoff.ID == req.HandoffID && s.handoff.State == contact.HandoffOpen {
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
	from, wasOpen := h.Agent, h.State == contact.HandoffOpen
	h.State, h.Agent = contact.HandoffClaimed, req.To
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

// --- activity options -------------------------------------------------------

func actCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 200 * time.Millisecond, BackoffCoefficient: 2,
			MaximumInterval: 30 * time.Second, NonRetryableErrorTypes: []string{activities.ErrPermanent}},
	})
}

func notifyCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    20 * time.Second,
		ScheduleToCloseTimeout: 24 * time.Hour,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2,
			MaximumInterval: time.Minute, NonRetryableErrorTypes: []string{activities.ErrPermanent}},
	})
}

// crmCtx bounds ERP lookups: a customer waits seconds, not minutes, before
// the tracking-ticket fallback.
func crmCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 300 * time.Millisecond, BackoffCoefficient: 2,
			MaximumInterval: 3 * time.Second, MaximumAttempts: 4, NonRetryableErrorTypes: []string{activities.ErrPermanent}},
	})
}

func transcribeCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		HeartbeatTimeout:    30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2,
			MaximumInterval: 30 * time.Second, MaximumAttempts: 5,
			NonRetryableErrorTypes: []string{activities.ErrPermanent, activities.ErrNoEngine, activities.ErrBadAudio}},
	})
}

func localCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: 10 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 100 * time.Millisecond, MaximumAttempts: 5},
	})
}

package workflows

import (
	"errors"
	"fmt"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/decide"
	"github.com/harbordesk/harbordesk/internal/priority"
)

// One customer message: read, decide, compose, record and send in one turn.

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
	if m.ReplyTo != (contact.ReplyTo{}) {
		s.replyTo = m.ReplyTo // a message without an address never clears the channel's
	}
	s.customerSpoke(ctx)

	voiceFail := ""
	if m.Media != nil {
		m, voiceFail = s.fetchMedia(ctx, m)
	}
	text, engine := m.Text, ""
	var arousal float64
	if m.Kind == "voice" && voiceFail == "" {
		var tr activities.TranscribeResult
		err := workflow.ExecuteActivity(transcribeCtx(ctx), a.Transcribe, activities.TranscribeInput{
			ContactID: s.p.ContactID, AudioRef: m.AudioRef, AudioMIME: m.AudioMIME, LanguageHint: s.language,
		}).Get(ctx, &tr)
		if err != nil {
			voiceFail = voiceReason(err) // nothing to read: a person takes the contact
			s.discardAudio(ctx, m.AudioRef)
		}
		text, engine, arousal = tr.Text, tr.Engine, tr.Arousal
	}

	var r contact.Reading
	if voiceFail != "" {
		r = contact.Reading{Language: s.language, Script: s.script, Intent: "other", Priority: "P2",
			MaskedText: "[voice message: " + voiceFail + "]"}
	} else if err := workflow.ExecuteLocalActivity(localCtx(ctx), a.Understand, activities.UnderstandInput{
		Text: text, Arousal: arousal}).Get(ctx, &r); err != nil {
		return err
	}
	switch {
	case r.Language == "":
		// Nothing to tell the language by (a sticker, emoji, an unreadable
		// voice note): the contact's language, if known, else the profile's
		// fallback locales.
		r.Language, r.Script = s.language, s.script
	case s.language == "" || r.Confidence > 0:
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

	open := s.handoff != nil && s.handoff.State != contact.HandoffResolved
	turn := activities.TurnInput{Params: s.paramsForActivity(), MessageID: m.MessageID, Kind: m.Kind, Engine: engine,
		ReceivedAt: m.ReceivedAt, Reading: r, OptOut: optOut, CSAT: score, ReplyTo: s.replyTo, LastInbound: s.lastIn}
	st := decide.State{HandoffOpen: open, OptedOut: s.optedOut, AwaitingCSAT: s.awaitCSAT, Arm: s.p.Arm, VIP: s.vip,
		OptOut: optOut, CSAT: score, VoiceFail: voiceFail}
	switch {
	case optOut:
		s.optedOut = true
	case isCSAT && !s.optedOut:
		s.awaitCSAT = false
	}
	var notify bool
	var err error
	legacy := !s.changed(ctx, versionDecide)
	if legacy {
		err = s.legacyDecision(ctx, &turn, st, isCSAT)
	} else {
		notify, err = s.decision(ctx, &turn, st)
	}
	if err != nil {
		return err
	}
	r = turn.Reading
	// A decided push goes out with the turn (RecordTurn sends it after the
	// reply); the activity below is only its retry.
	inline := notify && !legacy && s.changed(ctx, versionInlinePush)
	if inline {
		push := s.urgentPush(r, 0, "urgent")
		turn.Notify = &push
	}

	var res activities.TurnResult
	if err := workflow.ExecuteActivity(turnCtx(ctx), a.RecordTurn, turn).Get(ctx, &res); err != nil {
		return err
	}
	if res.VIP && !s.vip {
		s.vip = true
		s.priority = string(priority.Level(s.priority).ForVIP(true))
	}
	if h := turn.Handoff; h != nil {
		if !legacy {
			s.handoffs++
		}
		if res.HandoffPriority != "" {
			h.Priority = res.HandoffPriority
		}
		s.handoff, s.escalated, s.paused = h, 0, 0
		s.startEscalation(ctx)
		s.startRouting(ctx)
	}
	if legacy {
		// P1 (negative signal, threats) and VIP customers reach a supervisor
		// at once: a VIP's handoff is pushed even when the words are calm.
		urgent := r.Negative && (r.Priority == "P1" || s.vip)
		notify = !optOut && (urgent || (s.vip && turn.Handoff != nil))
	}
	if notify && !(inline && res.Notified) {
		s.notifySupervisor(ctx, r, 0, "urgent")
	}
	return nil
}

// decision asks package decide, through Compose (one local activity, so the
// decision is recorded in history and a playbook or profile change never
// alters a running contact's past), what to do with the message, and fills
// the turn: reply, ticket kind, status and priority, handoff. It reports
// whether a supervisor hears of it at once.
func (s *contactState) decision(ctx workflow.Context, turn *activities.TurnInput, st decide.State) (bool, error) {
	r := turn.Reading
	var d activities.Draft
	if err := workflow.ExecuteLocalActivity(localCtx(ctx), a.Compose, activities.ComposeInput{
		ContactID: s.p.ContactID, CustomerID: s.p.CustomerID, Reading: r, Now: workflow.Now(ctx),
		Want: activities.WantDecide, State: st,
	}).Get(ctx, &d); err != nil {
		return false, err
	}
	if p := priority.Level(d.Priority); p.Valid() {
		turn.Reading.Priority = d.Priority
		s.priority = string(priority.Max(priority.Level(s.priority), p))
	}
	turn.TicketKind, turn.Decided, turn.VIP = d.TicketKind, true, d.VIP
	s.vip = s.vip || d.VIP
	kind, handoff, reason, notify := d.Kind, d.Handoff, d.Reason, d.Notify
	if d.OrderNumber != "" {
		d = s.lookupOrder(ctx, r, d.OrderNumber)
	}
	if d.Text != "" {
		tag := d.Kind
		if st.OptOut {
			tag = activities.WantOptOut
		} else if kind == contact.KindAck {
			tag = activities.WantAck
		}
		reply := s.botReply(tag, d.Kind, d.Text)
		reply.ArticleID, reply.Locale = d.ArticleID, d.Locale
		turn.Replies = append(turn.Replies, reply)
	}
	turn.TicketStatus = d.TicketStatus
	if handoff && !st.HandoffOpen {
		// Counted once recorded (process): a turn that fails for good must
		// not use up the handoff number its processing_failed handoff takes.
		turn.Handoff = &contact.Handoff{ID: contact.HandoffID(s.p.ContactID, s.handoffs+1), State: contact.HandoffOpen,
			Priority: string(priority.Level(s.priority).Or(priority.HandoffDefault)), Reason: reason, OpenedAt: workflow.Now(ctx)}
	}
	return notify, nil
}

// legacyDecision is how contacts that began before package decide keep
// deciding (GetVersion "decide"): the workflow's own state switch, then
// Compose for the words.
func (s *contactState) legacyDecision(ctx workflow.Context, turn *activities.TurnInput, st decide.State, isCSAT bool) error {
	r := turn.Reading
	optOut, open, voiceFail := st.OptOut, st.HandoffOpen, st.VoiceFail
	want, reason := "", ""
	switch {
	case optOut:
		want = activities.WantOptOut
	case st.OptedOut:
		// recorded only: the customer asked us not to write
	case isCSAT:
		want = activities.WantCSATThanks
	case open:
		// A person owns (or is about to own) this contact: the bot stays silent.
	case voiceFail != "":
		want, reason = activities.WantHandoff, voiceFail
	case s.p.Arm == "human":
		want, reason = activities.WantAck, "human_arm"
	default:
		want = activities.WantAuto
	}

	if want != "" {
		var d activities.Draft
		if err := workflow.ExecuteLocalActivity(localCtx(ctx), a.Compose, activities.ComposeInput{
			ContactID: s.p.ContactID, CustomerID: s.p.CustomerID, Reading: r, Now: workflow.Now(ctx), Want: want, Reason: reason,
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
	return nil
}

// lookupOrder asks the CRM/ERP about an order. If the ERP stays down through
// the retries, the customer is told a colleague will check and the tracking
// ticket waits for the next shift: the message is never lost.
func (s *contactState) lookupOrder(ctx workflow.Context, r contact.Reading, order string) activities.Draft {
	var d activities.Draft
	in := activities.LookupInput{CustomerID: s.p.CustomerID,
		OrderNumber: order, Intent: r.Intent, Language: r.Language, Script: r.Script, Now: workflow.Now(ctx)}
	var f workflow.Future
	if s.changed(ctx, versionLocalLookups) {
		f = workflow.ExecuteLocalActivity(lookupCtx(ctx, crmWindow), a.LookupOrder, in)
	} else {
		f = workflow.ExecuteActivity(crmCtx(ctx), a.LookupOrder, in)
	}
	if err := f.Get(ctx, &d); err == nil {
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

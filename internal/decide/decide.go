// Package decide makes the one decision per customer message: from what was
// read, the contact's state, the intent's playbook and the business profile
// it says what the bot says (a profile text, a playbook template or a
// knowledge-base answer), the ticket's kind, status and priority, whether a
// person takes over and why, and whether a supervisor hears of it at once.
// It is pure and deterministic; the workflow reaches it through one local
// activity (activities.Compose), which records the decision in history.
package decide

import (
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/playbook"
	"github.com/harbordesk/harbordesk/internal/priority"
	"github.com/harbordesk/harbordesk/internal/profile"
)

// State is the contact as the message finds it, plus what the workflow
// established about the message itself.
type State struct {
	HandoffOpen  bool   // a person owns (or is about to own) the contact
	OptedOut     bool   // the customer asked us not to write (earlier)
	AwaitingCSAT bool   // the survey went out; a rating may come
	Arm          string // A/B arm: "ai" or "human"
	VIP          bool   // the CRM says so
	OptOut       bool   // this message asks to stop (STOP/取消)
	CSAT         int    // this message's rating 1-5 while AwaitingCSAT; 0 otherwise
	VoiceFail    string // why the voice note could not be read ("voice_…"), or ""
}

// Input is everything the decision looks at.
type Input struct {
	Reading    contact.Reading
	State      State
	Playbook   playbook.Playbook
	Profile    *profile.Profile
	AfterHours bool // the service desk is closed now
}

// What the bot says.
const (
	SayNothing = ""       // silence: recorded only
	SayText    = "text"   // a profile text: Decision.Text
	SaySlot    = "slot"   // a playbook template: Decision.Slot
	SayAnswer  = "answer" // a knowledge-base answer (none → hand off, Reason ReasonNoAnswer)
	SayOrder   = "order"  // look Decision.Order up, then say its status
)

// Handoff reasons decided here besides the playbook's.
const (
	ReasonHumanArm      = "human_arm"
	ReasonNoOrderLookup = "no_order_lookup"
	ReasonNoAnswer      = playbook.ReasonNoAnswer
)

// ReasonUrgent is the reason of an urgent (P1) reading's handoff.
func ReasonUrgent(intent string) string { return "urgent_" + intent }

// Decision is what the desk does with one message.
type Decision struct {
	Say   string // SayNothing, SayText, SaySlot, SayAnswer or SayOrder
	Text  string // SayText: a profile text key
	Slot  string // SaySlot: a playbook template slot
	Order string // SayOrder: the order number to look up
	Kind  string // the reply's kind (contact.KindAnswer, …)
	// KBFirst: before asking for the order number, answer from the
	// knowledge base if it has a confident answer ("do you deliver to
	// Sai Kung?" reads as order_status).
	KBFirst      bool
	TicketKind   string
	TicketStatus string // "" leaves the ticket's status as the replies make it
	Priority     priority.Level
	Handoff      bool
	Reason       string
	Notify       bool // push to a supervisor at once
	Playbook     string
}

// Decide decides. Contact state comes first (opt-out, silence after an
// opt-out, a survey rating, a person in charge), then what the bot cannot
// read, the human-only arm, urgency, and the intent's playbook.
func Decide(in Input) Decision {
	r, st, pb := in.Reading, in.State, in.Playbook
	pd := pb.Decide(playbook.Input{Intent: r.Intent, Negative: r.Negative, Confidence: r.Confidence,
		Text: r.MaskedText, HasOrderNumber: hasOrder(in), VIP: st.VIP})
	d := Decision{TicketKind: pb.TicketKind, Playbook: pb.Version,
		Priority: priority.Level(r.Priority).Floor(priority.Level(pd.Priority)).ForVIP(st.VIP)}
	handoff := func(reason string) {
		d.Handoff, d.Reason, d.Kind = true, reason, contact.KindHandoff
		d.Say, d.Slot, d.Text = sayHandoff(pb, in.AfterHours)
	}
	switch {
	case st.OptOut:
		d.Say, d.Text, d.Kind = SayText, profile.OptOut, contact.KindNotice
	case st.OptedOut:
		// recorded only: the customer asked us not to write
	case st.CSAT > 0:
		d.Say, d.Text, d.Kind = SayText, profile.CSATThanks, contact.KindSurvey
	case st.HandoffOpen:
		// A person owns the contact: the bot stays silent.
	case st.VoiceFail != "":
		handoff(st.VoiceFail)
		d.Say, d.Text, d.Slot = SayText, profile.VoiceUnreadable, ""
	case st.Arm == "human":
		handoff(ReasonHumanArm)
		d.Say, d.Text, d.Slot, d.Kind = SayText, profile.HumanArmAck, "", contact.KindAck
	case priority.Level(r.Priority) == priority.P1:
		// Urgent (negative complaint, damage, threat): a person, at once.
		handoff(ReasonUrgent(r.Intent))
	case pd.Handoff:
		handoff(pd.Reason)
	default:
		d.Kind = contact.KindAnswer
		switch pd.Action {
		case playbook.ActionLookupOrder:
			d.Say, d.Order = SayOrder, order(in)
		case playbook.ActionAskOrder:
			if !in.Profile.OrderNumbers() {
				handoff(ReasonNoOrderLookup) // the business has no order numbers
				break
			}
			d.Say, d.Slot, d.KBFirst = SaySlot, playbook.SlotAskOrder, !r.Negative
			d.TicketStatus = waiting(in.AfterHours)
		case playbook.ActionSmalltalk:
			d.Say, d.Slot = SaySlot, playbook.SlotSmalltalk
		default: // answer
			d.Say = SayAnswer
		}
		if d.Say == SayOrder && d.Order == "" {
			// lookup_order without a number: ask for it.
			d.Say, d.Slot, d.Order = SaySlot, playbook.SlotAskOrder, ""
			d.TicketStatus = waiting(in.AfterHours)
			if !in.Profile.OrderNumbers() {
				handoff(ReasonNoOrderLookup)
			}
		}
	}
	// P1 (negative signal, threats) and VIP customers reach a supervisor at
	// once: a VIP's handoff is pushed even when the words are calm.
	urgent := r.Negative && (priority.Level(r.Priority) == priority.P1 || st.VIP)
	d.Notify = !st.OptOut && (urgent || (st.VIP && d.Handoff))
	return d
}

// NoAnswer is the decision when the knowledge base had no confident answer
// for a SayAnswer decision: the bot never guesses, a person takes over.
func NoAnswer(in Input, d Decision) Decision {
	pb := in.Playbook
	d.Handoff, d.Reason, d.Kind = true, ReasonNoAnswer, contact.KindHandoff
	d.Say, d.Slot, d.Text = sayHandoff(pb, in.AfterHours)
	d.Notify = d.Notify || in.State.VIP
	return d
}

// sayHandoff is how a handoff is told: the playbook's handoff template while
// the desk is open, the profile's after-hours text when it is closed (or the
// profile's handoff text for a playbook without one).
func sayHandoff(pb playbook.Playbook, afterHours bool) (say, slot, text string) {
	if afterHours {
		return SayText, "", profile.HandoffAfterHours
	}
	if _, ok := pb.Templates[playbook.SlotHandoff]; ok {
		return SaySlot, playbook.SlotHandoff, ""
	}
	return SayText, "", profile.Handoff
}

func waiting(afterHours bool) string {
	if afterHours {
		return "waiting" // for the next shift
	}
	return "pending_agent"
}

func hasOrder(in Input) bool { return order(in) != "" }

func order(in Input) string {
	if in.Profile == nil {
		return ""
	}
	n, _ := in.Profile.FindOrderNumber(in.Reading.MaskedText)
	return n
}

package playbook

import "github.com/harbordesk/harbordesk/internal/priority"

// Input is what Decide looks at. Text is the masked customer text (amounts
// survive masking; personal data does not).
type Input struct {
	Intent         string
	Negative       bool
	Confidence     float64
	Text           string
	HasOrderNumber bool
	VIP            bool
}

// Decision is what the desk does with one message.
//
// Action is the effective action: "handoff" when a HandoffWhen condition
// fired, "lookup_order" for ask_order when the message has an order number.
// Priority is the floor the playbook sets ("" for none). For action answer, HandoffOnNoAnswer tells the caller to hand off
// (Reason ReasonNoAnswer, template SlotHandoff) when the knowledge base has
// no confident answer. For lookup_order, TemplateKey is SlotOrderStatus and
// a miss uses SlotOrderMissing.
type Decision struct {
	Version           string
	Intent            string
	Action            string
	TicketKind        string
	Priority          string
	Handoff           bool
	HandoffOnNoAnswer bool
	Reason            string
	TemplateKey       string
}

// Handoff reasons.
const (
	ReasonNegative      = "negative"
	ReasonRefundOver    = "refund_over_limit"
	ReasonVIP           = "vip"
	ReasonLowConfidence = "low_confidence"
	ReasonNoAnswer      = "no_kb_answer"
)

// ReasonIntent is the reason of an always-handoff intent ("intent_complaint"),
// the same reason the workflow records today.
func ReasonIntent(intent string) string { return "intent_" + intent }

// Decide applies the playbook to one message. It is pure and deterministic.
// Conditions are checked in a fixed order (always, negative, refund_over,
// vip, low_confidence) and the first that fires names the reason.
func (p Playbook) Decide(in Input) Decision {
	d := Decision{Version: p.Version, Intent: p.Intent, Action: p.Action,
		TicketKind: p.TicketKind, Priority: p.floor(in)}
	if reason, ok := p.handoffReason(in); ok {
		d.Action, d.Handoff, d.Reason, d.TemplateKey = ActionHandoff, true, reason, SlotHandoff
		return d
	}
	switch p.Action {
	case ActionAnswer:
		d.HandoffOnNoAnswer = p.Has(WhenNoAnswer)
	case ActionAskOrder:
		if in.HasOrderNumber {
			d.Action, d.TemplateKey = ActionLookupOrder, SlotOrderStatus
		} else {
			d.TemplateKey = SlotAskOrder
		}
	case ActionLookupOrder:
		d.TemplateKey = SlotOrderStatus
	case ActionSmalltalk:
		d.TemplateKey = SlotSmalltalk
	case ActionHandoff:
		d.Handoff, d.Reason, d.TemplateKey = true, ReasonIntent(p.Intent), SlotHandoff
	}
	return d
}

func (p Playbook) handoffReason(in Input) (string, bool) {
	if p.Has(WhenAlways) {
		return ReasonIntent(p.Intent), true
	}
	if in.Negative && p.Has(WhenNegative) {
		return ReasonNegative, true
	}
	if c, ok := p.condition(WhenRefundOver); ok {
		if amt, found := ExtractAmountHKD(in.Text); found && amt > c.Limit {
			return ReasonRefundOver, true
		}
	}
	if in.VIP && p.Has(WhenVIP) {
		return ReasonVIP, true
	}
	if c, ok := p.condition(WhenLowConfidence); ok && in.Confidence < c.Limit {
		return ReasonLowConfidence, true
	}
	return "", false
}

// floor is the priority floor for in: the more urgent of MinPriority and
// (for negative messages) NegativePriority. The VIP rule is not a playbook's:
// package decide applies it (priority.Level.ForVIP) to every message.
func (p Playbook) floor(in Input) string {
	f := priority.Level(p.MinPriority)
	if in.Negative {
		f = priority.Max(f, priority.Level(p.NegativePriority))
	}
	return string(f)
}

package playbook

import (
	"testing"

	"github.com/harbordesk/harbordesk/internal/contact"
)

func TestDecideDefaults(t *testing.T) {
	sure := 0.9
	tests := []struct {
		name string
		in   Input
		want Decision
	}{
		// Always a person.
		{"complaint", Input{Intent: "complaint", Confidence: sure},
			Decision{Action: ActionHandoff, TicketKind: "complaint", Handoff: true, Reason: "intent_complaint", TemplateKey: SlotHandoff}},
		{"complaint negative is P1", Input{Intent: "complaint", Negative: true, Confidence: sure},
			Decision{Action: ActionHandoff, TicketKind: "complaint", Priority: "P1", Handoff: true, Reason: "intent_complaint", TemplateKey: SlotHandoff}},
		{"complaint low confidence still intent", Input{Intent: "complaint", Confidence: 0.1},
			Decision{Action: ActionHandoff, TicketKind: "complaint", Handoff: true, Reason: "intent_complaint", TemplateKey: SlotHandoff}},
		{"human agent P2", Input{Intent: "human_agent", Confidence: sure},
			Decision{Action: ActionHandoff, TicketKind: "callback", Priority: "P2", Handoff: true, Reason: "intent_human_agent", TemplateKey: SlotHandoff}},
		{"human agent VIP: the floor is the playbook's (decide applies the VIP rule)", Input{Intent: "human_agent", Confidence: sure, VIP: true},
			Decision{Action: ActionHandoff, TicketKind: "callback", Priority: "P2", Handoff: true, Reason: "intent_human_agent", TemplateKey: SlotHandoff}},
		{"damaged item negative", Input{Intent: "damaged_item", Negative: true, Confidence: sure, VIP: true},
			Decision{Action: ActionHandoff, TicketKind: "damage_claim", Priority: "P1", Handoff: true, Reason: "intent_damaged_item", TemplateKey: SlotHandoff}},
		{"damaged item calm", Input{Intent: "damaged_item", Confidence: sure},
			Decision{Action: ActionHandoff, TicketKind: "damage_claim", Handoff: true, Reason: "intent_damaged_item", TemplateKey: SlotHandoff}},
		// Refunds.
		{"refund small answers policy", Input{Intent: "refund_request", Confidence: sure, Text: "想退返部風筒，$299"},
			Decision{Action: ActionAnswer, TicketKind: "refund", HandoffOnNoAnswer: true}},
		{"refund no amount answers policy", Input{Intent: "refund_request", Confidence: sure, Text: "點樣退款？"},
			Decision{Action: ActionAnswer, TicketKind: "refund", HandoffOnNoAnswer: true}},
		{"refund at limit answers", Input{Intent: "refund_request", Confidence: sure, Text: "refund HK$1,000 please"},
			Decision{Action: ActionAnswer, TicketKind: "refund", HandoffOnNoAnswer: true}},
		{"refund over limit", Input{Intent: "refund_request", Confidence: sure, Text: "部雪櫃 HK$8,999 我要退款"},
			Decision{Action: ActionHandoff, TicketKind: "refund", Handoff: true, Reason: ReasonRefundOver, TemplateKey: SlotHandoff}},
		{"refund negative", Input{Intent: "refund_request", Negative: true, Confidence: sure, Text: "退款啦！"},
			Decision{Action: ActionHandoff, TicketKind: "refund", Priority: "P1", Handoff: true, Reason: ReasonNegative, TemplateKey: SlotHandoff}},
		{"refund low confidence", Input{Intent: "refund_request", Confidence: 0.2},
			Decision{Action: ActionHandoff, TicketKind: "refund", Handoff: true, Reason: ReasonLowConfidence, TemplateKey: SlotHandoff}},
		// Orders.
		{"order without number asks", Input{Intent: "order_status", Confidence: sure},
			Decision{Action: ActionAskOrder, TicketKind: "tracking", TemplateKey: SlotAskOrder}},
		{"order with number looks up", Input{Intent: "order_status", Confidence: sure, HasOrderNumber: true},
			Decision{Action: ActionLookupOrder, TicketKind: "tracking", TemplateKey: SlotOrderStatus}},
		{"order negative is not a handoff", Input{Intent: "order_status", Negative: true, Confidence: sure, HasOrderNumber: true},
			Decision{Action: ActionLookupOrder, TicketKind: "tracking", TemplateKey: SlotOrderStatus}},
		{"order low confidence", Input{Intent: "order_status", Confidence: 0.3, HasOrderNumber: true},
			Decision{Action: ActionHandoff, TicketKind: "tracking", Handoff: true, Reason: ReasonLowConfidence, TemplateKey: SlotHandoff}},
		// Chat.
		{"smalltalk", Input{Intent: "smalltalk", Confidence: 0.1},
			Decision{Action: ActionSmalltalk, TicketKind: "general", TemplateKey: SlotSmalltalk}},
		// Unknown and other.
		{"other answers or hands off", Input{Intent: "other", Confidence: sure},
			Decision{Action: ActionAnswer, TicketKind: "general", HandoffOnNoAnswer: true}},
		{"other low confidence", Input{Intent: "other", Confidence: 0.2},
			Decision{Action: ActionHandoff, TicketKind: "general", Handoff: true, Reason: ReasonLowConfidence, TemplateKey: SlotHandoff}},
		{"unknown intent is other", Input{Intent: "weather", Confidence: sure},
			Decision{Intent: "other", Action: ActionAnswer, TicketKind: "general", HandoffOnNoAnswer: true}},
	}
	// The knowledge-base intents all behave alike.
	for _, in := range []string{"business_hours", "return_policy", "billing", "account_inquiry",
		"appointment_change", "tech_support", "place_order"} {
		kind := contact.TicketKind(in)
		tests = append(tests,
			struct {
				name string
				in   Input
				want Decision
			}{in + " answers", Input{Intent: in, Confidence: 0.35, Negative: true, VIP: true},
				Decision{Action: ActionAnswer, TicketKind: kind, HandoffOnNoAnswer: true}},
			struct {
				name string
				in   Input
				want Decision
			}{in + " low confidence", Input{Intent: in, Confidence: 0.34},
				Decision{Action: ActionHandoff, TicketKind: kind, Handoff: true, Reason: ReasonLowConfidence, TemplateKey: SlotHandoff}},
		)
	}
	set := Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			want.Version = set.Version
			if want.Intent == "" {
				want.Intent = tt.in.Intent
			}
			got := set.For(tt.in.Intent).Decide(tt.in)
			if got != want {
				t.Errorf("Decide(%+v)\n got %+v\nwant %+v", tt.in, got, want)
			}
			if again := set.For(tt.in.Intent).Decide(tt.in); again != got {
				t.Errorf("not deterministic: %+v then %+v", got, again)
			}
		})
	}
}

// TestDefaultsMatchContact: the default playbooks reproduce the ticket kinds
// and always-a-person intents hard-coded in internal/contact today.
func TestDefaultsMatchContact(t *testing.T) {
	for _, in := range Intents {
		p := Default().For(in)
		if p.TicketKind != contact.TicketKind(in) {
			t.Errorf("%s: ticket kind %q, contact says %q", in, p.TicketKind, contact.TicketKind(in))
		}
		r := contact.Reading{Intent: in, Confidence: 0.9, Priority: "P3"}
		if got, want := p.Decide(Input{Intent: in, Confidence: 0.9}).Handoff, contact.NeedsHuman(r); got != want {
			t.Errorf("%s calm: handoff %v, contact.NeedsHuman %v", in, got, want)
		}
		r.Negative = true
		if got, want := p.Decide(Input{Intent: in, Confidence: 0.9, Negative: true}).Handoff, contact.NeedsHuman(r); got != want {
			t.Errorf("%s negative: handoff %v, contact.NeedsHuman %v", in, got, want)
		}
	}
}

func TestDecideCustomPlaybook(t *testing.T) {
	p := Playbook{Version: "t", Intent: "billing", Action: ActionLookupOrder, TicketKind: "billing",
		MinPriority: "P3", NegativePriority: "P2",
		HandoffWhen: []Condition{{Kind: WhenVIP}, {Kind: WhenLowConfidence, Limit: 0.8}}}
	tests := []struct {
		name string
		in   Input
		want Decision
	}{
		{"lookup without number", Input{Confidence: 0.9},
			Decision{Action: ActionLookupOrder, Priority: "P3", TemplateKey: SlotOrderStatus}},
		{"negative floor", Input{Confidence: 0.9, Negative: true},
			Decision{Action: ActionLookupOrder, Priority: "P2", TemplateKey: SlotOrderStatus}},
		{"vip handoff, negative floor", Input{Confidence: 0.9, Negative: true, VIP: true},
			Decision{Action: ActionHandoff, Priority: "P2", Handoff: true, Reason: ReasonVIP, TemplateKey: SlotHandoff}},
		{"custom confidence limit", Input{Confidence: 0.7},
			Decision{Action: ActionHandoff, Priority: "P3", Handoff: true, Reason: ReasonLowConfidence, TemplateKey: SlotHandoff}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			want.Version, want.Intent, want.TicketKind = "t", "billing", "billing"
			if got := p.Decide(tt.in); got != want {
				t.Errorf("got %+v\nwant %+v", got, want)
			}
		})
	}
}

func BenchmarkDecide(b *testing.B) {
	p := Default().For("refund_request")
	in := Input{Intent: "refund_request", Confidence: 0.8, Text: "部雪櫃 HK$8,999 我要退款，訂單 HH12345678"}
	for b.Loop() {
		p.Decide(in)
	}
}

func BenchmarkDecideNoAmountCondition(b *testing.B) {
	p := Default().For("business_hours")
	in := Input{Intent: "business_hours", Confidence: 0.8, Text: "你哋幾點收舖？"}
	for b.Loop() {
		p.Decide(in)
	}
}

func BenchmarkParseDefault(b *testing.B) {
	data := DefaultYAML()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

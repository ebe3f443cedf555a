package decide

import (
	"strings"
	"testing"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/playbook"
	"github.com/harbordesk/harbordesk/internal/priority"
	"github.com/harbordesk/harbordesk/internal/profile"
)

// set is the shipped playbooks with edits (old → new, once each).
func set(t *testing.T, edits ...string) *playbook.Set {
	t.Helper()
	src := string(playbook.DefaultYAML())
	for i := 0; i+1 < len(edits); i += 2 {
		if strings.Count(src, edits[i]) != 1 {
			t.Fatalf("%q occurs %d times in the default playbooks", edits[i], strings.Count(src, edits[i]))
		}
		src = strings.Replace(src, edits[i], edits[i+1], 1)
	}
	s, err := playbook.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const hoursBlock = "  - intent: business_hours\n    action: answer\n    ticket_kind: inquiry\n    handoff_when: [no_answer, low_confidence]\n"

func hours(repl string) []string { return []string{hoursBlock, repl} }

func reading(intent string, p priority.Level, mods ...func(*contact.Reading)) contact.Reading {
	r := contact.Reading{Language: "en", Script: "Latn", Intent: intent, Confidence: 0.9, Priority: string(p), MaskedText: "hello"}
	for _, m := range mods {
		m(&r)
	}
	return r
}

func negative(r *contact.Reading)          { r.Negative, r.Sentiment = true, -0.7 }
func unsure(r *contact.Reading)            { r.Confidence = 0.2 }
func text(s string) func(*contact.Reading) { return func(r *contact.Reading) { r.MaskedText = s } }

func TestDecide(t *testing.T) {
	def := playbook.Default()
	tests := []struct {
		name  string
		pbs   *playbook.Set
		r     contact.Reading
		st    State
		prof  *profile.Profile
		after bool
		want  Decision
	}{
		// every playbook field
		{"action answer: KB answer", def, reading("business_hours", priority.P4), State{}, nil, false,
			Decision{Say: SayAnswer, Kind: contact.KindAnswer, TicketKind: "inquiry", Priority: priority.P4}},
		{"ticket_kind is the ticket's kind", set(t, hours(strings.Replace(hoursBlock, "inquiry", "opening_times", 1))...), reading("business_hours", priority.P4), State{}, nil, false,
			Decision{Say: SayAnswer, Kind: contact.KindAnswer, TicketKind: "opening_times", Priority: priority.P4}},
		{"min_priority floors", set(t, hours(hoursBlock+"    min_priority: P2\n")...), reading("business_hours", priority.P4), State{}, nil, false,
			Decision{Say: SayAnswer, Kind: contact.KindAnswer, TicketKind: "inquiry", Priority: priority.P2}},
		{"min_priority never lowers", set(t, hours(hoursBlock+"    min_priority: P3\n")...), reading("business_hours", priority.P2), State{}, nil, false,
			Decision{Say: SayAnswer, Kind: contact.KindAnswer, TicketKind: "inquiry", Priority: priority.P2}},
		{"negative_priority floors a negative message", set(t, hours(hoursBlock+"    negative_priority: P2\n")...), reading("business_hours", priority.P3, negative), State{}, nil, false,
			Decision{Say: SayAnswer, Kind: contact.KindAnswer, TicketKind: "inquiry", Priority: priority.P2}},
		{"negative_priority leaves a calm one", set(t, hours(hoursBlock+"    negative_priority: P2\n")...), reading("business_hours", priority.P4), State{}, nil, false,
			Decision{Say: SayAnswer, Kind: contact.KindAnswer, TicketKind: "inquiry", Priority: priority.P4}},
		{"handoff_when always", set(t, hours(strings.Replace(hoursBlock, "[no_answer, low_confidence]", "[always, no_answer]", 1))...), reading("business_hours", priority.P4), State{}, nil, false,
			Decision{Say: SaySlot, Slot: playbook.SlotHandoff, Kind: contact.KindHandoff, TicketKind: "inquiry", Priority: priority.P4, Handoff: true, Reason: "intent_business_hours"}},
		{"handoff_when negative", set(t, hours(strings.Replace(hoursBlock, "[no_answer, low_confidence]", "[negative, no_answer]", 1))...), reading("business_hours", priority.P3, negative), State{}, nil, false,
			Decision{Say: SaySlot, Slot: playbook.SlotHandoff, Kind: contact.KindHandoff, TicketKind: "inquiry", Priority: priority.P3, Handoff: true, Reason: playbook.ReasonNegative}},
		{"handoff_when low_confidence", def, reading("business_hours", priority.P4, unsure), State{}, nil, false,
			Decision{Say: SaySlot, Slot: playbook.SlotHandoff, Kind: contact.KindHandoff, TicketKind: "inquiry", Priority: priority.P4, Handoff: true, Reason: playbook.ReasonLowConfidence}},
		{"handoff_when refund_over: above", def, reading("refund_request", priority.P3, text("refund HK$1,500 please")), State{}, nil, false,
			Decision{Say: SaySlot, Slot: playbook.SlotHandoff, Kind: contact.KindHandoff, TicketKind: "refund", Priority: priority.P3, Handoff: true, Reason: playbook.ReasonRefundOver}},
		{"handoff_when refund_over: below", def, reading("refund_request", priority.P3, text("refund HK$200 please")), State{}, nil, false,
			Decision{Say: SayAnswer, Kind: contact.KindAnswer, TicketKind: "refund", Priority: priority.P3}},
		{"handoff_when vip", set(t, hours(strings.Replace(hoursBlock, "[no_answer, low_confidence]", "[vip, no_answer]", 1))...), reading("business_hours", priority.P4), State{VIP: true}, nil, false,
			Decision{Say: SaySlot, Slot: playbook.SlotHandoff, Kind: contact.KindHandoff, TicketKind: "inquiry", Priority: priority.P2, Handoff: true, Reason: playbook.ReasonVIP, Notify: true}},
		{"handoff_when vip: not a VIP", set(t, hours(strings.Replace(hoursBlock, "[no_answer, low_confidence]", "[vip, no_answer]", 1))...), reading("business_hours", priority.P4), State{}, nil, false,
			Decision{Say: SayAnswer, Kind: contact.KindAnswer, TicketKind: "inquiry", Priority: priority.P4}},
		{"action handoff", def, reading("human_agent", priority.P3), State{}, nil, false,
			Decision{Say: SaySlot, Slot: playbook.SlotHandoff, Kind: contact.KindHandoff, TicketKind: "callback", Priority: priority.P2, Handoff: true, Reason: "intent_human_agent"}},
		{"action handoff after hours: the after-hours text", def, reading("human_agent", priority.P3), State{}, nil, true,
			Decision{Say: SayText, Text: profile.HandoffAfterHours, Kind: contact.KindHandoff, TicketKind: "callback", Priority: priority.P2, Handoff: true, Reason: "intent_human_agent"}},
		{"action ask_order without a number", def, reading("order_status", priority.P3), State{}, nil, false,
			Decision{Say: SaySlot, Slot: playbook.SlotAskOrder, KBFirst: true, Kind: contact.KindAnswer, TicketKind: "tracking", Priority: priority.P3, TicketStatus: "pending_agent"}},
		{"action ask_order after hours waits for the shift", def, reading("order_status", priority.P3, negative), State{}, nil, true,
			Decision{Say: SaySlot, Slot: playbook.SlotAskOrder, Kind: contact.KindAnswer, TicketKind: "tracking", Priority: priority.P3, TicketStatus: "waiting"}},
		{"action ask_order with the profile's number looks it up", def, reading("order_status", priority.P3, text("where is hh12345678?")), State{}, nil, false,
			Decision{Say: SayOrder, Order: "HH12345678", Kind: contact.KindAnswer, TicketKind: "tracking", Priority: priority.P3}},
		{"action smalltalk", def, reading("smalltalk", priority.P4), State{}, nil, false,
			Decision{Say: SaySlot, Slot: playbook.SlotSmalltalk, Kind: contact.KindAnswer, TicketKind: "general", Priority: priority.P4}},
		// contact state
		{"opt-out confirmed", def, reading("other", priority.P4), State{OptOut: true}, nil, false,
			Decision{Say: SayText, Text: profile.OptOut, Kind: contact.KindNotice, TicketKind: "general", Priority: priority.P4}},
		{"opted out: silence", def, reading("human_agent", priority.P3), State{OptedOut: true}, nil, false,
			Decision{TicketKind: "callback", Priority: priority.P2}},
		{"survey rating thanked", def, reading("other", priority.P4), State{AwaitingCSAT: true, CSAT: 5}, nil, false,
			Decision{Say: SayText, Text: profile.CSATThanks, Kind: contact.KindSurvey, TicketKind: "general", Priority: priority.P4}},
		{"a person owns the contact: silence", def, reading("business_hours", priority.P4), State{HandoffOpen: true}, nil, false,
			Decision{TicketKind: "inquiry", Priority: priority.P4}},
		{"urgent while a person owns it: silent but pushed", def, reading("complaint", priority.P1, negative), State{HandoffOpen: true}, nil, false,
			Decision{TicketKind: "complaint", Priority: priority.P1, Notify: true}},
		{"unreadable voice note", def, reading("other", priority.P2), State{VoiceFail: "voice_no_engine"}, nil, false,
			Decision{Say: SayText, Text: profile.VoiceUnreadable, Kind: contact.KindHandoff, TicketKind: "general", Priority: priority.P2, Handoff: true, Reason: "voice_no_engine"}},
		{"human arm", def, reading("business_hours", priority.P4), State{Arm: "human"}, nil, false,
			Decision{Say: SayText, Text: profile.HumanArmAck, Kind: contact.KindAck, TicketKind: "inquiry", Priority: priority.P4, Handoff: true, Reason: ReasonHumanArm}},
		{"urgent reading: a person at once, pushed", def, reading("tech_support", priority.P1, negative), State{}, nil, false,
			Decision{Say: SaySlot, Slot: playbook.SlotHandoff, Kind: contact.KindHandoff, TicketKind: "tech_support", Priority: priority.P1, Handoff: true, Reason: "urgent_tech_support", Notify: true}},
		// VIP rule
		{"VIP waits no longer than P2", def, reading("business_hours", priority.P4), State{VIP: true}, nil, false,
			Decision{Say: SayAnswer, Kind: contact.KindAnswer, TicketKind: "inquiry", Priority: priority.P2}},
		{"VIP handoff pushed though calm", def, reading("human_agent", priority.P3), State{VIP: true}, nil, false,
			Decision{Say: SaySlot, Slot: playbook.SlotHandoff, Kind: contact.KindHandoff, TicketKind: "callback", Priority: priority.P2, Handoff: true, Reason: "intent_human_agent", Notify: true}},
		{"VIP negative pushed", def, reading("business_hours", priority.P3, negative), State{VIP: true}, nil, false,
			Decision{Say: SayAnswer, Kind: contact.KindAnswer, TicketKind: "inquiry", Priority: priority.P2, Notify: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prof := tt.prof
			if prof == nil {
				prof = profile.Default()
			}
			pb := tt.pbs.For(tt.r.Intent)
			got := Decide(Input{Reading: tt.r, State: tt.st, Playbook: pb, Profile: prof, AfterHours: tt.after})
			tt.want.Playbook = pb.Version
			if got != tt.want {
				t.Errorf("Decide =\n %+v, want\n %+v", got, tt.want)
			}
		})
	}
}

func TestNoAnswerHandsOff(t *testing.T) {
	pb := playbook.Default().For("business_hours")
	in := Input{Reading: reading("business_hours", priority.P4), Playbook: pb, Profile: profile.Default()}
	d := NoAnswer(in, Decide(in))
	if !d.Handoff || d.Reason != ReasonNoAnswer || d.Slot != playbook.SlotHandoff || d.Kind != contact.KindHandoff || d.Notify {
		t.Errorf("NoAnswer = %+v", d)
	}
	in.State.VIP, in.AfterHours = true, true
	d = NoAnswer(in, Decide(in))
	if d.Text != profile.HandoffAfterHours || !d.Notify || d.Priority != priority.P2 {
		t.Errorf("NoAnswer for a VIP after hours = %+v", d)
	}
}

func TestNoOrderNumbersHandsOff(t *testing.T) {
	doc := strings.NewReplacer(`  order_number: {pattern: "H[HK]\\d{5,8}", example: HH12345678}`+"\n", "",
		"（例如 {order_example}）", "", "（例如 {order_example}）", "", " (e.g. {order_example})", "").Replace(string(profile.DefaultYAML()))
	prof, err := profile.Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	pb := playbook.Default().For("order_status")
	d := Decide(Input{Reading: reading("order_status", priority.P3, text("where is HH12345678")), Playbook: pb, Profile: prof})
	if !d.Handoff || d.Reason != ReasonNoOrderLookup || d.Order != "" {
		t.Errorf("a business without order numbers: %+v", d)
	}
}

func BenchmarkDecide(b *testing.B) {
	pb := playbook.Default().For("order_status")
	in := Input{Reading: reading("order_status", priority.P3, text("我張單 HH12345678 到咗未？")), Playbook: pb, Profile: profile.Default()}
	for b.Loop() {
		Decide(in)
	}
}

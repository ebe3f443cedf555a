package playbook

// Actions a playbook can take.
const (
	ActionAnswer      = "answer"       // answer from the knowledge base
	ActionAskOrder    = "ask_order"    // ask for the order number, or look it up when the message has one
	ActionLookupOrder = "lookup_order" // look the order up (CRM/ERP); not found → tracking ticket for the morning shift
	ActionHandoff     = "handoff"      // hand to a person
	ActionSmalltalk   = "smalltalk"    // a short friendly line
)

// Actions lists every known action.
var Actions = []string{ActionAnswer, ActionAskOrder, ActionLookupOrder, ActionHandoff, ActionSmalltalk}

// Handoff conditions (HandoffWhen).
const (
	WhenAlways        = "always"         // every message of the intent goes to a person
	WhenNegative      = "negative"       // the message is negative (urgent signal)
	WhenLowConfidence = "low_confidence" // classifier confidence below Limit (default DefaultConfidenceFloor)
	WhenRefundOver    = "refund_over"    // an HKD amount in the text above Limit
	WhenNoAnswer      = "no_answer"      // the knowledge base has no confident answer
	WhenVIP           = "vip"            // the customer is a VIP
)

// Conditions lists every known handoff condition.
var Conditions = []string{WhenAlways, WhenNegative, WhenLowConfidence, WhenRefundOver, WhenNoAnswer, WhenVIP}

// DefaultConfidenceFloor is the low_confidence limit when none is given; it
// equals contact.ConfidenceFloor.
const DefaultConfidenceFloor = 0.35

// Template slots: the messages a playbook may need. Decision.TemplateKey is
// one of these.
const (
	SlotHandoff      = "handoff"       // a person will follow up
	SlotAskOrder     = "ask_order"     // ask for the order number
	SlotOrderStatus  = "order_status"  // the order was found; args order_id, status, tracking
	SlotOrderMissing = "order_missing" // not found; a tracking ticket waits for the morning shift; args order_id
	SlotSmalltalk    = "smalltalk"     // a short friendly line
)

// Slots lists every template slot.
var Slots = []string{SlotHandoff, SlotAskOrder, SlotOrderStatus, SlotOrderMissing, SlotSmalltalk}

// Intents are the fourteen intents of CONTRACT.md; a Set covers each once.
var Intents = []string{"business_hours", "return_policy", "order_status", "damaged_item",
	"refund_request", "complaint", "appointment_change", "tech_support", "billing",
	"account_inquiry", "place_order", "human_agent", "smalltalk", "other"}

// FallbackIntent is the playbook used for an unknown intent.
const FallbackIntent = "other"

// Locales every inline template must cover (yue-Hans is rendered from yue-Hant).
var Locales = []string{"yue-Hant", "zh-Hant", "zh-Hans", "en"}

// Set is a versioned collection of playbooks, one per intent. It is
// immutable once parsed; share it freely.
type Set struct {
	Version  string
	byIntent map[string]Playbook
}

// Playbook is what the desk does for one intent. Values returned by a Set
// share maps and slices with it: treat them as read-only.
type Playbook struct {
	Version          string // the Set's version
	Intent           string
	Action           string
	TicketKind       string
	MinPriority      string // floor for every message, or ""
	NegativePriority string // floor for negative messages, or ""
	HandoffWhen      []Condition
	Templates        map[string]Template // by slot
}

// Condition is one HandoffWhen entry. Limit is the HKD amount of
// refund_over and the confidence floor of low_confidence.
type Condition struct {
	Kind  string
	Limit float64
}

// Template is one message: either a text key of the business profile
// (internal/profile) or inline texts per locale with {placeholders}.
type Template struct {
	Phrase string            `yaml:"phrase"`
	Texts  map[string]string `yaml:"text"`
}

// For returns the playbook of intent; an unknown intent gets the "other"
// playbook.
func (s *Set) For(intent string) Playbook {
	if p, ok := s.byIntent[intent]; ok {
		return p
	}
	return s.byIntent[FallbackIntent]
}

// Playbooks returns every playbook in the order of Intents.
func (s *Set) Playbooks() []Playbook {
	out := make([]Playbook, 0, len(Intents))
	for _, in := range Intents {
		out = append(out, s.byIntent[in])
	}
	return out
}

// Has reports whether the playbook hands off on condition kind.
func (p Playbook) Has(kind string) bool {
	_, ok := p.condition(kind)
	return ok
}

func (p Playbook) condition(kind string) (Condition, bool) {
	for _, c := range p.HandoffWhen {
		if c.Kind == kind {
			return c, true
		}
	}
	return Condition{}, false
}

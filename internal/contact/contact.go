// Package contact holds the customer-contact domain model shared by the API,
// the ContactWorkflow and its activities: identifiers, inbound messages,
// replies, handoffs and the pure decisions about them. It does no I/O.
package contact

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Workflow names, signals, updates and queries of the ContactWorkflow.
const (
	WorkflowName  = "ContactWorkflow"
	SignalMessage = "message"
	UpdateClaim   = "claim"
	UpdateReply   = "reply"
	UpdateRelease = "release"
	UpdateResolve = "resolve"
	QueryState    = "state"
)

// Channels a contact can arrive on.
const (
	ChannelWeb      = "web"
	ChannelWhatsApp = "whatsapp"
	ChannelDingTalk = "dingtalk"
	ChannelAPI      = "api"
)

// ValidChannel reports whether ch is a known channel.
func ValidChannel(ch string) bool {
	switch ch {
	case ChannelWeb, ChannelWhatsApp, ChannelDingTalk, ChannelAPI:
		return true
	}
	return false
}

// WebhookOnly reports whether a channel takes customer input only through
// its signed webhook: its conversations are keyed by the sender's verified
// address, and the API must never speak for that sender.
func WebhookOnly(ch string) bool { return ch == ChannelWhatsApp || ch == ChannelDingTalk }

// WorkflowID is the business key of a contact: one durable workflow per
// channel conversation.
func WorkflowID(channel, conversation string) string {
	return "contact/" + channel + "/" + conversation
}

// ID is the unkeyed contact ID of a workflow ID: guessable by anyone who
// knows the conversation, so only tests and contacts created before
// KeyedID use it. New contacts get KeyedID.
func ID(workflowID string) string { return "ct_" + shortHash(workflowID) }

// KeyedID is the public contact ID: a keyed HMAC of the workflow ID, so the
// API computes it without a lookup, it never shows the conversation key,
// and nobody without the server's key can derive it from a phone number or
// conversation ID. It names a contact; it is never a credential.
func KeyedID(key []byte, workflowID string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(workflowID))
	return "ct_" + hex.EncodeToString(m.Sum(nil)[:12])
}

// HandoffID names the n-th handoff of a contact.
func HandoffID(contactID string, n int) string {
	return "ho_" + shortHash(contactID+"/"+itoa(n))
}

// TicketID names the ticket of a contact.
func TicketID(contactID string) string { return "tk_" + shortHash("ticket/"+contactID) }

// EscalationID names one escalation level of one handoff.
func EscalationID(handoffID string, level int) string {
	return "es_" + shortHash(handoffID+"/"+itoa(level))
}

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:10])
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// Params start a ContactWorkflow. Everything the workflow decides with is in
// here or in activity results, so replays are deterministic.
type Params struct {
	ContactID      string
	Channel        string
	ConversationID string
	CustomerID     string
	Arm            string // "ai" or "human"
	SLA            string // HARBORDESK_SLA at start; a running contact keeps its policy
	IdleTimeout    time.Duration
	// AssignTimeout is how long an assignee has to claim before the handoff
	// moves on (HARBORDESK_ASSIGN_TIMEOUT; 0: DefaultAssignTimeout).
	AssignTimeout time.Duration `json:",omitempty"`
	// Rev is the workflow revision the contact started under (RevCurrent
	// for contacts started now, 0 for those started before revisions
	// existed). See workflows' `changed`.
	Rev   int    `json:",omitempty"`
	Carry *Carry `json:",omitempty"` // state carried across continue-as-new
}

// RevCurrent is the revision new contacts start under: every workflow change
// so far (each gated by a GetVersion change ID for older contacts) is on
// from the first event, so a new contact records no version markers.
const RevCurrent = 4

// SignalPresence tells a contact's workflow that an agent's presence
// changed, so routing can move a handoff offered to someone who left or
// offer a waiting one to someone who came online.
const SignalPresence = "presence"

// PresenceChange is the SignalPresence payload.
type PresenceChange struct {
	Agent  string // login
	Status string // online | away | offline | capacity
}

// PresenceChange statuses beyond away and offline: PresenceCapacity says
// the agent has room for another handoff (they closed or passed one on).
const (
	PresenceOnline   = "online"
	PresenceCapacity = "capacity"
)

// DefaultAssignTimeout is an assignee's time to claim when none is set.
const DefaultAssignTimeout = 2 * time.Minute

// Agent Updates added after UpdateClaim and friends. They travel as
// JSON, so an older client sending AgentReply still decodes.
const (
	// UpdateTransfer hands a handoff to another agent.
	UpdateTransfer = "transfer"
)

// ReplyRequest is the reply Update: AgentReply plus AwaitCustomer,
// set when the agent asked the customer something and the SLA clock stops
// until the customer answers.
type ReplyRequest struct {
	AgentReply
	AwaitCustomer bool `json:",omitempty"`
}

// TransferRequest hands a handoff from its agent to To. Agent is who asks;
// Supervisor (decided from the caller's role by the API) may transfer any
// handoff, an agent only one they hold.
type TransferRequest struct {
	HandoffID  string
	Agent      string
	To         string
	Supervisor bool `json:",omitempty"`
}

// Carry is the state a contact keeps across continue-as-new.
type Carry struct {
	Seen         []string
	Handoff      *Handoff
	Turn         int
	Handoffs     int
	OptedOut     bool
	Priority     string
	Language     string
	Script       string
	VIP          bool
	AwaitingCSAT bool
	Resolved     bool
	LastInbound  time.Time
	ReplyTo      ReplyTo
	Escalated    int           `json:",omitempty"` // highest SLA level already pushed for Handoff
	Pending      []Inbound     `json:",omitempty"` // received, not yet processed
	SLAPaused    time.Duration `json:",omitempty"` // SLA pause accumulated for Handoff
	PausedSince  time.Time     `json:",omitempty"` // current pause began (zero: clock runs)
	OwedSince    time.Time     `json:",omitempty"` // the agent owes an answer since
}

// ReplyTo addresses replies on the contact's channel.
type ReplyTo struct {
	To             string `json:",omitempty"` // WhatsApp wa_id, DingTalk staff id
	SessionWebhook string `json:",omitempty"` // DingTalk per-conversation reply URL
}

// Inbound is one customer message as the workflow receives it. Text is raw
// customer text: Temporal payloads are encrypted by internal/codec, and only
// the masked form is ever stored in PostgreSQL.
type Inbound struct {
	MessageID  string
	Kind       string // text | voice
	Text       string `json:",omitempty"`
	AudioRef   string `json:",omitempty"` // encrypted audio blob id (voice)
	AudioMIME  string `json:",omitempty"`
	ReceivedAt time.Time
	ReplyTo    ReplyTo
	// Media is a channel attachment still to be fetched (a WhatsApp voice
	// note, photo or document): the workflow downloads it in an activity
	// with retries, never the webhook. Text is then the caption, if any.
	Media *Media `json:",omitempty"`
}

// Media kinds.
const (
	MediaVoice    = "voice"
	MediaImage    = "image"
	MediaDocument = "document"
)

// Media names an attachment at the channel (WhatsApp media ID).
type Media struct {
	ID   string
	MIME string `json:",omitempty"` // as the channel declared it; the content decides
	Kind string // MediaVoice, MediaImage or MediaDocument
}

// Reading is what the understanding step made of a message.
type Reading struct {
	Language   string   `json:"language"`
	Script     string   `json:"script"`
	Intent     string   `json:"intent"`
	Confidence float64  `json:"confidence"`
	Sentiment  float64  `json:"sentiment"`
	Negative   bool     `json:"negative"`
	Priority   string   `json:"priority"`
	Normalized string   `json:"normalized"`
	MaskedText string   `json:"masked_text"`
	Signals    []string `json:"signals,omitempty"`
	// ReadBy is the engine that read the message: ReadByOffline (the
	// classifier in internal/nlu) or ReadByLLM (HARBORDESK_LLM_URL).
	ReadBy string `json:"read_by,omitempty"`
}

// Reading engines.
const (
	ReadByOffline = "offline"
	ReadByLLM     = "llm"
)

// Reply authors and kinds (CONTRACT.md).
const (
	AuthorBot   = "bot"
	AuthorAgent = "agent"

	KindAnswer  = "answer"
	KindNotice  = "notice"
	KindHandoff = "handoff"
	KindSurvey  = "survey"
	KindAck     = "ack"
)

// Reply is one message to the customer. Key makes delivery idempotent.
type Reply struct {
	Key       string
	Author    string
	Agent     string `json:",omitempty"`
	Kind      string
	Text      string
	ArticleID string `json:",omitempty"`
	Locale    string `json:",omitempty"`
}

// Handoff states. An assigned handoff has been offered to one agent by
// routing and waits for their claim; open waits in the queue for anyone.
const (
	HandoffOpen     = "open"
	HandoffAssigned = "assigned"
	HandoffClaimed  = "claimed"
	HandoffResolved = "resolved"
)

// Waiting reports whether a handoff still waits for an agent to take it
// (open in the queue, or assigned and not yet claimed).
func (h *Handoff) Waiting() bool {
	return h != nil && (h.State == HandoffOpen || h.State == HandoffAssigned)
}

// Handoff is the human part of a contact.
type Handoff struct {
	ID       string    `json:"id"`
	State    string    `json:"state"`
	Agent    string    `json:"agent,omitempty"`
	Priority string    `json:"priority"`
	Reason   string    `json:"reason"`
	OpenedAt time.Time `json:"opened_at"`
	// AssignedAt is when routing offered it to Agent (state assigned).
	AssignedAt time.Time `json:"assigned_at,omitzero"`
}

// ClaimRequest, AgentReply, ResolveRequest are the agents' Updates.
type ClaimRequest struct {
	HandoffID string
	Agent     string
}

// AgentReply is an agent's message to the customer.
type AgentReply struct {
	HandoffID string
	Agent     string
	Text      string
	MessageID string // client-chosen idempotency key, optional
}

// ResolveRequest closes the handoff, the ticket and the contact.
type ResolveRequest struct {
	HandoffID  string
	Agent      string
	Resolution string
	Code       string
	// Supervisor: the caller's role allows supervisor actions. Closing a
	// handoff nobody has claimed needs it.
	Supervisor bool
}

// State is what the Query returns.
type State struct {
	ContactID    string   `json:"contact_id"`
	Handoff      *Handoff `json:"handoff"`
	OptedOut     bool     `json:"opted_out"`
	Priority     string   `json:"priority"`
	Processed    int      `json:"processed"`
	AwaitingCSAT bool     `json:"awaiting_csat"`
}

// Ticket kinds by intent.
var ticketKinds = map[string]string{
	"order_status":       "tracking",
	"damaged_item":       "damage_claim",
	"refund_request":     "refund",
	"complaint":          "complaint",
	"billing":            "billing",
	"tech_support":       "tech_support",
	"appointment_change": "appointment",
	"account_inquiry":    "account",
	"place_order":        "sales",
	"business_hours":     "inquiry",
	"return_policy":      "inquiry",
	"human_agent":        "callback",
}

// TicketKind maps an intent to the kind of ticket it opens.
func TicketKind(intent string) string {
	if k, ok := ticketKinds[intent]; ok {
		return k
	}
	return "general"
}

// needsHuman lists intents the bot never settles on its own.
var needsHuman = map[string]bool{
	"complaint":    true,
	"human_agent":  true,
	"damaged_item": true,
}

// ConfidenceFloor is the classifier confidence below which the bot does not
// guess an intent-specific answer.
const ConfidenceFloor = 0.35

// NeedsHuman reports whether a message goes straight to a person.
func NeedsHuman(r Reading) bool {
	if needsHuman[r.Intent] {
		return true
	}
	if r.Intent == "refund_request" && r.Negative {
		return true
	}
	return r.Priority == "P1"
}

var optOutWords = []string{"stop", "unsubscribe", "取消", "唔好再搵我", "唔好再搵", "不要再联系我", "不要再聯繫我", "退订", "退訂"}

// IsOptOut reports whether a message is an opt-out request (PDPO direct
// marketing / further contact). Only whole short messages count, so
// "don't stop the delivery" is not an opt-out.
func IsOptOut(text string) bool {
	t := strings.ToLower(strings.TrimSpace(strings.Trim(text, "!！。.? ？")))
	if len([]rune(t)) > 12 {
		return false
	}
	for _, w := range optOutWords {
		if t == w {
			return true
		}
	}
	return false
}

// CSATScore reads a survey answer 1–5, with full-width digits.
func CSATScore(text string) (int, bool) {
	t := strings.TrimSpace(text)
	t = strings.Trim(t, "!！。.分 ")
	switch t {
	case "1", "１", "一":
		return 1, true
	case "2", "２", "二":
		return 2, true
	case "3", "３", "三":
		return 3, true
	case "4", "４", "四":
		return 4, true
	case "5", "５", "五":
		return 5, true
	}
	return 0, false
}

// Arm assigns a customer to the AI-first or human-only arm by a stable hash
// of the customer ID: the same customer lands in the same arm while the
// percentage is unchanged, and raising the percentage only moves customers
// from human to AI.
func Arm(customerID string, aiPercent int) string {
	h := sha256.Sum256([]byte("arm/" + customerID))
	bucket := (int(h[0])<<8 | int(h[1])) % 100
	if bucket < aiPercent {
		return "ai"
	}
	return "human"
}

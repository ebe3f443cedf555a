package kpi

import "time"

// Event kinds a contact records. Other kinds are ignored (and counted).
const (
	KindReceived        = "received"
	KindFirstReply      = "first_reply"
	KindHandoff         = "handoff"
	KindFirstHumanReply = "first_human_reply"
	KindResolved        = "resolved"
	KindReopened        = "reopened"
	KindCSAT            = "csat"
	KindSLABreach       = "sla_breach"
)

// A/B arms. Any other non-empty value is kept as its own group in by_arm but
// takes no part in the ab section.
const (
	ArmAI    = "ai"
	ArmHuman = "human"
)

// Unknown is the group name for an empty language, channel or arm.
const Unknown = "unknown"

// Event is one KPI event of a contact.
type Event struct {
	ContactID string
	// Kind is one of the Kind* constants.
	Kind string
	At   time.Time
	// Arm is the A/B arm of the contact: "ai" or "human".
	Arm      string
	Language string
	Channel  string
	// AfterHours is meaningful on the received event: the contact arrived
	// outside business hours.
	AfterHours bool
	// Score is the CSAT score 1–5 of a csat event.
	Score int
	// Bot marks a first_reply written by the bot.
	Bot bool
}

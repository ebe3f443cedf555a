package notify

import (
	"context"
	"fmt"
)

// Notification is one supervisor alert about one contact.
type Notification struct {
	// Key is the idempotency key (e.g. "<contact>/esc/<level>"): the same
	// Key delivered twice reaches the supervisor once.
	Key      string
	Priority string // P1..P4
	Title    string // short, already masked
	Summary  string // already masked (personal data replaced by placeholders)
	// ContactURL links to the contact in the console; it also identifies the
	// contact when several notifications are coalesced into one message.
	ContactURL string
	// Level is the escalation level: 0 for "notify at once" (P1/VIP),
	// 1 at risk, 2 breached, 3 duty manager.
	Level int
	// Mentions are the on-duty supervisors to @: DingTalk mobile numbers
	// (digits, optionally with + and -) or DingTalk user IDs.
	Mentions []string
}

// Notifier delivers supervisor notifications.
type Notifier interface {
	Notify(ctx context.Context, n Notification) error
}

// LevelLabel is the human wording of an escalation level.
func LevelLabel(level int) string {
	switch level {
	case 0:
		return "Needs attention now"
	case 1:
		return "SLA at risk"
	case 2:
		return "SLA breached"
	case 3:
		return "Duty manager"
	default:
		return fmt.Sprintf("Escalation level %d", level)
	}
}

// contactID groups notifications about the same contact.
func (n Notification) contactID() string {
	if n.ContactURL != "" {
		return n.ContactURL
	}
	return "key:" + n.Key
}

package channel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/harbordesk/harbordesk/internal/channel/dingtalkbot"
	"github.com/harbordesk/harbordesk/internal/channel/whatsapp"
)

// Channel names as stored on contacts.
const (
	WhatsApp = "whatsapp"
	DingTalk = "dingtalk"
	Web      = "web"
)

// Outbound is one reply to deliver to a customer.
type Outbound struct {
	Channel string // WhatsApp, DingTalk or Web
	To      string // WhatsApp wa_id; unused for DingTalk and web
	Text    string
	// Key is the idempotency key (contact + reply). WhatsApp carries it as
	// biz_opaque_callback_data so status webhooks can be matched to it.
	Key string
	// SessionWebhook is the DingTalk conversation's reply URL from the
	// inbound callback; SessionWebhookExpires its expiry (zero = unknown).
	SessionWebhook        string
	SessionWebhookExpires time.Time
	// LastInbound is when the customer last wrote; WhatsApp free-form text is
	// only allowed within 24 hours of it.
	LastInbound time.Time
	// Locale is the customer's language and script ("yue", "zh-Hant",
	// "zh-Hans", "en", …); it picks the template language outside the window.
	Locale string
}

// Sender delivers one Outbound and returns the channel's reference for it
// (a WhatsApp message id, "dingtalk", "web").
type Sender interface {
	Send(ctx context.Context, m Outbound) (ref string, err error)
}

// Delivery errors detected before reaching a channel. They are permanent.
var (
	ErrUnknownChannel = errors.New("channel: no sender for channel")
	ErrNoSession      = errors.New("channel: dingtalk reply without session webhook")
	ErrNoRecipient    = errors.New("channel: whatsapp reply without recipient")
)

// IsPermanent reports whether a Send error must not be retried (a 4xx from
// the partner, an invalid or unaddressable reply, an expired session). It is
// false for timeouts, connection failures, 429 and 5xx.
func IsPermanent(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrUnknownChannel) || errors.Is(err, ErrNoSession) || errors.Is(err, ErrNoRecipient) {
		return true
	}
	return whatsapp.IsPermanent(err) || dingtalkbot.IsPermanent(err)
}

// Router sends each Outbound through the Sender registered for its channel.
// The web channel is pre-registered with WebSender. Router is itself a Sender.
type Router struct {
	senders map[string]Sender
}

// NewRouter returns a Router with the web sender and the given senders
// (channel name → sender; nil senders are skipped, so an unconfigured
// channel stays unknown).
func NewRouter(senders map[string]Sender) *Router {
	r := &Router{senders: map[string]Sender{Web: WebSender{}}}
	for name, s := range senders {
		if s != nil {
			r.senders[name] = s
		}
	}
	return r
}

// Send delivers m through its channel's sender.
func (r *Router) Send(ctx context.Context, m Outbound) (string, error) {
	s, ok := r.senders[m.Channel]
	if !ok {
		return "", fmt.Errorf("%w %q", ErrUnknownChannel, m.Channel)
	}
	return s.Send(ctx, m)
}

// WebSender delivers web-chat replies, which reach the customer by being
// stored on the contact (the chat page reads them); sending is a no-op.
type WebSender struct{}

// Send returns "web".
func (WebSender) Send(context.Context, Outbound) (string, error) { return Web, nil }

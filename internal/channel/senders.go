package channel

import (
	"context"
	"strings"
	"time"

	"github.com/harbordesk/harbordesk/internal/channel/dingtalkbot"
	"github.com/harbordesk/harbordesk/internal/channel/whatsapp"
)

// FollowupTemplate is the pre-approved WhatsApp template used outside the
// 24-hour window; its body has one parameter, the reply text.
const FollowupTemplate = "harbordesk_followup"

// WhatsAppSender sends free-form text inside the customer-service window and
// the follow-up template outside it (or when WhatsApp says the window has
// closed, error 131047).
type WhatsAppSender struct {
	Client   *whatsapp.Client
	Template string           // "" = FollowupTemplate
	Now      func() time.Time // nil = time.Now
}

// Send delivers m and returns the WhatsApp message id.
func (s WhatsAppSender) Send(ctx context.Context, m Outbound) (string, error) {
	if strings.TrimSpace(strings.TrimPrefix(m.To, "+")) == "" {
		return "", ErrNoRecipient
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	if whatsapp.InServiceWindow(m.LastInbound, now()) {
		id, err := s.Client.SendText(ctx, m.To, m.Text, m.Key)
		if !whatsapp.IsReEngagement(err) {
			return id, err
		}
	}
	tpl := s.Template
	if tpl == "" {
		tpl = FollowupTemplate
	}
	return s.Client.SendTemplateKeyed(ctx, m.To, tpl, TemplateLanguage(m.Locale), []string{m.Text}, m.Key)
}

// TemplateLanguage maps a customer locale to the WhatsApp template language
// code: Cantonese and Traditional Chinese → zh_HK, Simplified/Mandarin →
// zh_CN, everything else → en.
func TemplateLanguage(locale string) string {
	l := strings.ToLower(strings.ReplaceAll(locale, "_", "-"))
	switch {
	case strings.HasPrefix(l, "yue"), strings.Contains(l, "hant"), l == "zh-hk", l == "zh-tw", l == "zh-mo":
		return "zh_HK"
	case strings.HasPrefix(l, "zh"), strings.HasPrefix(l, "cmn"):
		return "zh_CN"
	default:
		return "en"
	}
}

// DingTalkSender replies through the conversation's session webhook. DingTalk
// offers no idempotency key and no message id; the reference is "dingtalk".
type DingTalkSender struct {
	Replier *dingtalkbot.Replier
}

// Send delivers m to m.SessionWebhook.
func (s DingTalkSender) Send(ctx context.Context, m Outbound) (string, error) {
	if m.SessionWebhook == "" {
		return "", ErrNoSession
	}
	if err := s.Replier.Reply(ctx, m.SessionWebhook, m.SessionWebhookExpires, m.Text); err != nil {
		return "", err
	}
	return DingTalk, nil
}

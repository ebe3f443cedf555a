package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/harbordesk/harbordesk/internal/channel/dingtalkbot"
	"github.com/harbordesk/harbordesk/internal/channel/whatsapp"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/desk"
	"github.com/harbordesk/harbordesk/internal/validate"
)

// WhatsApp configures the WhatsApp Business Cloud API webhook.
type WhatsApp struct {
	VerifyToken string
	AppSecret   string
	// Media is set when the Cloud API token is configured: media messages
	// are then handed to the workflow to fetch (the worker holds its own
	// client); nil: they stay "[type]" markers.
	Media *whatsapp.Client
}

// MountWebhooks adds the channel webhooks that are configured.
func MountWebhooks(wa *WhatsApp, dingTalkAppSecret string) func(r *gin.Engine, s *Server) {
	return func(r *gin.Engine, s *Server) {
		if wa != nil {
			r.GET("/webhooks/whatsapp", func(c *gin.Context) { s.whatsappVerify(c, wa) })
			r.POST("/webhooks/whatsapp", func(c *gin.Context) { s.whatsappInbound(c, wa) })
		}
		if dingTalkAppSecret != "" {
			r.POST("/webhooks/dingtalk", func(c *gin.Context) { s.dingtalkInbound(c, dingTalkAppSecret) })
		}
	}
}

// pseudonym keys a conversation by a keyed hash (HMAC-SHA256 with the
// deployment's pseudonym key) of the channel's address — a phone number for
// WhatsApp — so workflow IDs, Temporal's visibility store and the database
// never hold the number, and the short space of phone numbers cannot be
// brute-forced back from the ID without the key. The number itself travels
// only in encrypted workflow payloads.
func (s *Server) pseudonym(prefix, v string) string {
	m := hmac.New(sha256.New, s.PseudonymKey)
	m.Write([]byte(prefix + "/" + v))
	return prefix + "_" + hex.EncodeToString(m.Sum(nil)[:10])
}

func (s *Server) whatsappVerify(c *gin.Context, wa *WhatsApp) {
	challenge, ok := whatsapp.VerifyHandshake(c.Request.URL.Query(), wa.VerifyToken)
	if !ok {
		abort(c, http.StatusForbidden, "forbidden", "verify token does not match")
		return
	}
	c.String(http.StatusOK, challenge)
}

// webhookText checks a channel message's ID and text as the API checks its
// own (control characters and invalid UTF-8 are refused); a text over
// validate.MaxTextRunes is not refused but cut and marked by the caller.
func webhookText(id, text string) string {
	switch {
	case id == "" || len(id) > validate.MaxIDLen || !validate.Clean(id):
		return "message id is missing, too long or contains control characters"
	case !validate.Clean(text):
		return "message text contains control characters or invalid UTF-8"
	}
	return ""
}

func readBody(c *gin.Context) ([]byte, bool) {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			abort(c, http.StatusRequestEntityTooLarge, "too_large", "request body is over the limit")
		} else {
			abort(c, http.StatusBadRequest, "malformed", "could not read the request body")
		}
		return nil, false
	}
	return body, true
}

// whatsappInbound verifies the X-Hub-Signature-256 over the raw body, then
// hands every message to its contact's workflow. WhatsApp delivers at least
// once: the message ID is the dedupe key, so redeliveries change nothing.
func (s *Server) whatsappInbound(c *gin.Context, wa *WhatsApp) {
	body, ok := readBody(c)
	if !ok {
		return
	}
	if err := whatsapp.VerifySignature(body, c.GetHeader(whatsapp.SignatureHeader), wa.AppSecret); err != nil {
		abort(c, http.StatusUnauthorized, "bad_signature", "X-Hub-Signature-256 is missing or does not match")
		return
	}
	hook, err := whatsapp.ParseWebhook(body)
	if err != nil {
		abort(c, http.StatusBadRequest, "malformed", "webhook body is not a WhatsApp notification")
		return
	}
	for _, m := range hook.Messages {
		if msg := webhookText(m.ID, m.Text); msg != "" {
			abort(c, http.StatusUnprocessableEntity, "invalid", msg)
			return
		}
	}
	for _, m := range hook.Messages {
		msg := desk.Message{Channel: contact.ChannelWhatsApp, CustomerID: s.pseudonym("wa", m.From),
			ConversationID: s.pseudonym("wa", m.PhoneNumberID+"/"+m.From), MessageID: m.ID,
			ReplyTo: contact.ReplyTo{To: m.From}, ReceivedAt: time.Now().UTC()}
		switch kind := mediaKind(m); {
		case kind != "" && wa.Media != nil:
			// Fetched by the contact's workflow in an activity with retries,
			// so the webhook answers at once; Text is the caption, if any.
			msg.Media = &contact.Media{ID: m.Media.ID, MIME: m.Media.MimeType, Kind: kind}
			msg.Text, _ = validate.Truncate(m.Text, validate.MaxTextRunes)
		case m.Text != "":
			msg.Text, _ = validate.Truncate(m.Text, validate.MaxTextRunes)
		default:
			msg.Text = "[" + m.Type + "]"
		}
		if _, err := s.Desk.Receive(c.Request.Context(), msg); err != nil {
			s.fail(c, err) // non-2xx: WhatsApp redelivers, the workflow dedupes
			return
		}
	}
	applied, ok := s.whatsappStatuses(c, hook.Statuses)
	if !ok {
		return
	}
	c.JSON(http.StatusOK, gin.H{"received": len(hook.Messages), "statuses": len(hook.Statuses), "applied": applied})
}

// whatsappStatuses records what WhatsApp reports about the desk's replies
// (sent, delivered, read, failed) on the reply named by the echoed callback
// data, or failing that by the message id. Reports for messages the desk
// does not know are acknowledged and ignored; a database error is not
// acknowledged, so WhatsApp redelivers and the store applies it once. The
// recipient's number is never logged.
func (s *Server) whatsappStatuses(c *gin.Context, statuses []whatsapp.Status) (applied int, ok bool) {
	for _, st := range statuses {
		code := 0
		if len(st.Errors) > 0 {
			code = st.Errors[0].Code
		}
		changed, err := s.contactStore().RecordDeliveryStatus(c.Request.Context(), st.CallbackData, st.MessageID, st.Status, code, st.Timestamp)
		if err != nil {
			s.fail(c, err)
			return applied, false
		}
		if !changed {
			continue
		}
		applied++
		if st.Status == whatsapp.StatusFailed {
			contactID, _, _ := strings.Cut(st.CallbackData, "/")
			s.Log.Warn("whatsapp could not deliver a reply", "contact_id", contactID, "error_code", code)
		}
	}
	return applied, true
}

// dingtalkInbound verifies the timestamp + sign headers and answers through
// the message's session webhook.
func (s *Server) dingtalkInbound(c *gin.Context, appSecret string) {
	body, ok := readBody(c)
	if !ok {
		return
	}
	cb, err := dingtalkbot.VerifyAndParse(body, appSecret, c.GetHeader("timestamp"), c.GetHeader("sign"), time.Now())
	if err != nil {
		if errors.Is(err, dingtalkbot.ErrMalformedCallback) {
			abort(c, http.StatusBadRequest, "malformed", "callback body is not a DingTalk robot message")
			return
		}
		abort(c, http.StatusUnauthorized, "bad_signature", "timestamp/sign headers are missing, stale or do not match")
		return
	}
	if msg := webhookText(cb.MsgID, cb.Text); msg != "" {
		abort(c, http.StatusUnprocessableEntity, "invalid", msg)
		return
	}
	text, _ := validate.Truncate(cb.Text, validate.MaxTextRunes)
	msg := desk.Message{Channel: contact.ChannelDingTalk, CustomerID: s.pseudonym("dt", cb.Sender()),
		ConversationID: s.pseudonym("dt", cb.ConversationID+"/"+cb.Sender()), MessageID: cb.MsgID, Text: text,
		ReplyTo: contact.ReplyTo{To: cb.Sender(), SessionWebhook: cb.SessionWebhook}, ReceivedAt: time.Now().UTC()}
	if msg.Text == "" {
		msg.Text = "[" + cb.MsgType + "]"
	}
	if _, err := s.Desk.Receive(c.Request.Context(), msg); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"msgtype": "empty"})
}

// mediaKind says which WhatsApp media the desk fetches: voice notes (and
// other audio), photos and documents; "" for anything else (stickers,
// video, locations), which stays a "[type]" marker.
func mediaKind(m whatsapp.Message) string {
	switch {
	case m.Media == nil || m.Media.ID == "":
		return ""
	case m.IsVoice():
		return contact.MediaVoice
	case m.Type == whatsapp.TypeImage:
		return contact.MediaImage
	case m.Type == whatsapp.TypeDocument:
		return contact.MediaDocument
	}
	return ""
}

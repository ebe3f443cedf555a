package whatsapp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Message types as WhatsApp names them. A voice note arrives as TypeAudio with
// Media.Voice set. Types not listed here are still delivered, with Type set
// to WhatsApp's name for them.
const (
	TypeText        = "text"
	TypeAudio       = "audio"
	TypeImage       = "image"
	TypeVideo       = "video"
	TypeDocument    = "document"
	TypeSticker     = "sticker"
	TypeInteractive = "interactive"
	TypeButton      = "button"
	TypeLocation    = "location"
	TypeReaction    = "reaction"
	TypeUnsupported = "unsupported"
)

// Delivery statuses reported for messages the desk sent.
const (
	StatusSent      = "sent"
	StatusDelivered = "delivered"
	StatusRead      = "read"
	StatusFailed    = "failed"
)

// ErrMalformedWebhook is returned for bodies that are not a webhook JSON object.
var ErrMalformedWebhook = errors.New("whatsapp: malformed webhook body")

// Webhook is what one delivery carries: customer messages and status updates
// for messages the desk sent, across all entries and changes.
type Webhook struct {
	Messages []Message
	Statuses []Status
}

// Message is one inbound customer message.
type Message struct {
	ID            string    // wamid, the dedupe key (WhatsApp delivers at least once)
	From          string    // customer's wa_id
	ProfileName   string    // customer's WhatsApp profile name (personal data)
	PhoneNumberID string    // the business number that received it
	Timestamp     time.Time // zero when WhatsApp sent none or an unreadable one
	Type          string    // TypeText, TypeAudio, … or WhatsApp's name for other types
	// Text is the text body, the title of the chosen button or list row, or a
	// media caption.
	Text string
	// ReplyID is the id of the chosen interactive button/list row, or the
	// payload of a template quick-reply button.
	ReplyID string
	// InteractiveType is "button_reply" or "list_reply" for TypeInteractive.
	InteractiveType string
	// ContextID is the id of the message this one replies to, if any.
	ContextID string
	Media     *Media // set for audio, image, video, document and sticker
}

// Media identifies an attachment to fetch with Client.DownloadMedia.
type Media struct {
	ID       string
	MimeType string
	SHA256   string
	Voice    bool // audio recorded as a voice note
}

// IsVoice reports whether the message is a voice note or other audio.
func (m Message) IsVoice() bool { return m.Type == TypeAudio || m.Type == "voice" }

// Status is a delivery update for a message the desk sent.
type Status struct {
	MessageID   string // wamid returned by SendText/SendTemplate
	Status      string // StatusSent, StatusDelivered, StatusRead, StatusFailed
	RecipientID string // customer's wa_id
	Timestamp   time.Time
	// CallbackData echoes the idempotency key the desk sent with the message.
	CallbackData string
	Errors       []StatusError
}

// StatusError is WhatsApp's reason for a failed delivery.
type StatusError struct {
	Code  int
	Title string
}

type wireWebhook struct {
	Object string `json:"object"`
	Entry  []struct {
		Changes []struct {
			Field string    `json:"field"`
			Value wireValue `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

type wireValue struct {
	Metadata struct {
		PhoneNumberID string `json:"phone_number_id"`
	} `json:"metadata"`
	Contacts []struct {
		WaID    string `json:"wa_id"`
		Profile struct {
			Name string `json:"name"`
		} `json:"profile"`
	} `json:"contacts"`
	Messages []wireMessage `json:"messages"`
	Statuses []struct {
		ID           string `json:"id"`
		Status       string `json:"status"`
		Timestamp    string `json:"timestamp"`
		RecipientID  string `json:"recipient_id"`
		CallbackData string `json:"biz_opaque_callback_data"`
		Errors       []struct {
			Code  int    `json:"code"`
			Title string `json:"title"`
		} `json:"errors"`
	} `json:"statuses"`
}

type wireMedia struct {
	ID       string `json:"id"`
	MimeType string `json:"mime_type"`
	SHA256   string `json:"sha256"`
	Caption  string `json:"caption"`
	Voice    bool   `json:"voice"`
}

type wireReply struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type wireMessage struct {
	ID        string `json:"id"`
	From      string `json:"from"`
	Timestamp string `json:"timestamp"`
	Type      string `json:"type"`
	Context   struct {
		ID string `json:"id"`
	} `json:"context"`
	Text struct {
		Body string `json:"body"`
	} `json:"text"`
	Audio       *wireMedia `json:"audio"`
	Voice       *wireMedia `json:"voice"`
	Image       *wireMedia `json:"image"`
	Video       *wireMedia `json:"video"`
	Document    *wireMedia `json:"document"`
	Sticker     *wireMedia `json:"sticker"`
	Interactive struct {
		Type        string    `json:"type"`
		ButtonReply wireReply `json:"button_reply"`
		ListReply   wireReply `json:"list_reply"`
	} `json:"interactive"`
	Button struct {
		Payload string `json:"payload"`
		Text    string `json:"text"`
	} `json:"button"`
}

// ParseWebhook decodes a WhatsApp Business Account webhook body. Only
// "messages" changes are read; other fields (template status, account
// updates) yield nothing. Messages without an id or sender are dropped since
// they can be neither deduplicated nor answered. Unknown message types are
// kept with their type name.
func ParseWebhook(body []byte) (Webhook, error) {
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return Webhook{}, fmt.Errorf("%w: not a JSON object", ErrMalformedWebhook)
	}
	var w wireWebhook
	if err := json.Unmarshal(body, &w); err != nil {
		return Webhook{}, fmt.Errorf("%w: %v", ErrMalformedWebhook, jsonErrorKind(err))
	}
	var out Webhook
	for _, e := range w.Entry {
		for _, c := range e.Changes {
			if c.Field != "" && c.Field != "messages" {
				continue
			}
			out.add(c.Value)
		}
	}
	return out, nil
}

func (out *Webhook) add(v wireValue) {
	names := make(map[string]string, len(v.Contacts))
	for _, c := range v.Contacts {
		names[c.WaID] = c.Profile.Name
	}
	for _, wm := range v.Messages {
		if wm.ID == "" || wm.From == "" {
			continue
		}
		m := Message{
			ID:            wm.ID,
			From:          wm.From,
			ProfileName:   names[wm.From],
			PhoneNumberID: v.Metadata.PhoneNumberID,
			Timestamp:     unixTime(wm.Timestamp),
			Type:          wm.Type,
			ContextID:     wm.Context.ID,
		}
		fillContent(&m, &wm)
		out.Messages = append(out.Messages, m)
	}
	for _, ws := range v.Statuses {
		if ws.ID == "" {
			continue
		}
		s := Status{
			MessageID:    ws.ID,
			Status:       ws.Status,
			RecipientID:  ws.RecipientID,
			Timestamp:    unixTime(ws.Timestamp),
			CallbackData: ws.CallbackData,
		}
		for _, e := range ws.Errors {
			s.Errors = append(s.Errors, StatusError{Code: e.Code, Title: e.Title})
		}
		out.Statuses = append(out.Statuses, s)
	}
}

func fillContent(m *Message, wm *wireMessage) {
	switch wm.Type {
	case TypeText:
		m.Text = wm.Text.Body
	case TypeInteractive:
		m.InteractiveType = wm.Interactive.Type
		r := wm.Interactive.ButtonReply
		if wm.Interactive.Type == "list_reply" {
			r = wm.Interactive.ListReply
		}
		m.ReplyID, m.Text = r.ID, r.Title
	case TypeButton:
		m.ReplyID, m.Text = wm.Button.Payload, wm.Button.Text
	default:
		if md := wm.media(); md != nil {
			m.Media = &Media{ID: md.ID, MimeType: md.MimeType, SHA256: md.SHA256, Voice: md.Voice || wm.Type == "voice"}
			m.Text = md.Caption
		}
	}
}

func (wm *wireMessage) media() *wireMedia {
	switch wm.Type {
	case TypeAudio:
		return wm.Audio
	case "voice":
		return wm.Voice
	case TypeImage:
		return wm.Image
	case TypeVideo:
		return wm.Video
	case TypeDocument:
		return wm.Document
	case TypeSticker:
		return wm.Sticker
	}
	return nil
}

func unixTime(s string) time.Time {
	sec, err := strconv.ParseInt(s, 10, 64)
	if err != nil || sec <= 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

// jsonErrorKind describes a decoding error without echoing body content
// (json.SyntaxError and UnmarshalTypeError messages carry no payload bytes,
// but wrap them generically anyway so nothing from the body leaks).
func jsonErrorKind(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("syntax error at offset %d", se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("wrong type for %s", te.Field)
	}
	return "undecodable JSON"
}

package dingtalkbot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Message types the robot receives. Others are kept with DingTalk's name.
const (
	TypeText     = "text"
	TypeAudio    = "audio"
	TypeRichText = "richText"
	TypePicture  = "picture"
)

// Conversation types.
const (
	ConversationSingle = "1"
	ConversationGroup  = "2"
)

// ErrMalformedCallback is returned for bodies that are not a usable callback.
var ErrMalformedCallback = errors.New("dingtalkbot: malformed callback body")

// Callback is one message sent to the robot.
type Callback struct {
	MsgID            string // dedupe key
	MsgType          string // TypeText, TypeAudio, … or DingTalk's name
	Text             string // text content, voice recognition, or rich-text words; trimmed
	ConversationID   string
	ConversationType string // ConversationSingle or ConversationGroup
	SenderStaffID    string // staff id inside the organisation; empty for outsiders
	SenderID         string // encrypted sender id, always present
	SenderNick       string // display name (personal data)
	RobotCode        string
	// SessionWebhook is the URL to reply to this conversation, valid until
	// SessionWebhookExpires.
	SessionWebhook        string
	SessionWebhookExpires time.Time
	CreatedAt             time.Time
}

// Sender is the most stable id for the sender: the staff id when DingTalk
// gives one, else the encrypted sender id.
func (c Callback) Sender() string {
	if c.SenderStaffID != "" {
		return c.SenderStaffID
	}
	return c.SenderID
}

type wireCallback struct {
	MsgID                     string `json:"msgId"`
	MsgType                   string `json:"msgtype"`
	ConversationID            string `json:"conversationId"`
	ConversationType          string `json:"conversationType"`
	SenderStaffID             string `json:"senderStaffId"`
	SenderID                  string `json:"senderId"`
	SenderNick                string `json:"senderNick"`
	RobotCode                 string `json:"robotCode"`
	SessionWebhook            string `json:"sessionWebhook"`
	SessionWebhookExpiredTime int64  `json:"sessionWebhookExpiredTime"`
	CreateAt                  int64  `json:"createAt"`
	Text                      struct {
		Content string `json:"content"`
	} `json:"text"`
	Content json.RawMessage `json:"content"`
}

// ParseCallback decodes a robot callback body. msgId, conversationId and a
// sender id are required: without them the message can be neither
// deduplicated nor answered.
func ParseCallback(body []byte) (Callback, error) {
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return Callback{}, fmt.Errorf("%w: not a JSON object", ErrMalformedCallback)
	}
	var w wireCallback
	if err := json.Unmarshal(body, &w); err != nil {
		return Callback{}, fmt.Errorf("%w: undecodable JSON", ErrMalformedCallback)
	}
	if w.MsgID == "" || w.ConversationID == "" || (w.SenderID == "" && w.SenderStaffID == "") {
		return Callback{}, fmt.Errorf("%w: msgId, conversationId or sender missing", ErrMalformedCallback)
	}
	c := Callback{
		MsgID: w.MsgID, MsgType: w.MsgType,
		ConversationID: w.ConversationID, ConversationType: w.ConversationType,
		SenderStaffID: w.SenderStaffID, SenderID: w.SenderID, SenderNick: w.SenderNick,
		RobotCode: w.RobotCode, SessionWebhook: w.SessionWebhook,
		SessionWebhookExpires: millis(w.SessionWebhookExpiredTime),
		CreatedAt:             millis(w.CreateAt),
	}
	switch w.MsgType {
	case TypeText:
		c.Text = w.Text.Content
	case TypeAudio:
		var a struct {
			Recognition string `json:"recognition"`
		}
		if json.Unmarshal(w.Content, &a) == nil {
			c.Text = a.Recognition
		}
	case TypeRichText:
		var rt struct {
			RichText []struct {
				Text string `json:"text"`
			} `json:"richText"`
		}
		if json.Unmarshal(w.Content, &rt) == nil {
			parts := make([]string, 0, len(rt.RichText))
			for _, p := range rt.RichText {
				if p.Text != "" {
					parts = append(parts, p.Text)
				}
			}
			c.Text = strings.Join(parts, " ")
		}
	}
	// Group messages start with the stripped @robot mention's space.
	c.Text = strings.TrimSpace(c.Text)
	return c, nil
}

func millis(ms int64) time.Time {
	if ms <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

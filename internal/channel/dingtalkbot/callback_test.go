package dingtalkbot

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

// Shaped like the documented enterprise-internal robot callback.
const textCallback = `{
  "chatbotCorpId": "dinge19e25c0b3f73fd6",
  "chatbotUserId": "$:LWCP_v1:$01B/44e",
  "conversationId": "cidh6ezDLHQau9V23Es",
  "conversationType": "2",
  "createAt": 1774080994334,
  "isAdmin": false,
  "msgId": "msgBjXREkdlZkfTfrIiQomjAw==",
  "msgtype": "text",
  "robotCode": "dingf0apw4ibx5u5ktba",
  "senderCorpId": "dinge19e25c0b3f73fd6",
  "senderId": "$:LWCP_v1:$gzXDEXQDiM8p",
  "senderNick": "陳大文",
  "senderStaffId": "032615015535634423",
  "sessionWebhook": "https://oapi.dingtalk.com/robot/sendBySession?session=3dc998",
  "sessionWebhookExpiredTime": 1774086394522,
  "text": {"content": " 我張單幾時到？"}
}`

func TestParseCallback(t *testing.T) {
	c, err := ParseCallback([]byte(textCallback))
	if err != nil {
		t.Fatal(err)
	}
	want := Callback{
		MsgID: "msgBjXREkdlZkfTfrIiQomjAw==", MsgType: TypeText, Text: "我張單幾時到？",
		ConversationID: "cidh6ezDLHQau9V23Es", ConversationType: ConversationGroup,
		SenderStaffID: "032615015535634423", SenderID: "$:LWCP_v1:$gzXDEXQDiM8p", SenderNick: "陳大文",
		RobotCode:             "dingf0apw4ibx5u5ktba",
		SessionWebhook:        "https://oapi.dingtalk.com/robot/sendBySession?session=3dc998",
		SessionWebhookExpires: time.UnixMilli(1774086394522).UTC(),
		CreatedAt:             time.UnixMilli(1774080994334).UTC(),
	}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("got  %+v\nwant %+v", c, want)
	}
	if c.Sender() != "032615015535634423" {
		t.Fatalf("Sender = %q", c.Sender())
	}
}

func TestParseCallbackTypes(t *testing.T) {
	const ids = `"msgId":"m1","conversationId":"c1","senderId":"s1"`
	tests := []struct {
		name       string
		body       string
		wantType   string
		wantText   string
		wantSender string
	}{
		{"audio uses recognition", `{` + ids + `,"msgtype":"audio","content":{"duration":3,"downloadCode":"x","recognition":"退款"}}`, TypeAudio, "退款", "s1"},
		{"rich text words joined", `{` + ids + `,"msgtype":"richText","content":{"richText":[{"text":"order"},{"pictureDownloadCode":"p"},{"text":"HK20461"}]}}`, TypeRichText, "order HK20461", "s1"},
		{"picture kept without text", `{` + ids + `,"msgtype":"picture","content":{"downloadCode":"p"}}`, TypePicture, "", "s1"},
		{"unknown type kept", `{` + ids + `,"msgtype":"file","content":{"fileName":"a.pdf"}}`, "file", "", "s1"},
		{"audio with odd content", `{` + ids + `,"msgtype":"audio","content":"x"}`, TypeAudio, "", "s1"},
		{"staff id only", `{"msgId":"m1","conversationId":"c1","senderStaffId":"st","msgtype":"text","text":{"content":"hi"}}`, TypeText, "hi", "st"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseCallback([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if c.MsgType != tt.wantType || c.Text != tt.wantText || c.Sender() != tt.wantSender {
				t.Fatalf("got type %q text %q sender %q", c.MsgType, c.Text, c.Sender())
			}
		})
	}
}

func TestParseCallbackErrors(t *testing.T) {
	for name, body := range map[string]string{
		"empty":           ``,
		"array":           `[]`,
		"truncated":       `{"msgId":"m1"`,
		"wrong type":      `{"msgId":1}`,
		"no msgId":        `{"conversationId":"c","senderId":"s"}`,
		"no conversation": `{"msgId":"m","senderId":"s"}`,
		"no sender":       `{"msgId":"m","conversationId":"c"}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseCallback([]byte(body)); !errors.Is(err, ErrMalformedCallback) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func FuzzParseCallback(f *testing.F) {
	f.Add([]byte(textCallback))
	f.Add([]byte(`{"msgId":"m","conversationId":"c","senderId":"s","msgtype":"richText","content":{"richText":[{"text":"a"}]}}`))
	f.Add([]byte(`{"msgId":"m","conversationId":"c","senderId":"s","msgtype":"audio","content":{"recognition":"x"}}`))
	f.Add([]byte(`{"sessionWebhookExpiredTime":-1}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := ParseCallback(body)
		if err != nil {
			if !errors.Is(err, ErrMalformedCallback) {
				t.Fatalf("unexpected error type %v", err)
			}
			return
		}
		if c.MsgID == "" || c.ConversationID == "" || c.Sender() == "" {
			t.Fatalf("accepted callback without ids: %+v", c)
		}
	})
}

func BenchmarkParseCallback(b *testing.B) {
	body := []byte(textCallback)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := ParseCallback(body); err != nil {
			b.Fatal(err)
		}
	}
}

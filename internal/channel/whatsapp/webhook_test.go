package whatsapp

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func envelope(value string) []byte {
	return []byte(`{"object":"whatsapp_business_account","entry":[{"id":"WABA1","changes":[{"field":"messages","value":` + value + `}]}]}`)
}

const meta = `"messaging_product":"whatsapp","metadata":{"display_phone_number":"85230001234","phone_number_id":"1234567890"},"contacts":[{"profile":{"name":"Chan Tai Man"},"wa_id":"85291234567"}]`

func TestParseWebhookMessages(t *testing.T) {
	ts := time.Unix(1718000000, 0).UTC()
	base := Message{ID: "wamid.1", From: "85291234567", ProfileName: "Chan Tai Man", PhoneNumberID: "1234567890", Timestamp: ts}
	with := func(f func(*Message)) Message { m := base; f(&m); return m }
	tests := []struct {
		name string
		msg  string
		want Message
	}{
		{"text", `{"from":"85291234567","id":"wamid.1","timestamp":"1718000000","type":"text","text":{"body":"請問幾點開門？"}}`,
			with(func(m *Message) { m.Type, m.Text = TypeText, "請問幾點開門？" })},
		{"voice note", `{"from":"85291234567","id":"wamid.1","timestamp":"1718000000","type":"audio","audio":{"mime_type":"audio/ogg; codecs=opus","sha256":"abc","id":"MEDIA1","voice":true}}`,
			with(func(m *Message) {
				m.Type = TypeAudio
				m.Media = &Media{ID: "MEDIA1", MimeType: "audio/ogg; codecs=opus", SHA256: "abc", Voice: true}
			})},
		{"image with caption", `{"from":"85291234567","id":"wamid.1","timestamp":"1718000000","type":"image","image":{"caption":"個盒爛咗","mime_type":"image/jpeg","id":"IMG1"}}`,
			with(func(m *Message) {
				m.Type, m.Text = TypeImage, "個盒爛咗"
				m.Media = &Media{ID: "IMG1", MimeType: "image/jpeg"}
			})},
		{"button reply", `{"from":"85291234567","id":"wamid.1","timestamp":"1718000000","type":"interactive","context":{"from":"85230001234","id":"wamid.OUT"},"interactive":{"type":"button_reply","button_reply":{"id":"human","title":"Talk to a person"}}}`,
			with(func(m *Message) {
				m.Type, m.InteractiveType, m.ReplyID, m.Text, m.ContextID = TypeInteractive, "button_reply", "human", "Talk to a person", "wamid.OUT"
			})},
		{"list reply", `{"from":"85291234567","id":"wamid.1","timestamp":"1718000000","type":"interactive","interactive":{"type":"list_reply","list_reply":{"id":"opt-2","title":"Refund","description":"x"}}}`,
			with(func(m *Message) {
				m.Type, m.InteractiveType, m.ReplyID, m.Text = TypeInteractive, "list_reply", "opt-2", "Refund"
			})},
		{"template quick reply", `{"from":"85291234567","id":"wamid.1","timestamp":"1718000000","type":"button","button":{"payload":"YES","text":"Yes"}}`,
			with(func(m *Message) { m.Type, m.ReplyID, m.Text = TypeButton, "YES", "Yes" })},
		{"unknown type kept", `{"from":"85291234567","id":"wamid.1","timestamp":"1718000000","type":"order","order":{"catalog_id":"1"}}`,
			with(func(m *Message) { m.Type = "order" })},
		{"bad timestamp is zero", `{"from":"85291234567","id":"wamid.1","timestamp":"soon","type":"text","text":{"body":"hi"}}`,
			with(func(m *Message) { m.Type, m.Text, m.Timestamp = TypeText, "hi", time.Time{} })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := ParseWebhook(envelope(`{` + meta + `,"messages":[` + tt.msg + `]}`))
			if err != nil {
				t.Fatal(err)
			}
			if len(w.Messages) != 1 || len(w.Statuses) != 0 {
				t.Fatalf("got %d messages, %d statuses", len(w.Messages), len(w.Statuses))
			}
			if !reflect.DeepEqual(w.Messages[0], tt.want) {
				t.Fatalf("got  %+v\nwant %+v", w.Messages[0], tt.want)
			}
		})
	}
}

func TestParseWebhookStatuses(t *testing.T) {
	body := envelope(`{` + meta + `,"statuses":[
	 {"id":"wamid.OUT1","status":"delivered","timestamp":"1718000100","recipient_id":"85291234567","biz_opaque_callback_data":"contact-1/reply-2"},
	 {"id":"wamid.OUT2","status":"failed","timestamp":"1718000200","recipient_id":"85291234567","errors":[{"code":131047,"title":"Re-engagement message"}]},
	 {"status":"read"}]}`)
	w, err := ParseWebhook(body)
	if err != nil {
		t.Fatal(err)
	}
	want := []Status{
		{MessageID: "wamid.OUT1", Status: StatusDelivered, RecipientID: "85291234567", Timestamp: time.Unix(1718000100, 0).UTC(), CallbackData: "contact-1/reply-2"},
		{MessageID: "wamid.OUT2", Status: StatusFailed, RecipientID: "85291234567", Timestamp: time.Unix(1718000200, 0).UTC(),
			Errors: []StatusError{{Code: CodeReEngagement, Title: "Re-engagement message"}}},
	}
	if !reflect.DeepEqual(w.Statuses, want) || len(w.Messages) != 0 {
		t.Fatalf("got %+v", w)
	}
}

func TestParseWebhookShapes(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		wantErr   bool
		wantMsgs  int
		wantStats int
	}{
		{"malformed json", `{"entry":[`, true, 0, 0},
		{"array", `[]`, true, 0, 0},
		{"null", `null`, true, 0, 0},
		{"empty", ``, true, 0, 0},
		{"wrong type for entry", `{"entry":"x"}`, true, 0, 0},
		{"no entries", `{"object":"whatsapp_business_account"}`, false, 0, 0},
		{"other field skipped", `{"entry":[{"changes":[{"field":"message_template_status_update","value":{"messages":[{"id":"a","from":"b","type":"text"}]}}]}]}`, false, 0, 0},
		{"message without id dropped", string(envelope(`{"messages":[{"from":"852","type":"text","text":{"body":"x"}}]}`)), false, 0, 0},
		{"message without sender dropped", string(envelope(`{"messages":[{"id":"w","type":"text","text":{"body":"x"}}]}`)), false, 0, 0},
		{"two entries", `{"entry":[{"changes":[{"field":"messages","value":{"messages":[{"id":"a","from":"1","type":"text"}]}}]},{"changes":[{"field":"messages","value":{"messages":[{"id":"b","from":"2","type":"text"}],"statuses":[{"id":"c","status":"sent"}]}}]}]}`, false, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := ParseWebhook([]byte(tt.body))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrMalformedWebhook) {
				t.Fatalf("err = %v, want ErrMalformedWebhook", err)
			}
			if len(w.Messages) != tt.wantMsgs || len(w.Statuses) != tt.wantStats {
				t.Fatalf("got %d messages %d statuses", len(w.Messages), len(w.Statuses))
			}
		})
	}
}

func TestMessageIsVoice(t *testing.T) {
	if !(Message{Type: TypeAudio}).IsVoice() || (Message{Type: TypeText}).IsVoice() {
		t.Fatal("IsVoice misclassifies")
	}
}

func FuzzParseWebhook(f *testing.F) {
	f.Add(envelope(`{` + meta + `,"messages":[{"from":"1","id":"w","timestamp":"1","type":"text","text":{"body":"hi"}}]}`))
	f.Add(envelope(`{"messages":[{"from":"1","id":"w","type":"audio","audio":{"id":"m","voice":true}}]}`))
	f.Add(envelope(`{"messages":[{"from":"1","id":"w","type":"interactive","interactive":{"type":"list_reply","list_reply":{"id":"x"}}}]}`))
	f.Add(envelope(`{"statuses":[{"id":"s","status":"failed","errors":[{"code":1}]}]}`))
	f.Add([]byte(`{"entry":[{"changes":[{"value":null}]}]}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, body []byte) {
		w, err := ParseWebhook(body)
		if err != nil {
			if len(w.Messages)+len(w.Statuses) != 0 {
				t.Fatal("error with results")
			}
			return
		}
		for _, m := range w.Messages {
			if m.ID == "" || m.From == "" {
				t.Fatalf("message without id or sender: %+v", m)
			}
		}
		for _, s := range w.Statuses {
			if s.MessageID == "" {
				t.Fatal("status without message id")
			}
		}
	})
}

func BenchmarkParseWebhook(b *testing.B) {
	body := envelope(`{` + meta + `,"messages":[{"from":"85291234567","id":"wamid.1","timestamp":"1718000000","type":"text","text":{"body":"請問你哋星期日開唔開門？"}}]}`)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := ParseWebhook(body); err != nil {
			b.Fatal(err)
		}
	}
}

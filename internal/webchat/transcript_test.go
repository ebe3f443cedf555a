package webchat

import (
	"reflect"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/store/contacts"
)

func TestFromContact(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 23, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	web := contacts.ContactView{Channel: "web", State: "answered",
		Transcript: []contacts.MessageView{
			{MessageID: "m1", Kind: "text", Text: "我張單未出貨", At: at(0)},
			{MessageID: "m2", Kind: "voice", Text: "電話 [PHONE]", Engine: "whisper", At: at(5)},
		},
		Replies: []contacts.ReplyView{
			{Author: "bot", Kind: "notice", Text: "私隱聲明", Delivery: "delivered", At: at(0)},
			{Author: "bot", Kind: "answer", Text: "幫你查緊", ArticleID: "kb-1", Delivery: "delivered", At: at(2)},
			{Author: "agent", Agent: "agent-ken@shop.example", Kind: "answer", Text: "我係客服", Delivery: "pending", At: at(9)},
		},
	}
	tests := []struct {
		name string
		v    contacts.ContactView
		want Transcript
	}{
		{"merged by time, customer first on a tie", web, Transcript{ConversationID: "c", State: "answered", Replies: 3, Items: []Entry{
			{Author: "customer", Kind: "text", Text: "我張單未出貨", At: at(0), MessageID: "m1"},
			{Author: "bot", Kind: "notice", Text: "私隱聲明", At: at(0), Seq: 1},
			{Author: "bot", Kind: "answer", Text: "幫你查緊", At: at(2), Seq: 2},
			{Author: "customer", Kind: "voice", Text: "電話 [PHONE]", At: at(5), MessageID: "m2"},
			{Author: "agent", Kind: "answer", Text: "我係客服", At: at(9), Seq: 3},
		}}},
		{"other channel is invisible", contacts.ContactView{Channel: "whatsapp", State: "open", Transcript: web.Transcript, Replies: web.Replies},
			Transcript{ConversationID: "c", State: StateNew, Items: []Entry{}}},
		{"nothing yet", contacts.ContactView{Channel: "web", State: "received"},
			Transcript{ConversationID: "c", State: "received", Items: []Entry{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FromContact("c", tt.v); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FromContact =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestRepliesAfter(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	// A reply recorded later can carry an earlier time (clock skew between
	// workers): the cursor follows the recording order, not the clock.
	tr := FromContact("c", contacts.ContactView{Channel: "web",
		Transcript: []contacts.MessageView{{MessageID: "m1", Kind: "text", Text: "hi", At: t0}},
		Replies: []contacts.ReplyView{
			{Author: "bot", Kind: "answer", Text: "one", At: t0.Add(3 * time.Second)},
			{Author: "bot", Kind: "answer", Text: "two", At: t0.Add(2 * time.Second)},
			{Author: "agent", Kind: "answer", Text: "three", At: t0.Add(4 * time.Second)},
		}})
	tests := []struct {
		after int
		want  []string
	}{
		{0, []string{"one", "two", "three"}},
		{1, []string{"two", "three"}},
		{3, nil},
		{9, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, e := range tr.RepliesAfter(tt.after) {
			got = append(got, e.Text)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("RepliesAfter(%d) = %v, want %v", tt.after, got, tt.want)
		}
	}
}

func BenchmarkFromContact(b *testing.B) {
	t0 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	v := contacts.ContactView{Channel: "web", State: "answered"}
	for i := 0; i < 50; i++ {
		v.Transcript = append(v.Transcript, contacts.MessageView{MessageID: "m", Kind: "text", Text: "唔該check下我張order", At: t0.Add(time.Duration(2*i) * time.Second)})
		v.Replies = append(v.Replies, contacts.ReplyView{Author: "bot", Kind: "answer", Text: "幫你查緊", At: t0.Add(time.Duration(2*i+1) * time.Second)})
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if tr := FromContact("c", v); len(tr.Items) != 100 {
			b.Fatal(len(tr.Items))
		}
	}
}

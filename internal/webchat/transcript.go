package webchat

import (
	"sort"
	"time"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
)

// AuthorCustomer marks the customer's own messages in a transcript (replies
// keep their author, contact.AuthorBot or contact.AuthorAgent).
const AuthorCustomer = "customer"

// Entry is one line of the conversation as the customer sees it. Text is the
// masked text the store holds. Seq numbers replies 1, 2, 3 … in the order
// they were recorded (0 for customer messages); it is the cursor of the
// long-poll (?after=N) and the SSE event id.
type Entry struct {
	Author    string    `json:"author"`
	Kind      string    `json:"kind"`
	Text      string    `json:"text"`
	At        time.Time `json:"at"`
	MessageID string    `json:"message_id,omitempty"`
	Seq       int       `json:"seq,omitempty"`
}

// Transcript is a conversation as the customer may read it.
type Transcript struct {
	ConversationID string  `json:"conversation_id"`
	State          string  `json:"state"`
	Items          []Entry `json:"items"`
	// Replies is how many replies the conversation has; pass it back as
	// ?after= to wait for the next one.
	Replies int `json:"replies"`
}

// StateNew is the state of a conversation with nothing recorded yet.
const StateNew = "new"

// Empty is the transcript of a conversation not started (or not visible).
func Empty(conversationID string) Transcript {
	return Transcript{ConversationID: conversationID, State: StateNew, Items: []Entry{}}
}

// FromContact builds the customer's transcript of a contact: customer
// messages and replies merged by time (a reply never sorts before the
// message it answers when both carry the same instant). Agent identities,
// delivery states, tickets and the reading of the text stay out. A contact
// on another channel yields an empty transcript.
func FromContact(conversationID string, v contacts.ContactView) Transcript {
	if v.Channel != contact.ChannelWeb {
		return Empty(conversationID)
	}
	t := Transcript{ConversationID: conversationID, State: v.State,
		Items: make([]Entry, 0, len(v.Transcript)+len(v.Replies)), Replies: len(v.Replies)}
	for _, m := range v.Transcript {
		t.Items = append(t.Items, Entry{Author: AuthorCustomer, Kind: m.Kind, Text: m.Text, At: m.At, MessageID: m.MessageID})
	}
	for i, r := range v.Replies {
		t.Items = append(t.Items, Entry{Author: r.Author, Kind: r.Kind, Text: r.Text, At: r.At, Seq: i + 1})
	}
	sort.SliceStable(t.Items, func(i, j int) bool { return t.Items[i].At.Before(t.Items[j].At) })
	return t
}

// RepliesAfter returns the replies numbered above seq, in order.
func (t Transcript) RepliesAfter(seq int) []Entry {
	var out []Entry
	for _, e := range t.Items {
		if e.Seq > seq {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

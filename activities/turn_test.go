package activities_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/pgtest"
)

// events records, in order, what left the activity: replies sent and pushes.
type events struct {
	mu   sync.Mutex
	log  []string
	fail error // returned by every push
}

func (e *events) add(s string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.log = append(e.log, s)
}

func (e *events) Send(_ context.Context, o activities.Outbound) (string, error) {
	e.add("reply")
	return "wamid.1", nil
}

func (e *events) Notify(_ context.Context, n activities.Notification) error {
	e.add("push " + n.Priority)
	return e.fail
}

func (*events) IsPermanent(error) bool { return false }

// A turn that carries its urgent push sends it after the customer's reply
// and says so; a push that fails is left to the workflow (Notified false),
// and the turn itself still succeeds: the reply is out.
func TestRecordTurnSendsItsPushAfterTheReply(t *testing.T) {
	st := pgtest.New(t)
	for _, c := range []struct {
		name      string
		fail      error
		notified  bool
		wantEvent []string
	}{
		{"push goes", nil, true, []string{"reply", "push P1"}},
		{"push fails", errors.New("dingtalk: 502"), false, []string{"reply", "push P1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ev := &events{fail: c.fail}
			a := &activities.Activities{Store: st, Sender: ev, Notifier: ev, Log: slog.New(slog.DiscardHandler)}
			id := "ct_push_" + strings.ReplaceAll(c.name, " ", "_")
			p := contact.Params{ContactID: id, Channel: contact.ChannelWhatsApp, ConversationID: "k-" + id, CustomerID: "c-" + id, Arm: "ai"}
			r := contact.Reading{Language: "en", Intent: "complaint", Priority: "P1", Negative: true, MaskedText: "worst service"}
			res, err := a.RecordTurn(context.Background(), activities.TurnInput{Params: p, MessageID: "m1", Kind: "text",
				ReceivedAt: time.Now(), Reading: r, Decided: true, ReplyTo: contact.ReplyTo{To: "wa_1"},
				Replies: []contact.Reply{{Key: "bot/1/handoff", Author: contact.AuthorBot, Kind: contact.KindHandoff, Text: "a colleague will help"}},
				Notify:  &activities.NotifyInput{ContactID: id, Priority: "P1", Reason: "urgent", Intent: "complaint", Summary: r.MaskedText}})
			if err != nil || res.Notified != c.notified {
				t.Fatalf("RecordTurn = %+v, %v; want Notified=%v, no error", res, err, c.notified)
			}
			if len(ev.log) != len(c.wantEvent) || ev.log[0] != c.wantEvent[0] || ev.log[1] != c.wantEvent[1] {
				t.Fatalf("events %v, want %v", ev.log, c.wantEvent)
			}
		})
	}
}

package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/desk"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
	"github.com/harbordesk/harbordesk/internal/store/handoffs"
)

// An agent may not close a handoff nobody has claimed: 403 in the contract's
// error shape, decided before the contact's workflow is asked (the Desk has
// no Temporal client here: reaching it would panic and fail with a 500).
func TestResolveUnclaimedHandoffNeedsSupervisor(t *testing.T) {
	st := pgtest.New(t)
	ctx := context.Background()
	p := contact.Params{ContactID: "ct_unclaimed", Channel: contact.ChannelWeb, ConversationID: "k-unclaimed", CustomerID: "c-u", Arm: "ai"}
	now := time.Now()
	h := contact.Handoff{ID: "ho_unclaimed", State: contact.HandoffOpen, Priority: "P3", Reason: "requested", OpenedAt: now}
	if _, err := contacts.New(st.Pool).RecordTurn(ctx, contacts.Turn{
		Intake: contacts.Intake{Params: p, MessageID: "m1", Kind: "text", ReceivedAt: now,
			Reading: contact.Reading{Language: "en", Intent: "human_agent", Priority: "P3", MaskedText: "a person please"}, TicketKind: "inquiry"},
		Handoff: &contacts.HandoffRecord{Handoff: h, Language: "en", Deadline: func(string) time.Time { return now.Add(time.Hour) }},
		At:      now,
	}); err != nil {
		t.Fatal(err)
	}
	s := &Server{Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(), MaxBody: 1 << 16, Store: st,
		Desk: &desk.Desk{Store: st, Log: slog.New(slog.DiscardHandler)},
		Keys: map[string]config.APIKey{"ag": {Key: "ag", Role: config.RoleAgent, Identity: "bob"}}}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	req, _ := http.NewRequest("POST", ts.URL+"/v1/handoffs/ho_unclaimed/resolve", strings.NewReader(`{"resolution":"closed"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer ag")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode != http.StatusForbidden || body.Error.Code != "forbidden" {
		t.Fatalf("agent resolving an unclaimed handoff = %d %+v, want 403 forbidden", resp.StatusCode, body)
	}
	if v, err := handoffs.New(st.Pool).Handoff(ctx, "ho_unclaimed"); err != nil || v.State != contact.HandoffOpen {
		t.Errorf("handoff after the refused close: %+v %v, want still open", v, err)
	}
}

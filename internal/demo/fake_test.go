package demo

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/harbordesk/harbordesk/internal/apiclient"
)

// fakeDesk is a local fake of the Harbordesk HTTP API (CONTRACT.md): bearer
// keys with roles, contacts with replies and handoffs, first-claimer-wins
// claims, replies and resolution with the survey, survey answers as further
// messages, and KPIs computed from its own state.
type fakeDesk struct {
	mu       sync.Mutex
	roles    map[string]int // key → role rank
	contacts map[string]*fakeContact
	handoffs map[string]*fakeContact
	seen     map[string]string // message_id → contact id
	// behaviour switches
	handsOff   func(text string) bool
	reject     func(text string) bool // 422 for these texts
	silent     bool                   // never answers
	noSurvey   bool                   // resolve sends no survey
	preClaimed bool                   // someone else claims every handoff first
	badJSON    bool                   // POST /v1/contacts answers non-JSON
	staleCSAT  int                    // KPI answers that do not count scores yet
}

type fakeContact struct {
	ID, Customer, Text string
	Replies            []map[string]string
	HandoffID, State   string // open, claimed, resolved
	Agent              string
	AgentTexts         []string
	Code               string
	Scores             []string
	Messages           []string
}

const (
	rIntake = iota + 1
	rAgent
	rSupervisor
	rAdmin
)

func newFakeDesk(t *testing.T) (*fakeDesk, *httptest.Server) {
	f := &fakeDesk{
		roles:    map[string]int{"admin": rAdmin, "sup": rSupervisor, "agent-a": rAgent, "agent-b": rAgent, "intake": rIntake},
		contacts: map[string]*fakeContact{}, handoffs: map[string]*fakeContact{}, seen: map[string]string{},
		handsOff: func(text string) bool {
			return kindOf(text) == KindComplaint || kindOf(text) == KindDamaged || kindOf(text) == KindHuman
		},
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

// kindOf finds the kind of a demo opener (the fake's "classifier").
func kindOf(text string) Kind {
	for k, byLang := range openers {
		for _, texts := range byLang {
			for _, s := range texts {
				if s == text {
					return k
				}
			}
		}
	}
	return ""
}

func fail(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"code":%q,"message":"x"}}`, code)
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeDesk) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	key := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	role, ok := f.roles[key]
	if !ok {
		fail(w, 401, "unauthorized")
		return
	}
	need := func(min int) bool {
		if role < min {
			fail(w, 403, "forbidden")
			return false
		}
		return true
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.Method == "POST" && r.URL.Path == "/v1/contacts":
		if need(rIntake) {
			f.postContact(w, r)
		}
	case r.Method == "GET" && len(parts) == 3 && parts[1] == "contacts":
		if need(rAgent) {
			f.getContact(w, parts[2])
		}
	case r.Method == "POST" && len(parts) == 4 && parts[1] == "contacts" && parts[3] == "messages":
		if need(rIntake) {
			f.postMessage(w, r, parts[2])
		}
	case r.Method == "POST" && len(parts) == 4 && parts[1] == "handoffs":
		if need(rAgent) {
			f.act(w, r, key, parts[2], parts[3])
		}
	case r.Method == "GET" && r.URL.Path == "/v1/kpis":
		if need(rSupervisor) {
			reply(w, 200, f.kpis())
		}
	default:
		fail(w, 404, "not_found")
	}
}

func (f *fakeDesk) postContact(w http.ResponseWriter, r *http.Request) {
	var m apiclient.NewContact
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
		fail(w, 400, "malformed")
		return
	}
	if m.Channel != "web" || m.CustomerID == "" || m.ConversationID == "" || m.MessageID == "" || m.Text == "" ||
		(f.reject != nil && f.reject(m.Text)) {
		fail(w, 422, "invalid")
		return
	}
	if f.badJSON {
		w.WriteHeader(202)
		fmt.Fprint(w, "<html>")
		return
	}
	if id, ok := f.seen[m.MessageID]; ok {
		reply(w, 202, map[string]string{"contact_id": id})
		return
	}
	c := &fakeContact{ID: fmt.Sprintf("ct_%d", len(f.contacts)+1), Customer: m.CustomerID, Text: m.Text}
	f.contacts[c.ID] = c
	f.seen[m.MessageID] = c.ID
	if !f.silent {
		c.Replies = append(c.Replies, map[string]string{"author": "bot", "kind": "notice"})
		if f.handsOff(m.Text) {
			c.HandoffID, c.State = fmt.Sprintf("ho_%d", len(f.handoffs)+1), "open"
			if f.preClaimed {
				c.State, c.Agent = "claimed", "someone-else"
			}
			f.handoffs[c.HandoffID] = c
			c.Replies = append(c.Replies, map[string]string{"author": "bot", "kind": "handoff"})
		} else {
			c.Replies = append(c.Replies, map[string]string{"author": "bot", "kind": "answer"})
		}
	}
	reply(w, 202, map[string]string{"contact_id": c.ID, "workflow_id": "contact/web/" + m.ConversationID})
}

func (f *fakeDesk) getContact(w http.ResponseWriter, id string) {
	c, ok := f.contacts[id]
	if !ok {
		fail(w, 404, "not_found")
		return
	}
	v := map[string]any{"state": "open", "replies": c.Replies, "handoff": nil}
	if c.HandoffID != "" {
		v["handoff"] = map[string]string{"id": c.HandoffID, "state": c.State, "agent": c.Agent}
	}
	reply(w, 200, v)
}

func (f *fakeDesk) postMessage(w http.ResponseWriter, r *http.Request, id string) {
	c, ok := f.contacts[id]
	if !ok {
		fail(w, 404, "not_found")
		return
	}
	var m apiclient.FollowUp
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil || m.MessageID == "" || m.Text == "" {
		fail(w, 422, "invalid")
		return
	}
	c.Messages = append(c.Messages, m.Text)
	if c.State == "resolved" && len(m.Text) == 1 && m.Text >= "1" && m.Text <= "5" {
		c.Scores = append(c.Scores, m.Text)
	}
	reply(w, 202, map[string]string{"contact_id": id})
}

func (f *fakeDesk) act(w http.ResponseWriter, r *http.Request, key, id, verb string) {
	c, ok := f.handoffs[id]
	if !ok {
		fail(w, 404, "not_found")
		return
	}
	var body map[string]string
	_ = json.NewDecoder(r.Body).Decode(&body)
	switch verb {
	case "claim":
		if c.State != "open" {
			fail(w, 409, "conflict")
			return
		}
		c.State, c.Agent = "claimed", key
	case "reply", "resolve":
		if c.State != "claimed" || c.Agent != key {
			fail(w, 409, "conflict")
			return
		}
		if verb == "reply" {
			if body["text"] == "" {
				fail(w, 422, "invalid")
				return
			}
			c.AgentTexts = append(c.AgentTexts, body["text"])
			c.Replies = append(c.Replies, map[string]string{"author": "agent", "kind": "answer"})
			break
		}
		if body["resolution"] == "" {
			fail(w, 422, "invalid")
			return
		}
		c.State, c.Code = "resolved", body["code"]
		if !f.noSurvey {
			c.Replies = append(c.Replies, map[string]string{"author": "bot", "kind": "survey"})
		}
	default:
		fail(w, 404, "not_found")
		return
	}
	reply(w, 200, map[string]string{"id": id, "state": c.State})
}

func (f *fakeDesk) kpis() map[string]any {
	handed, resolved, scored, sum := 0, 0, 0, 0
	for _, c := range f.contacts {
		if c.HandoffID != "" {
			handed++
		}
		if c.State == "resolved" {
			resolved++
		}
		for _, s := range c.Scores {
			scored++
			sum += int(s[0] - '0')
		}
	}
	if scored > 0 && f.staleCSAT > 0 { // the desk has not processed the answers yet
		f.staleCSAT--
		scored, sum = 0, 0
	}
	mean := 0.0
	if scored > 0 {
		mean = float64(sum) / float64(scored)
	}
	return map[string]any{"contacts": len(f.contacts),
		"counts": map[string]int{"received": len(f.contacts), "handed_off": handed, "resolved": resolved},
		"csat":   map[string]any{"mean": mean, "count": scored}}
}

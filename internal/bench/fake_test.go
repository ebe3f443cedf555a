package bench

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/apiclient"
)

// fakeDesk is a faithful local stand-in for the four Harbordesk endpoints
// bench uses: contacts are deduplicated by message_id, the privacy notice is
// there from the start, and the bot's reply appears replyDelay after the
// first delivery. Modes switch on the failures bench must count.
type fakeDesk struct {
	key           string
	replyDelay    time.Duration
	slowEvery     int           // every n-th new contact waits slowDelay instead
	slowDelay     time.Duration //
	baselineDelay time.Duration
	failEvery     int  // every n-th new contact POST answers 500
	silentEvery   int  // every n-th new contact never gets a reply
	hideFirstGets int  // GETs of a contact answer 404 this many times first
	dupReply      bool // a re-delivery adds a second bot reply (the bug bench must catch)
	dupNewContact bool // a re-delivery opens a new contact
	dupFail       bool // a re-delivery answers 503
	badJSON       bool // POST /v1/contacts answers 202 with a broken body
	noContactID   bool // POST /v1/contacts answers 202 without contact_id
	onPost        func(n int)

	mu        sync.Mutex
	posts     int // new-contact POSTs
	failed    int
	redeliver int
	byMsg     map[string]string
	contacts  map[string]*fakeContact
	baselines map[string]time.Time
	postTimes []time.Time
	sides     []byte // 'c' per new contact, 'b' per baseline run, in arrival order
}

type fakeContact struct {
	at     time.Time
	delay  time.Duration
	silent bool
	extra  int // bot replies added by buggy re-deliveries
	gets   int
}

func newFake(t testing.TB, f *fakeDesk) (*fakeDesk, string) {
	t.Helper()
	if f.key == "" {
		f.key = "test-key"
	}
	f.byMsg = map[string]string{}
	f.contacts = map[string]*fakeContact{}
	f.baselines = map[string]time.Time{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/contacts", f.postContact)
	mux.HandleFunc("GET /v1/contacts/{id}", f.getContact)
	mux.HandleFunc("POST /v1/bench/baseline", f.postBaseline)
	mux.HandleFunc("GET /v1/bench/baseline/{id}", f.getBaseline)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+f.key {
			writeErr(w, http.StatusUnauthorized, "unauthorized")
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return f, srv.URL
}

func writeErr(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"code":%q,"message":"x"}}`, code)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeDesk) postContact(w http.ResponseWriter, r *http.Request) {
	var req apiclient.NewContact
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Channel != "web" ||
		req.MessageID == "" || req.ConversationID == "" || req.CustomerID == "" || req.Text == "" {
		writeErr(w, http.StatusUnprocessableEntity, "invalid")
		return
	}
	f.mu.Lock()
	if id, ok := f.byMsg[req.MessageID]; ok {
		f.redeliver++
		c := f.contacts[id]
		dupFail, dupNew := f.dupFail, f.dupNewContact
		if f.dupReply {
			c.extra++
		}
		f.mu.Unlock()
		switch {
		case dupFail:
			writeErr(w, http.StatusServiceUnavailable, "unavailable")
		case dupNew:
			writeJSON(w, http.StatusAccepted, map[string]string{"contact_id": id + "-again", "workflow_id": "wf"})
		default:
			writeJSON(w, http.StatusAccepted, map[string]string{"contact_id": id, "workflow_id": "contact/web/" + req.ConversationID})
		}
		return
	}
	f.posts++
	n := f.posts
	f.postTimes = append(f.postTimes, time.Now())
	f.sides = append(f.sides, 'c')
	if f.failEvery > 0 && n%f.failEvery == 0 {
		f.failed++
		f.mu.Unlock()
		writeErr(w, http.StatusInternalServerError, "internal")
		return
	}
	id := fmt.Sprintf("ct-%d", n)
	delay := f.replyDelay
	if f.slowEvery > 0 && n%f.slowEvery == 0 {
		delay = f.slowDelay
	}
	f.byMsg[req.MessageID] = id
	f.contacts[id] = &fakeContact{at: time.Now(), delay: delay, silent: f.silentEvery > 0 && n%f.silentEvery == 0}
	onPost, badJSON, noID := f.onPost, f.badJSON, f.noContactID
	f.mu.Unlock()
	if onPost != nil {
		onPost(n)
	}
	switch {
	case badJSON:
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprint(w, `{"contact_id":`)
	case noID:
		writeJSON(w, http.StatusAccepted, map[string]string{"workflow_id": "wf"})
	default:
		writeJSON(w, http.StatusAccepted, map[string]string{"contact_id": id, "workflow_id": "contact/web/" + req.ConversationID})
	}
}

func (f *fakeDesk) getContact(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	c, ok := f.contacts[r.PathValue("id")]
	if ok {
		c.gets++
	}
	f.mu.Unlock()
	if !ok || c.gets <= f.hideFirstGets {
		writeErr(w, http.StatusNotFound, "not_found")
		return
	}
	replies := []map[string]string{{"author": "bot", "kind": "notice", "text": "privacy"}}
	if !c.silent && time.Since(c.at) >= c.delay {
		f.mu.Lock()
		extra := c.extra
		f.mu.Unlock()
		for range 1 + extra {
			replies = append(replies, map[string]string{"author": "bot", "kind": "answer", "text": "ok"})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"state": "open", "replies": replies})
}

func (f *fakeDesk) postBaseline(w http.ResponseWriter, r *http.Request) {
	var req struct{ ID string }
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.ID == "" {
		writeErr(w, http.StatusUnprocessableEntity, "invalid")
		return
	}
	f.mu.Lock()
	if _, dup := f.baselines[req.ID]; dup {
		f.mu.Unlock()
		writeErr(w, http.StatusConflict, "conflict") // IDs must be unique per run
		return
	}
	f.baselines[req.ID] = time.Now()
	f.sides = append(f.sides, 'b')
	f.mu.Unlock()
	writeJSON(w, http.StatusAccepted, map[string]string{"id": req.ID})
}

func (f *fakeDesk) getBaseline(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	at, ok := f.baselines[r.PathValue("id")]
	f.mu.Unlock()
	if !ok || time.Since(at) < f.baselineDelay {
		writeJSON(w, http.StatusOK, map[string]bool{"done": false})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"done": true, "first_response_ms": 1})
}

// counts returns new-contact POSTs, failed POSTs and re-deliveries.
func (f *fakeDesk) counts() (posts, failed, redeliveries int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.posts, f.failed, f.redeliver
}

package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestFirstReplyAndTicket: a Cantonese question gets a Cantonese answer and
// a ticket within 2 s, and a duplicate delivery adds nothing.
func TestFirstReplyAndTicket(t *testing.T) {
	t.Parallel()
	in := start(t)
	t0 := time.Now()
	a := in.post("web", "c1", "k1", "m1", "你哋幾點收舖？")
	if a.WorkflowID != "contact/web/k1" || !strings.HasPrefix(a.ContactID, "ct_") {
		t.Fatalf("accepted = %+v", a)
	}
	v := in.waitContact(a.ContactID, 5*time.Second, func(v contactView) bool { return v.botAnswers() > 0 && v.Ticket != nil })
	if el := time.Since(t0); el > 2*time.Second {
		t.Errorf("first reply took %s, want ≤ 2s", el)
	}
	if v.Language != "yue" || v.Script != "Hant" || v.Intent != "business_hours" {
		t.Errorf("reading = %s/%s/%s, want yue/Hant/business_hours", v.Language, v.Script, v.Intent)
	}
	if v.FirstResponseMS == nil || *v.FirstResponseMS <= 0 || *v.FirstResponseMS > 2000 {
		t.Errorf("first_response_ms = %v", v.FirstResponseMS)
	}
	if v.Replies[0].Kind != "notice" {
		t.Errorf("first reply kind = %q, want the privacy notice", v.Replies[0].Kind)
	}
	n := v.count("bot")
	in.post("web", "c1", "k1", "m1", "你哋幾點收舖？")
	time.Sleep(1500 * time.Millisecond)
	var again contactView
	in.call("GET", "/v1/contacts/"+a.ContactID, adminKey, nil, &again)
	if again.count("bot") != n || len(again.Transcript) != 1 {
		t.Errorf("duplicate message_id: bot replies %d→%d, transcript %d", n, again.count("bot"), len(again.Transcript))
	}
	var tickets struct {
		Items []struct {
			ID        string `json:"id"`
			ContactID string `json:"contact_id"`
		} `json:"items"`
	}
	if code := in.call("GET", "/v1/tickets", adminKey, nil, &tickets); code != 200 || len(tickets.Items) != 1 {
		t.Errorf("GET /v1/tickets = %d, %d items", code, len(tickets.Items))
	}
}

// TestContractErrors: every client mistake gets its status and the error
// shape, never a 500.
func TestContractErrors(t *testing.T) {
	t.Parallel()
	in := start(t)
	type errBody struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	cases := []struct {
		name, method, path, key string
		body                    any
		want                    int
	}{
		{"malformed JSON", "POST", "/v1/contacts", adminKey, `{"channel":`, 400},
		{"empty body", "POST", "/v1/contacts", adminKey, ``, 400},
		{"missing text", "POST", "/v1/contacts", adminKey, map[string]string{"channel": "web", "customer_id": "c", "conversation_id": "k", "message_id": "m"}, 422},
		{"unknown channel", "POST", "/v1/contacts", adminKey, map[string]string{"channel": "fax", "customer_id": "c", "conversation_id": "k", "message_id": "m", "text": "hi"}, 422},
		{"wrong type", "POST", "/v1/contacts", adminKey, `{"channel":"web","customer_id":5}`, 422},
		{"too large", "POST", "/v1/contacts", adminKey, map[string]string{"channel": "web", "customer_id": "c", "conversation_id": "k", "message_id": "m", "text": strings.Repeat("長", 30000)}, 413},
		{"bad audio", "POST", "/v1/contacts", adminKey, map[string]string{"channel": "web", "customer_id": "c", "conversation_id": "k", "message_id": "m", "audio_base64": "AAAAAAAA", "audio_mime": "audio/wav"}, 422},
		{"no key", "GET", "/v1/tickets", "", nil, 401},
		{"wrong key", "GET", "/v1/tickets", "nope", nil, 401},
		{"intake may not read", "GET", "/v1/tickets", "intake-k", nil, 403},
		{"agent may not see escalations", "GET", "/v1/escalations", "agent-a", nil, 403},
		{"unknown contact", "GET", "/v1/contacts/ct_nope", adminKey, nil, 404},
		{"unknown handoff", "POST", "/v1/handoffs/ho_nope/claim", adminKey, nil, 404},
		{"bad cursor", "GET", "/v1/tickets?cursor=bm9wZQ", adminKey, nil, 400},
		{"bad wait", "GET", "/v1/contacts/x?wait=forever", adminKey, nil, 422},
		{"unknown route", "GET", "/v1/nothing", adminKey, nil, 404},
	}
	for _, c := range cases {
		var b errBody
		got := in.call(c.method, c.path, c.key, c.body, &b)
		if got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
			continue
		}
		if b.Error.Code == "" || b.Error.Message == "" {
			t.Errorf("%s: error body %+v lacks code/message", c.name, b)
		}
	}
	if code := in.call("GET", "/healthz", "", nil, nil); code != 200 {
		t.Errorf("healthz after errors = %d", code)
	}
}

// TestSurvivesSIGKILL: contacts accepted before a SIGKILL are answered
// exactly once after a restart on the same data dir.
func TestSurvivesSIGKILL(t *testing.T) {
	t.Parallel()
	in := start(t)
	var ids []string
	for k := 1; k <= 12; k++ {
		a := in.post("web", fmt.Sprintf("c-dur-%d", k), fmt.Sprintf("k-dur-%d", k), fmt.Sprintf("m-dur-%d", k), "What time do you close today?")
		ids = append(ids, a.ContactID)
		if k == 8 {
			in.crash()
			in.launch()
		}
	}
	for _, id := range ids {
		v := in.waitContact(id, 30*time.Second, func(v contactView) bool { return v.botAnswers() > 0 })
		time.Sleep(20 * time.Millisecond)
		if n := v.botAnswers(); n != 1 {
			t.Errorf("contact %s answered %d times", id, n)
		}
	}
}

// TestHandoffClaimExactlyOnce: a customer asking for a person is queued;
// of two simultaneous claims one wins; the bot stays silent afterwards; the
// agent's reply and the resolution show in the contact.
func TestHandoffClaimExactlyOnce(t *testing.T) {
	t.Parallel()
	in := start(t)
	a := in.post("web", "c-h", "k-h", "m-h1", "同我轉真人客服啦")
	var hid string
	deadline := time.Now().Add(10 * time.Second)
	for hid == "" && time.Now().Before(deadline) {
		var q struct {
			Items []struct {
				ID        string `json:"id"`
				ContactID string `json:"contact_id"`
			} `json:"items"`
		}
		in.call("GET", "/v1/handoffs?state=open", "agent-a", nil, &q)
		for _, h := range q.Items {
			if h.ContactID == a.ContactID {
				hid = h.ID
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if hid == "" {
		t.Fatal("no open handoff")
	}
	codes := make([]int, 2)
	var wg sync.WaitGroup
	for i, key := range []string{"agent-a", "agent-b"} {
		wg.Add(1)
		go func() { defer wg.Done(); codes[i] = in.call("POST", "/v1/handoffs/"+hid+"/claim", key, nil, nil) }()
	}
	wg.Wait()
	if !(codes[0] == 200 && codes[1] == 409 || codes[0] == 409 && codes[1] == 200) {
		t.Fatalf("claims = %v, want one 200 and one 409", codes)
	}
	winner, loser := "agent-a", "agent-b"
	if codes[1] == 200 {
		winner, loser = loser, winner
	}
	var before contactView
	in.call("GET", "/v1/contacts/"+a.ContactID, adminKey, nil, &before)
	in.call("POST", "/v1/contacts/"+a.ContactID+"/messages", adminKey, map[string]string{"message_id": "m-h2", "text": "喂？有冇人呀？"}, nil)
	if code := in.call("POST", "/v1/handoffs/"+hid+"/reply", loser, map[string]string{"text": "hi"}, nil); code != http.StatusConflict {
		t.Errorf("reply by the losing agent = %d, want 409", code)
	}
	if code := in.call("POST", "/v1/handoffs/"+hid+"/reply", winner, map[string]string{"text": "你好，我係客服小陳，幫你跟進。"}, nil); code != 200 {
		t.Fatalf("agent reply = %d", code)
	}
	v := in.waitContact(a.ContactID, 5*time.Second, func(v contactView) bool { return v.count("agent") == 1 && len(v.Transcript) == 2 })
	if v.count("bot") != before.count("bot") {
		t.Errorf("bot replied after the claim: %d → %d", before.count("bot"), v.count("bot"))
	}
	if code := in.call("POST", "/v1/handoffs/"+hid+"/resolve", winner, map[string]string{"resolution": "answered"}, nil); code != 200 {
		t.Fatalf("resolve = %d", code)
	}
	v = in.waitContact(a.ContactID, 5*time.Second, func(v contactView) bool { return v.Ticket != nil && v.Ticket.Status == "resolved" })
	last := v.Replies[len(v.Replies)-1]
	if last.Kind != "survey" || last.Author != "bot" {
		t.Errorf("last reply after resolve = %+v, want the bot's survey", last)
	}
	if code := in.call("POST", "/v1/handoffs/"+hid+"/claim", loser, nil, nil); code != http.StatusConflict {
		t.Errorf("claim after resolve = %d, want 409", code)
	}
}

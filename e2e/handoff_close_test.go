package e2e

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// TestClosingUnclaimedHandoffNeedsSupervisor: nobody has claimed the
// handoff, so an agent's resolve is 403 (in the error shape) and leaves it
// open; a supervisor's is 200 and the customer gets the survey.
func TestClosingUnclaimedHandoffNeedsSupervisor(t *testing.T) {
	t.Parallel()
	in := start(t, "HARBORDESK_API_KEYS="+adminKey+":admin:e2e-admin,agent-a:agent:agent-a,sup-s:supervisor:sup-s,intake-k:intake")
	a := in.post("web", "c-close", "k-close", "m1", "同我轉真人客服啦")
	v := in.waitContact(a.ContactID, 20*time.Second, func(v contactView) bool { return v.Handoff != nil })
	hid := v.Handoff.ID

	var body struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if code := in.call("POST", "/v1/handoffs/"+hid+"/resolve", "agent-a", map[string]string{"resolution": "closed"}, &body); code != http.StatusForbidden || body.Error.Code != "forbidden" {
		t.Fatalf("agent closing an unclaimed handoff = %d %+v, want 403 forbidden", code, body)
	}
	var h map[string]any
	if code := in.call("GET", "/v1/contacts/"+a.ContactID, adminKey, nil, &h); code != 200 {
		t.Fatalf("GET contact = %d", code)
	}
	if st := h["handoff"].(map[string]any)["state"]; st != "open" {
		t.Fatalf("handoff after the refused close is %v, want open", st)
	}
	var ok json.RawMessage
	if code := in.call("POST", "/v1/handoffs/"+hid+"/resolve", "sup-s", map[string]string{"resolution": "duplicate"}, &ok); code != http.StatusOK {
		t.Fatalf("supervisor closing an unclaimed handoff = %d %s, want 200", code, ok)
	}
	v = in.waitContact(a.ContactID, 10*time.Second, func(v contactView) bool {
		return v.Handoff != nil && v.Handoff.State == "resolved" && v.Replies[len(v.Replies)-1].Kind == "survey"
	})
}

package e2e

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The agents' workspace tools through the real binary: macros (roles,
// placeholders, rendering), internal notes (masked, never sent), search in
// Chinese and English, customer history, translation and drafts, and a
// web-chat photo shown to agents through a signed link.
func TestWorkspaceTools(t *testing.T) {
	t.Parallel()
	in := start(t, "HARBORDESK_API_KEYS="+adminKey+":admin:e2e-admin,agent-a:agent:agent-a,sup-s:supervisor:sup-s,intake-k:intake,"+publicKey+":public:web-chat")

	// Macros: supervisors write, agents read and render.
	macro := map[string]any{"title": "Refund on its way", "text": map[string]string{
		"en": "Hi {customer_name}, ticket {ticket_id} is refunded. {agent_name}", "zh-Hant": "{customer_name}你好，退款已經處理。"}}
	if code := in.call("POST", "/v1/macros", "agent-a", macro, nil); code != http.StatusForbidden {
		t.Errorf("agent writes a macro: %d, want 403", code)
	}
	if code := in.call("POST", "/v1/macros", "sup-s", map[string]any{"title": "x", "text": map[string]string{"en": "Hi {name}"}}, nil); code != http.StatusUnprocessableEntity {
		t.Errorf("unknown placeholder: %d, want 422", code)
	}
	var created struct{ ID string }
	if code := in.call("POST", "/v1/macros", "sup-s", macro, &created); code != http.StatusCreated || created.ID == "" {
		t.Fatalf("supervisor writes a macro: %d", code)
	}
	var macros struct{ Items []struct{ ID, Title string } }
	if code := in.call("GET", "/v1/macros", "agent-a", nil, &macros); code != 200 || len(macros.Items) != 1 {
		t.Fatalf("agent lists macros: %d %+v", code, macros)
	}

	// A Cantonese customer asks for a person; their handoff gets a note.
	a := in.post("web", "cust-ws", "ws-conv-1", "m1", "我要搵真人客服，唔該幫我落單")
	v := in.waitContact(a.ContactID, 30*time.Second, func(v contactView) bool { return v.Handoff != nil })
	if v.Handoff == nil {
		t.Fatalf("no handoff: %+v", v)
	}
	b2 := in.post("api", "cust-ws", "ws-conv-2", "m1", "Where is my parcel? It arrived damaged")
	in.waitContact(b2.ContactID, 30*time.Second, func(v contactView) bool { return len(v.Transcript) == 1 })
	hid := v.Handoff.ID
	if code := in.call("POST", "/v1/handoffs/"+hid+"/notes", "agent-a", map[string]string{"text": "客人要求退款 tag-e2e 電話 9123 4567"}, nil); code != http.StatusCreated {
		t.Fatalf("note: %d", code)
	}
	if code := in.call("POST", "/v1/handoffs/"+hid+"/notes", "intake-k", map[string]string{"text": "x"}, nil); code != http.StatusForbidden {
		t.Errorf("intake writes a note: %d, want 403", code)
	}
	var withNotes struct {
		Notes   []struct{ Text, Author string }
		Replies []struct{ Text string }
	}
	in.call("GET", "/v1/contacts/"+a.ContactID, "agent-a", nil, &withNotes)
	if len(withNotes.Notes) != 1 || strings.Contains(withNotes.Notes[0].Text, "9123") || withNotes.Notes[0].Author != "agent-a" {
		t.Errorf("notes in the contact view: %+v", withNotes.Notes)
	}
	for _, r := range withNotes.Replies {
		if strings.Contains(r.Text, "tag-e2e") {
			t.Errorf("the note reached the customer: %q", r.Text)
		}
	}

	// Render the macro for this (Traditional) customer.
	var rendered struct{ Text, Locale string }
	if code := in.call("POST", "/v1/macros/"+created.ID+"/render", "agent-a", map[string]string{"contact_id": a.ContactID}, &rendered); code != 200 ||
		!strings.Contains(rendered.Text, "退款已經處理") || strings.Contains(rendered.Text, "{") {
		t.Errorf("render: %d %+v", code, rendered)
	}

	// Search: Chinese transcript, a note's token, English; the query is masked.
	search := func(q string) string {
		var out struct {
			Items []struct {
				ContactID string `json:"contact_id"`
				Snippet   string `json:"snippet"`
			} `json:"items"`
		}
		code := in.call("GET", "/v1/search?q="+url.QueryEscape(q), "agent-a", nil, &out)
		if code != 200 {
			t.Errorf("search %q: %d", q, code)
		}
		var b strings.Builder
		for _, it := range out.Items {
			b.WriteString(it.ContactID + " " + it.Snippet + "\n")
		}
		return b.String()
	}
	for _, q := range []string{"真人客服", "tag-e2e"} {
		if got := search(q); !strings.Contains(got, a.ContactID) {
			t.Errorf("search %q: %s", q, got)
		}
	}
	if got := search("DAMAGED"); !strings.Contains(got, b2.ContactID) || !strings.Contains(got, "damaged") {
		t.Errorf("English search: %s", got)
	}
	if code := in.call("GET", "/v1/search?q=x", "agent-a", nil, nil); code != http.StatusUnprocessableEntity {
		t.Errorf("one-character search: %d, want 422", code)
	}

	// History: both of the customer's contacts.
	var hist struct {
		Contacts []struct {
			ContactID string `json:"contact_id"`
		} `json:"contacts"`
	}
	if code := in.call("GET", "/v1/customers/cust-ws/history", "agent-a", nil, &hist); code != 200 || len(hist.Contacts) != 2 {
		t.Errorf("history: %d %+v", code, hist)
	}

	// Translation offline: Cantonese → standard written Chinese, Simplified.
	var tr struct {
		Items []struct{ Original, Text, Engine string }
	}
	in.call("GET", "/v1/contacts/"+a.ContactID+"/translation?to=zh-Hans", "agent-a", nil, &tr)
	if len(tr.Items) != 1 || tr.Items[0].Engine != "lexicon" || !strings.Contains(tr.Items[0].Text, "下单") || !strings.Contains(tr.Items[0].Original, "落單") {
		t.Errorf("translation: %+v", tr.Items)
	}
	// A signed-in Mandarin-speaking agent reads it in their own language by default.
	if code := in.call("POST", "/v1/agents", adminKey, map[string]any{"login": "li-ws", "name": "Li Na", "password": "pw-Li-Secr3t!",
		"role": "agent", "languages": []string{"zh"}, "max_open": 3}, nil); code != http.StatusCreated {
		t.Fatalf("create agent: %d", code)
	}
	var login struct{ Token string }
	if code := in.call("POST", "/v1/auth/login", "", map[string]string{"login": "li-ws", "password": "pw-Li-Secr3t!"}, &login); code != 200 {
		t.Fatalf("login: %d", code)
	}
	var mine struct {
		To    string `json:"to"`
		Items []struct{ Text string }
	}
	in.call("GET", "/v1/contacts/"+a.ContactID+"/translation", login.Token, nil, &mine)
	if mine.To != "zh-Hans" || len(mine.Items) != 1 || !strings.Contains(mine.Items[0].Text, "下单") {
		t.Errorf("translation in the agent's own language: %+v", mine)
	}
	var byLi struct{ Text string }
	in.call("POST", "/v1/macros/"+created.ID+"/render", login.Token, map[string]string{"contact_id": b2.ContactID}, &byLi)
	if !strings.HasSuffix(byLi.Text, "Li Na") {
		t.Errorf("macro signed by the account's name: %q", byLi.Text)
	}
	before := len(withNotes.Replies)
	var draft struct {
		Draft struct{ Text, To string }
		Sent  bool
	}
	if code := in.call("POST", "/v1/handoffs/"+hid+"/draft", "agent-a", map[string]string{"text": "请帮我查订单", "from": "zh-Hans"}, &draft); code != 200 ||
		draft.Sent || draft.Draft.Text != "請幫我查訂單" || draft.Draft.To != "yue-Hant" {
		t.Errorf("draft: %d %+v", code, draft)
	}
	in.call("GET", "/v1/contacts/"+a.ContactID, "agent-a", nil, &withNotes)
	if len(withNotes.Replies) != before {
		t.Errorf("a draft was sent")
	}

	// A web-chat customer sends a photo in their session; an agent opens it by its signed link.
	code, s := in.openSession(t, map[string]any{})
	if code != http.StatusCreated {
		t.Fatalf("session: %d", code)
	}
	photo := e2ePNG()
	uploadOn := func(conv, token string, body []byte) (int, string) {
		req, _ := http.NewRequest("POST", in.URL+"/v1/chat/"+conv+"/attachments?caption="+url.QueryEscape("張收據"), bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+publicKey)
		req.Header.Set("X-Chat-Session", token)
		req.Header.Set("Content-Type", "image/png")
		resp, err := in.httpC.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, b := uploadOn(s.ConversationID, s.Token, []byte("<svg onload=alert(1)></svg>")); code != http.StatusUnprocessableEntity {
		t.Errorf("svg upload: %d %s", code, b)
	}
	_, other := in.openSession(t, map[string]any{})
	if code, _ := uploadOn(s.ConversationID, other.Token, photo); code != http.StatusForbidden {
		t.Errorf("another session's upload: %d, want 403", code)
	}
	code, b := uploadOn(s.ConversationID, s.Token, photo)
	if code != http.StatusCreated {
		t.Fatalf("photo upload: %d %s", code, b)
	}
	var contactID struct {
		ContactID string `json:"contact_id"`
	}
	_ = json.Unmarshal([]byte(b), &contactID)
	var list struct {
		Items []struct{ ID, URL, Kind string }
	}
	if code := in.call("GET", "/v1/contacts/"+contactID.ContactID+"/attachments", "intake-k", nil, nil); code != http.StatusForbidden {
		t.Errorf("intake lists attachments: %d", code)
	}
	in.call("GET", "/v1/contacts/"+contactID.ContactID+"/attachments", "agent-a", nil, &list)
	if len(list.Items) != 1 || list.Items[0].Kind != "image" {
		t.Fatalf("attachments: %+v", list)
	}
	resp, err := http.Get(in.URL + list.Items[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(got, photo) || resp.Header.Get("Content-Type") != "image/png" {
		t.Errorf("signed link: %d %d bytes", resp.StatusCode, len(got))
	}
	tampered := strings.Replace(list.Items[0].URL, "exp=", "exp=9", 1)
	if code := in.call("GET", tampered, "", nil, nil); code != http.StatusForbidden {
		t.Errorf("tampered link: %d, want 403", code)
	}
	cv := in.waitContact(contactID.ContactID, 20*time.Second, func(v contactView) bool { return len(v.Transcript) == 1 })
	if len(cv.Transcript) != 1 || cv.Transcript[0].Text != "張收據" {
		t.Errorf("the photo's message: %+v", cv.Transcript)
	}
}

func e2ePNG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 12, 12))
	img.Set(3, 3, color.RGBA{G: 200, A: 255})
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

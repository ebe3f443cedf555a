package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// fakeTranslator is an OpenAI-compatible chat-completions server that knows
// a phrasebook: a translation request (internal/llm's system prompt) for a
// text it knows gets its translation; every other request (readings,
// grounded answers) gets a 503, so those fall back to the offline engines.
type fakeTranslator struct {
	phrases map[string]string
	mu      sync.Mutex
	asked   []string
}

func (f *fakeTranslator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Model    string `json:"model"`
		Messages []struct{ Role, Content string }
	}
	w.Header().Set("Content-Type", "application/json")
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" || json.NewDecoder(r.Body).Decode(&req) != nil ||
		req.Model == "" || len(req.Messages) != 2 {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"error":{"message":"not scripted","type":"server_error","code":null}}`))
		return
	}
	text := req.Messages[1].Content
	out, ok := f.phrases[text]
	if !strings.HasPrefix(req.Messages[0].Content, "You translate messages") || !ok {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"error":{"message":"not scripted","type":"server_error","code":null}}`))
		return
	}
	f.mu.Lock()
	f.asked = append(f.asked, text)
	f.mu.Unlock()
	_ = json.NewEncoder(w).Encode(map[string]any{"object": "chat.completion", "model": req.Model,
		"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": out}}}})
}

// TestAgentTranslationBrowser: an English-only agent takes a Mandarin
// (Simplified) customer's handoff from the queue, reads the message with
// its English translation beside the original, writes the answer in
// English, has it put into the customer's Simplified Chinese as a draft,
// and sends it; the customer receives the Chinese text, only after send.
// The translations come from a local fake of the OpenAI-compatible
// protocol (HARBORDESK_LLM_URL).
func TestAgentTranslationBrowser(t *testing.T) {
	chromium := needChromium(t)
	t.Parallel()
	const (
		customerText = "我要找人工客服，收到的杯子是破的，我要退货"
		inEnglish    = "I want to talk to a person: the cup I received is broken and I want to return it."
		agentText    = "Sorry about the cup. We will send you a new one tomorrow."
		inChinese    = "很抱歉杯子破了。我们明天会给您寄一个新的。"
	)
	fake := &fakeTranslator{phrases: map[string]string{customerText: inEnglish, agentText: inChinese}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	in := start(t, "HARBORDESK_LLM_URL="+srv.URL+"/v1", "HARBORDESK_LLM_MODEL=fake-model", "HARBORDESK_LLM_READ_TIMEOUT=1s")
	shots := &shooter{t: t, dir: artefactDir(t), logs: in.log.String}

	const password = "victoria-peak-42"
	if code := in.call("POST", "/v1/agents", adminKey, map[string]any{"login": "sam", "name": "Sam", "password": password,
		"role": "agent", "languages": []string{"en"}, "max_open": 3}, nil); code != http.StatusCreated {
		t.Fatalf("POST /v1/agents = %d", code)
	}
	a := in.post("web", "c-translate", "conv-translate", "m-tr-1", customerText)
	v := in.waitContact(a.ContactID, 40*time.Second, func(v contactView) bool { return v.Handoff != nil && v.Handoff.ID != "" })
	if v.Language != "zh" || v.Script != "Hans" {
		t.Errorf("customer read as %s/%s, want zh/Hans", v.Language, v.Script)
	}
	row := fmt.Sprintf(`tr[data-testid="queue-row"][data-id=%q]`, v.Handoff.ID)

	ctx := browser(t, chromium)
	shots.step(ctx, "signed-in", append(signInSteps(in, "sam", password), choose("lang-select", "en"))...)
	shots.step(ctx, "translation-shown",
		chromedp.WaitVisible(chromedp.CSS(row)),
		chromedp.Click(chromedp.CSS(row+` [data-testid="queue-open"]`)),
		chromedp.WaitVisible(byID("conversation-meta")),
		until(`[...document.querySelectorAll('[data-testid="message"]')].some(m => m.textContent.includes('杯子是破的'))`),
		until(`[...document.querySelectorAll('[data-testid="message-translation"]')].some(p => p.textContent.includes('the cup I received is broken'))`))
	shots.step(ctx, "claimed",
		chromedp.WaitEnabled(byID("claim-button")),
		chromedp.Click(byID("claim-button")),
		chromedp.WaitEnabled(byID("reply-button")))
	shots.step(ctx, "draft-in-simplified",
		chromedp.SendKeys(byID("reply-text"), agentText),
		chromedp.Click(byID("draft-button")),
		until(fmt.Sprintf(`document.querySelector('[data-testid="reply-text"]').value === %q`, inChinese)),
		until(`!document.querySelector('[data-testid="draft-original"]').hidden`))
	// A draft is not a reply: nothing has reached the customer yet.
	if v := in.waitContact(a.ContactID, time.Second, func(contactView) bool { return true }); agentReplies(v) != 0 {
		t.Fatalf("the draft reached the customer before send: %+v", v.Replies)
	}
	shots.step(ctx, "sent",
		chromedp.Click(byID("reply-button")),
		until(`document.querySelector('[data-testid="conversation-status"]').textContent === 'Reply sent.'`))

	v = in.waitContact(a.ContactID, 15*time.Second, func(v contactView) bool { return agentReplies(v) == 1 })
	for _, r := range v.Replies {
		if r.Author == "agent" && (r.Text != inChinese || r.Agent != "sam") {
			t.Errorf("agent reply = %+v, want sam's reply in Simplified Chinese %q", r, inChinese)
		}
	}
	fake.mu.Lock()
	defer fake.mu.Unlock()
	if len(fake.asked) < 2 {
		t.Errorf("translator asked %q, want the customer's message and the agent's draft", fake.asked)
	}
}

// signInSteps opens the console and signs in with a password.
func signInSteps(in *instance, login, password string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(in.URL + "/console/"),
		chromedp.WaitVisible(byID("login-user")),
		chromedp.SendKeys(byID("login-user"), login),
		chromedp.SendKeys(byID("login-password"), password),
		chromedp.Click(byID("login-password-submit")),
		chromedp.WaitVisible(byID("me-name")),
	}
}

func agentReplies(v contactView) int {
	n := 0
	for _, r := range v.Replies {
		if r.Author == "agent" {
			n++
		}
	}
	return n
}

// TestWhatsAppPhotoInConversationBrowser: a WhatsApp customer asks for a
// person and then sends a photo of the broken item; the agent opens the
// handoff from the queue and sees the photo itself in the conversation
// view, loaded through its short-lived signed link. The Graph API is a
// local fake (channels_test.go) serving the media as the Cloud API does.
func TestWhatsAppPhotoInConversationBrowser(t *testing.T) {
	chromium := needChromium(t)
	t.Parallel()
	graph := newChGraph(t, map[string][]byte{chPhotoID: chPNG(t)})
	graph.mimes[chPhotoID] = "image/png"
	in := start(t, "HARBORDESK_WHATSAPP_VERIFY_TOKEN="+chVerifyToken, "HARBORDESK_WHATSAPP_APP_SECRET="+chAppSecret,
		"HARBORDESK_WHATSAPP_TOKEN="+chGraphToken, "HARBORDESK_WHATSAPP_PHONE_NUMBER_ID="+chPhoneID,
		"HARBORDESK_WHATSAPP_API_BASE="+graph.base())
	shots := &shooter{t: t, dir: artefactDir(t), logs: in.log.String}

	const from = "85291230077"
	ask := chTextMessage(from, "wamid.PHOTO-ASK-1", "我個花樽送到嚟爛咗，同我轉真人客服啦")
	if code := in.deliver(ask, chSign(chAppSecret, ask)); code != http.StatusOK {
		t.Fatalf("signed text delivery: %d", code)
	}
	id := in.newWhatsAppContact(nil, 15*time.Second)
	v := in.waitContact(id, 40*time.Second, func(v contactView) bool { return v.Handoff != nil && v.Handoff.ID != "" })
	photo := chInbound(from, map[string]any{"id": "wamid.PHOTO-1", "type": "image",
		"image": map[string]any{"mime_type": "image/png", "sha256": "c2hhMjU2LWUyZQ==", "id": chPhotoID, "caption": "個花樽爛咗"}})
	if code := in.deliver(photo, chSign(chAppSecret, photo)); code != http.StatusOK {
		t.Fatalf("signed photo delivery: %d", code)
	}

	const password = "star-ferry-1898"
	if code := in.call("POST", "/v1/agents", adminKey, map[string]any{"login": "wing", "name": "Wing", "password": password,
		"role": "agent", "languages": []string{"yue"}, "max_open": 3}, nil); code != http.StatusCreated {
		t.Fatalf("POST /v1/agents = %d", code)
	}
	row := fmt.Sprintf(`tr[data-testid="queue-row"][data-id=%q]`, v.Handoff.ID)
	ctx := browser(t, chromium)
	shots.step(ctx, "signed-in", signInSteps(in, "wing", password)...)
	shots.step(ctx, "photo-in-conversation",
		chromedp.WaitVisible(chromedp.CSS(row)),
		chromedp.Click(chromedp.CSS(row+` [data-testid="queue-open"]`)),
		chromedp.WaitVisible(byID("conversation-meta")),
		until(`[...document.querySelectorAll('[data-testid="message"]')].some(m => m.textContent.includes('[image]'))`),
		// the image itself, decoded by the browser from the signed link
		until(`(() => { const img = document.querySelector('[data-testid="attachment"] img');
			return !!img && img.complete && img.naturalWidth > 0 && img.src.includes('/v1/attachments/'); })()`))
	src, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-testid="attachment"] img').src`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(src, graph.srv.URL) || strings.Contains(src, chGraphToken) {
		t.Errorf("the console links the partner's media URL: %s", src)
	}
}

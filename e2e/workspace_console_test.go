package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// until polls a page expression until it is true.
func until(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(40*time.Second))
}

// choose sets a <select> by test id and fires its change event, as a click would.
func choose(id, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const s = document.querySelector('[data-testid=%q]');
		s.value = %q; s.dispatchEvent(new Event('change', { bubbles: true })); })()`, id, value))
}

type agentView struct {
	Login    string `json:"login"`
	Presence string `json:"presence"`
	Open     int    `json:"open"`
}

// TestWorkspaceConsoleBrowser drives the agents' workspace in headless
// Chromium: a Cantonese-speaking agent signs in with a password and goes
// online; a Cantonese customer asks for a person and the handoff is routed
// to the agent and appears in "My work" without a reload (live long-poll),
// with its reason, snippet and channel; the agent claims it, inserts a
// canned reply, adds an internal note, replies and resolves. A supervisor
// in another tab sees the agent online with the load going 1 → 0.
func TestWorkspaceConsoleBrowser(t *testing.T) {
	chromium := needChromium(t)
	t.Parallel()
	began := time.Now()
	in := start(t, "HARBORDESK_ASSIGN_TIMEOUT=5m")
	shots := &shooter{t: t, dir: artefactDir(t), logs: in.log.String}

	const password = "harbour-lights-88"
	for _, a := range []map[string]any{
		{"login": "kaho", "name": "Ka Ho", "password": password, "role": "agent", "languages": []string{"yue", "zh"}, "max_open": 3},
		{"login": "mei", "name": "Mei (supervisor)", "password": password, "role": "supervisor", "languages": []string{"en"}, "max_open": 2},
	} {
		if code := in.call("POST", "/v1/agents", adminKey, a, nil); code != http.StatusCreated {
			t.Fatalf("POST /v1/agents %s = %d", a["login"], code)
		}
	}
	var macro struct {
		ID string `json:"id"`
	}
	if code := in.call("POST", "/v1/macros", adminKey, map[string]any{"title": "Damaged goods: ask for a photo",
		"text": map[string]string{"yue-Hant": "唔好意思！我係{agent_name}，麻煩你影張貨品相俾我哋。", "en": "Sorry! I'm {agent_name}; please send us a photo of the item."}},
		&macro); code != http.StatusCreated || macro.ID == "" {
		t.Fatalf("POST /v1/macros = %d %+v", code, macro)
	}
	agents := func() map[string]agentView {
		var l struct{ Items []agentView }
		if code := in.call("GET", "/v1/agents", adminKey, nil, &l); code != 200 {
			t.Fatalf("GET /v1/agents = %d", code)
		}
		m := map[string]agentView{}
		for _, a := range l.Items {
			m[a.Login] = a
		}
		return m
	}

	agent := browser(t, chromium)
	signIn := func(ctx context.Context, who, shot string) {
		shots.step(ctx, shot, append(signInSteps(in, who, password), chromedp.WaitNotVisible(byID("login-password-form")))...)
	}
	signIn(agent, "kaho", "agent-signed-in")
	shots.step(agent, "agent-online",
		choose("presence-select", "online"),
		until(`document.querySelector('[data-testid="mine-empty"]').textContent.includes('Go online') || true`),
		chromedp.Evaluate[chromedp.Void](`window.__noReload = 'same page'`))
	deadline := time.Now().Add(10 * time.Second)
	for agents()["kaho"].Presence != "online" {
		if time.Now().After(deadline) {
			t.Fatalf("presence never became online: %+v", agents()["kaho"])
		}
		time.Sleep(100 * time.Millisecond)
	}

	// The supervisor watches from another browser (a background tab would
	// be hidden, and the console does not poll while hidden).
	super := browser(t, chromium)
	signIn(super, "mei", "supervisor-signed-in")
	loadOf := func(login, want string) chromedp.Action[chromedp.Void] {
		return until(fmt.Sprintf(`(() => { const r = document.querySelector('[data-testid="agent-row"][data-login=%q]');
			return !!r && r.querySelector('[data-testid="agent-load"]').textContent.trim() === %q; })()`, login, want))
	}
	shots.step(super, "supervisor-sees-agent-online",
		chromedp.WaitVisible(byID("agents-panel")),
		loadOf("kaho", "0 / 3"),
		until(`document.querySelector('[data-testid="agent-row"][data-login="kaho"]').textContent.includes('online')`))

	// A Cantonese customer wants a person; routing offers it to kaho.
	a := in.post("web", "c-ws-browser", "conv-ws-browser", "m-ws-1", "我個貨送到嚟爛咗，同我轉真人客服啦")
	v := in.waitContact(a.ContactID, 40*time.Second, func(v contactView) bool {
		return v.Handoff != nil && v.Handoff.State == "assigned" && v.Handoff.Agent == "kaho"
	})
	hid := v.Handoff.ID
	if v.Language != "yue" {
		t.Errorf("customer language = %q, want yue", v.Language)
	}
	mineRow := fmt.Sprintf(`tr[data-testid="mine-row"][data-id=%q]`, hid)
	shots.step(agent, "assigned-live",
		chromedp.WaitVisible(chromedp.CSS(mineRow)),
		until(fmt.Sprintf(`document.querySelector('%s [data-testid="row-snippet"]').textContent.includes('爛咗')`, mineRow)),
		until(fmt.Sprintf(`document.querySelector('%s [data-testid="row-channel"]').textContent.trim() === 'web chat'`, mineRow)),
		until(fmt.Sprintf(`!!document.querySelector('%s [data-testid="row-intent"]')`, mineRow)),
		until(`!document.querySelector('[data-testid="live-alert"]').hidden`),
		until(`window.__noReload === 'same page'`))
	shots.step(super, "supervisor-sees-load-1", loadOf("kaho", "1 / 3"))

	shots.step(agent, "claimed",
		chromedp.Click(chromedp.CSS(mineRow+` [data-testid="mine-claim"]`)),
		chromedp.WaitVisible(byID("conversation-meta")),
		until(`[...document.querySelectorAll('[data-testid="message"]')].some(m => m.textContent.includes('真人客服'))`),
		chromedp.WaitEnabled(byID("reply-button")),
		until(fmt.Sprintf(`document.querySelector('%s [data-testid="mine-state"]').textContent.trim() === 'claimed'`, mineRow)),
		// The customer panel: this contact in the history, no error.
		until(`document.querySelectorAll('[data-testid="history-row"]').length === 1`),
		until(`document.getElementById('customer-error').hidden`))

	shots.step(agent, "macro-inserted",
		chromedp.WaitVisible(byID("macro-select")),
		choose("macro-select", macro.ID),
		chromedp.Click(byID("macro-insert")),
		until(`document.querySelector('[data-testid="reply-text"]').value.includes('影張貨品相')`))

	const note = "客人話盒爛咗，等佢send相先決定退款定換貨"
	shots.step(agent, "note-added",
		chromedp.SendKeys(byID("note-text"), note),
		chromedp.Click(byID("note-add")),
		until(`[...document.querySelectorAll('[data-testid="note"]')].some(n => n.textContent.includes('退款定換貨'))`))

	// The search box finds the contact by its note (Chinese, no spaces) and
	// by the customer's words, and opens it.
	shots.step(agent, "searched",
		chromedp.SendKeys(byID("search-q"), "換貨"),
		chromedp.Click(byID("search-submit")),
		until(`[...document.querySelectorAll('[data-testid="search-hit"]')].some(h => h.textContent.includes('換貨'))`),
		chromedp.Click(chromedp.CSS(`[data-testid="search-hit"] [data-testid="search-open"]`)),
		chromedp.WaitVisible(byID("conversation-meta")),
		until(`[...document.querySelectorAll('[data-testid="message"]')].some(m => m.textContent.includes('真人客服'))`))

	shots.step(agent, "replied",
		chromedp.Click(byID("reply-button")),
		until(`document.querySelector('[data-testid="conversation-status"]').textContent === 'Reply sent.'`),
		until(`[...document.querySelectorAll('[data-testid="message"].from-agent')].some(m => m.textContent.includes('影張貨品相'))`))

	shots.step(agent, "resolved",
		chromedp.SendKeys(byID("resolve-resolution"), "asked for a photo; replacement to follow"),
		chromedp.SetValue(byID("resolve-code"), "follow_up"),
		chromedp.Click(byID("resolve-button")),
		until(`document.querySelector('[data-testid="conversation-status"]').textContent.startsWith('Resolved')`),
		chromedp.WaitNotPresent(chromedp.CSS(mineRow)))
	shots.step(super, "supervisor-sees-load-0", loadOf("kaho", "0 / 3"))

	v = in.waitContact(a.ContactID, 15*time.Second, func(v contactView) bool { return v.Ticket != nil && v.Ticket.Status == "resolved" })
	agentReplies := 0
	for _, r := range v.Replies {
		if r.Author == "agent" {
			agentReplies++
			if r.Agent != "kaho" || !strings.Contains(r.Text, "影張貨品相") || strings.Contains(r.Text, "{agent_name}") {
				t.Errorf("agent reply = %+v, want kaho's filled macro", r)
			}
		}
		if strings.Contains(r.Text, "退款定換貨") {
			t.Errorf("the internal note reached the customer: %+v", r)
		}
	}
	if agentReplies != 1 {
		t.Errorf("agent replies = %d, want 1", agentReplies)
	}
	if got := agents()["kaho"]; got.Open != 0 || got.Presence != "online" {
		t.Errorf("kaho after resolving = %+v, want online with 0 open", got)
	}
	t.Logf("workspace browser flow took %s (including instance start)", time.Since(began).Round(100*time.Millisecond))
}

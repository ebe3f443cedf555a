package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestWebChatBrowserFlow drives the customer's side in headless Chromium
// with only the public key: the chat page opens a session, the customer
// asks, the bot's answer arrives on the session; a reload keeps the
// conversation; a session the server no longer accepts is replaced by a new
// one; and the widget on a shop's page opens the chat in an iframe.
func TestWebChatBrowserFlow(t *testing.T) {
	chromium := needChromium(t)
	t.Parallel()
	in := start(t, "HARBORDESK_API_KEYS="+adminKey+":admin:e2e-admin,"+publicKey+":public:web-chat")
	dir := artefactDir(t)
	ctx := browser(t, chromium)
	step := screenshotSteps(t, ctx, dir, 45*time.Second, in)
	waitJS := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(40*time.Second))
	}
	const session = `JSON.parse(localStorage.getItem('harbordesk.chat.session') || '{}')`
	const bots = `document.querySelectorAll('#log li.msg.bot:not(.notice)').length`

	step("page-opens-a-session",
		chromedp.Navigate(in.URL+"/chat/#key="+publicKey+"&lang=en"),
		waitJS(session+`.conversation_id?.startsWith('wc-') && `+session+`.verified === false`),
		chromedp.WaitEnabled(`#text`))
	step("customer-asks-bot-answers",
		chromedp.SendKeys(`#text`, "What time do you open?"),
		chromedp.Click(byID("chat-send")),
		waitJS(bots+` >= 1`),
		waitJS(`[...document.querySelectorAll('#log li.msg.customer')].some(li => li.textContent.includes('What time do you open?'))`))
	step("reload-keeps-the-conversation",
		chromedp.Evaluate[chromedp.Void](`window.__conv = `+session+`.conversation_id; sessionStorage.setItem('conv', window.__conv)`),
		chromedp.Reload(),
		waitJS(bots+` >= 1`),
		waitJS(session+`.conversation_id === sessionStorage.getItem('conv')`))
	step("a-refused-session-is-replaced",
		chromedp.Evaluate[chromedp.Void](`localStorage.setItem('harbordesk.chat.session', JSON.stringify({...`+session+`, session_token: 'hds1.forged.AAAA'}))`),
		chromedp.Reload(),
		chromedp.WaitEnabled(`#text`),
		chromedp.SendKeys(`#text`, "Do you have a return policy?"),
		chromedp.Click(byID("chat-send")),
		waitJS(`!document.querySelector('#log li.failed')`),
		waitJS(session+`.conversation_id !== sessionStorage.getItem('conv') && `+session+`.session_token !== 'hds1.forged.AAAA'`),
		waitJS(bots+` >= 1`))

	// The widget on a shop's page (another origin) opens the chat page in
	// an iframe with the key in the fragment only.
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>Shop</title><h1>Shop</h1><script src="%s/chat/widget.js" data-key="%s" data-lang="en" async></script>`, in.URL, publicKey)
	}))
	defer shop.Close()
	step("widget-opens-the-chat",
		chromedp.Navigate(shop.URL),
		chromedp.WaitVisible(`button[aria-label="Chat with us"]`),
		chromedp.Click(`button[aria-label="Chat with us"]`),
		waitJS(`(() => { const f = document.querySelector('iframe'); return !!f && f.style.display === 'block' && f.src.startsWith('`+in.URL+`/chat/#key=') })()`))
}

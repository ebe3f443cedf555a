package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/harbordesk/harbordesk/internal/sso/ssotest"
)

// TestConsoleSSOBrowser signs in through "Sign in with SSO" in Chromium
// against a local OpenID Connect provider started here (discovery, JWKS,
// RS256 ID tokens, PKCE): the console offers the button only because the
// server says SSO is on, the browser goes through the provider and back,
// the console keeps the session token and takes it out of the address bar,
// and signing out offers SSO again.
func TestConsoleSSOBrowser(t *testing.T) {
	chromium := needChromium(t)
	t.Parallel()
	op := ssotest.Start(t, "harbordesk-console", "console-secret")
	op.Email = "ling@example.hk"
	in := start(t, "HARBORDESK_OIDC_ISSUER="+op.URL, "HARBORDESK_OIDC_CLIENT_ID=harbordesk-console", "HARBORDESK_OIDC_CLIENT_SECRET=console-secret")
	if code := in.call("POST", "/v1/agents", adminKey, map[string]any{"login": "ling@example.hk", "name": "Ling", "role": "agent",
		"languages": []string{"yue", "en"}, "max_open": 2}, nil); code != http.StatusCreated {
		t.Fatalf("POST /v1/agents = %d", code)
	}
	shots := &shooter{t: t, dir: artefactDir(t), logs: in.log.String}
	ctx := browser(t, chromium)
	shots.step(ctx, "sso-offered",
		chromedp.Navigate(in.URL+"/console/"),
		chromedp.WaitVisible(byID("login-sso")))
	shots.step(ctx, "sso-signed-in",
		chromedp.Click(byID("login-sso")),
		chromedp.WaitVisible(byID("me-name")),
		until(`document.querySelector('[data-testid="me-name"]').textContent.startsWith('Ling')`),
		until(`!location.hash.includes('sso_token') && location.hash === '#queue'`),
		until(`!!sessionStorage.getItem('harbordesk.apiKey')`))
	if op.Tokens != 1 {
		t.Errorf("provider code exchanges = %d, want 1", op.Tokens)
	}
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || strings.Contains(url, "sso_token") {
		t.Errorf("address bar after SSO = %q (%v): the token must not stay in it", url, err)
	}
	shots.step(ctx, "sso-signed-out",
		chromedp.Click(byID("logout-button")),
		chromedp.WaitVisible(byID("login-sso")),
		until(`!sessionStorage.getItem('harbordesk.apiKey')`))
}

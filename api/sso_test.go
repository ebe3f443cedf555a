package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/sso"
	"github.com/harbordesk/harbordesk/internal/sso/ssotest"
	"github.com/harbordesk/harbordesk/internal/store"
)

// ssoServer is the API with single sign-on against a local OpenID provider
// started for the test (RS256 ID tokens, discovery, JWKS, a token endpoint
// that authenticates the client and checks PKCE).
func ssoServer(t *testing.T) (*ssotest.Provider, *httptest.Server, *store.Store) {
	t.Helper()
	op := ssotest.Start(t, "harbordesk-console", "console-secret")
	st := pgtest.New(t)
	srv := &Server{Store: st, MaxBody: 1 << 20, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Registry: prometheus.NewRegistry(),
		Keys:     map[string]config.APIKey{"admin-key": {Key: "admin-key", Role: config.RoleAdmin, Identity: "ops-amy"}}}
	ts := httptest.NewUnstartedServer(nil)
	p, err := sso.New(context.Background(), sso.Config{Issuer: op.URL, ClientID: "harbordesk-console", ClientSecret: "console-secret",
		RedirectURL: "http://" + ts.Listener.Addr().String() + "/v1/auth/sso/callback", Key: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	srv.SSO = p
	ts.Config.Handler = srv.Handler()
	ts.Start()
	t.Cleanup(ts.Close)
	return op, ts, st
}

// browser follows redirects with a cookie jar, as a browser does, until the
// console, and returns the console URL's fragment.
func browser(t *testing.T, jar http.CookieJar, start string) url.Values {
	t.Helper()
	var frag url.Values
	c := &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if strings.HasPrefix(req.URL.Path, "/console/") {
			frag, _ = url.ParseQuery(req.URL.Fragment)
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp, err := c.Get(start)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if frag == nil {
		t.Fatalf("never reached the console: %d %s", resp.StatusCode, resp.Request.URL)
	}
	return frag
}

// End to end: console → provider → callback → a session token for the
// account whose login is the verified e-mail, usable on the API.
func TestSSOSignsInTheMatchingAccount(t *testing.T) {
	op, ts, st := ssoServer(t)
	if code, b, _ := (call{"POST", "/v1/agents", "admin-key", "", `{"login":"Mei.Chan@example.hk","name":"Mei","languages":["yue"]}`}).do(t, ts); code != 201 {
		t.Fatalf("create SSO-only account: %d %s", code, b)
	}
	if code, b, _ := (call{"GET", "/v1/auth/sso", "", "", ""}).do(t, ts); code != 200 || !strings.Contains(string(b), `"enabled":true`) {
		t.Errorf("sso status: %d %s", code, b)
	}

	op.Email = "mei.chan@example.hk"
	jar, _ := cookiejar.New(nil)
	frag := browser(t, jar, ts.URL+"/v1/auth/sso/start")
	tok := frag.Get("sso_token")
	if tok == "" || frag.Get("expires_at") == "" || op.Tokens != 1 {
		t.Fatalf("console fragment %v (code exchanges %d)", frag, op.Tokens)
	}
	if code, b, _ := (call{"GET", "/v1/agents/me", tok, "", ""}).do(t, ts); code != 200 || !strings.Contains(string(b), `"login":"mei.chan@example.hk"`) {
		t.Errorf("token from SSO on the API: %d %s", code, b)
	}
	var via string
	_ = st.Pool.QueryRow(t.Context(), `SELECT detail->>'via' FROM audit_log WHERE action = 'sign_in' ORDER BY id DESC LIMIT 1`).Scan(&via)
	if via != "sso" {
		t.Errorf("sign-in audited via %q", via)
	}
	// An SSO-only account has no password to guess.
	if code, _, _ := (call{"POST", "/v1/auth/login", "", "", `{"login":"mei.chan@example.hk","password":""}`}).do(t, ts); code != 422 {
		t.Errorf("empty password: %d", code)
	}
	if code, _, _ := (call{"POST", "/v1/auth/login", "", "", `{"login":"mei.chan@example.hk","password":"anything-at-all"}`}).do(t, ts); code != 401 {
		t.Errorf("password on an SSO-only account: %d", code)
	}

	// Someone the provider knows but Harbordesk does not: no session.
	op.Email = "stranger@example.hk"
	if frag := browser(t, jar, ts.URL+"/v1/auth/sso/start"); frag.Get("sso_error") != "no_account" || frag.Get("sso_token") != "" {
		t.Errorf("unknown person: %v", frag)
	}
	// The provider refuses: the console hears so.
	op.Email = ""
	if frag := browser(t, jar, ts.URL+"/v1/auth/sso/start"); frag.Get("sso_error") != "denied" {
		t.Errorf("refused at the provider: %v", frag)
	}
}

// A callback this server did not start (no cookie, another state, a
// replayed code) never yields a session.
func TestSSOCallbackForgeries(t *testing.T) {
	op, ts, _ := ssoServer(t)
	_, _, _ = (call{"POST", "/v1/agents", "admin-key", "", `{"login":"mei@example.hk","languages":["yue"]}`}).do(t, ts)
	op.Email = "mei@example.hk"

	// Start a real flow but stop at the callback to keep its code and state.
	jar, _ := cookiejar.New(nil)
	var callback *url.URL
	c := &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if strings.HasSuffix(req.URL.Path, "/callback") {
			callback = req.URL
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp, err := c.Get(ts.URL + "/v1/auth/sso/start")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if callback == nil {
		t.Fatal("no callback")
	}
	q := callback.Query()

	// Without the flow cookie (another browser): refused before the exchange.
	noCookie, _ := cookiejar.New(nil)
	if frag := browser(t, noCookie, callback.String()); frag.Get("sso_error") != "expired" || op.Tokens != 0 {
		t.Errorf("callback without the cookie: %v (exchanges %d)", frag, op.Tokens)
	}
	// Another state with the right cookie.
	bad := url.Values{"code": {q.Get("code")}, "state": {"forged"}}
	if frag := browser(t, jar, ts.URL+"/v1/auth/sso/callback?"+bad.Encode()); frag.Get("sso_error") != "expired" {
		t.Errorf("forged state: %v", frag)
	}
}

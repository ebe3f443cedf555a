package api

// Single sign-on in the console: OpenID Connect authorization code + PKCE
// (internal/sso). A verified e-mail address signs in the account whose
// login it is, with the same kind of session token as a password sign-in.

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/harbordesk/harbordesk/internal/accounts"
	"github.com/harbordesk/harbordesk/internal/console"
	"github.com/harbordesk/harbordesk/internal/sso"
	"github.com/harbordesk/harbordesk/internal/store"
)

const ssoPath = "/v1/auth/sso"

func (s *Server) mountSSO(v1 *gin.RouterGroup) {
	v1.GET("/auth/sso", func(c *gin.Context) {
		if s.SSO == nil {
			c.JSON(http.StatusOK, gin.H{"enabled": false})
			return
		}
		c.JSON(http.StatusOK, gin.H{"enabled": true, "start": ssoPath + "/start"})
	})
	v1.GET("/auth/sso/start", s.ssoStart)
	v1.GET("/auth/sso/callback", s.ssoCallback)
}

// ssoStart sends the browser to the provider with a fresh state, nonce and
// PKCE challenge; their secrets wait in a sealed cookie.
func (s *Server) ssoStart(c *gin.Context) {
	if s.SSO == nil {
		abort(c, http.StatusNotFound, "not_found", "single sign-on is not configured")
		return
	}
	to, cookie, err := s.SSO.Start()
	if err != nil {
		s.fail(c, err)
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: sso.CookieName, Value: cookie, Path: ssoPath, MaxAge: int(sso.FlowTTL / time.Second),
		HttpOnly: true, Secure: c.Request.TLS != nil || strings.HasPrefix(c.GetHeader("X-Forwarded-Proto"), "https"), SameSite: http.SameSiteLaxMode})
	c.Header("Cache-Control", "no-store")
	c.Redirect(http.StatusFound, to)
}

// ssoCallback finishes the flow and hands the console its session token in
// the URL fragment (never sent to a server), or an error code there.
func (s *Server) ssoCallback(c *gin.Context) {
	if s.SSO == nil {
		abort(c, http.StatusNotFound, "not_found", "single sign-on is not configured")
		return
	}
	c.Header("Cache-Control", "no-store")
	http.SetCookie(c.Writer, &http.Cookie{Name: sso.CookieName, Value: "", Path: ssoPath, MaxAge: -1, HttpOnly: true})
	back := func(v url.Values) { c.Redirect(http.StatusFound, console.Prefix+"#"+v.Encode()) }
	fail := func(code string) { back(url.Values{"sso_error": {code}}) }
	if c.Query("error") != "" {
		fail("denied")
		return
	}
	cookie, _ := c.Cookie(sso.CookieName)
	ctx := c.Request.Context()
	email, err := s.SSO.Finish(ctx, cookie, c.Query("state"), c.Query("code"))
	switch {
	case errors.Is(err, sso.ErrFlow):
		fail("expired")
		return
	case errors.Is(err, sso.ErrNoEmail):
		fail("no_email")
		return
	case err != nil:
		s.Log.Warn("sso: identity not verified", "err_type", "sso")
		fail("not_verified")
		return
	}
	a, err := s.agentStore().AgentByLogin(ctx, accounts.NormalizeLogin(email))
	if errors.Is(err, store.ErrNotFound) {
		_ = s.Store.Audit(ctx, "unknown", "", "sign_in_failed", "", map[string]any{"via": "sso", "ip": c.ClientIP()})
		fail("no_account")
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	sess, err := s.startSession(ctx, a.ID, "sso", c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	back(url.Values{"sso_token": {sess.Token}, "expires_at": {sess.ExpiresAt.Format(time.RFC3339)}})
}

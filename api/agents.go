package api

// People's accounts: /v1/agents (admin writes, supervisor reads), sign-in
// with a password (/v1/auth/login, /v1/auth/logout) and presence.

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/harbordesk/harbordesk/internal/accounts"
	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/agents"
)

// agentStore is the agents aggregate (accounts, sessions, presence) on the
// server's pool.
func (s *Server) agentStore() *agents.Store { return agents.New(s.Store.Pool) }

// Sign-in attempts allowed: per client address, and per login (so a slow
// guessing run against one account from many addresses is held back too).
const (
	loginPerIPPerSecond    = 1.0
	loginIPBurst           = 20
	loginPerLoginPerSecond = 0.2
	loginLoginBurst        = 10
)

// defaultSessionTTL applies when Server.SessionTTL is unset.
const defaultSessionTTL = 12 * time.Hour

func (s *Server) mountAccounts(v1 *gin.RouterGroup) {
	byIP := newKeyedLimiter(loginPerIPPerSecond, loginIPBurst, time.Now)
	byLogin := newKeyedLimiter(loginPerLoginPerSecond, loginLoginBurst, time.Now)
	v1.POST("/auth/login", func(c *gin.Context) { s.login(c, byIP, byLogin) })
	v1.POST("/auth/logout", s.auth(config.RoleAgent), s.logout)
	v1.POST("/agents", s.auth(config.RoleAdmin), s.createAgent)
	v1.GET("/agents", s.auth(config.RoleSupervisor), s.listAgents)
	v1.GET("/agents/me", s.auth(config.RoleAgent), s.me)
	v1.PUT("/agents/me/presence", s.auth(config.RoleAgent), s.putPresence)
	v1.PATCH("/agents/:id", s.auth(config.RoleAdmin), s.patchAgent)
	v1.DELETE("/agents/:id", s.auth(config.RoleAdmin), s.deleteAgent)
	s.mountSSO(v1)
}

type loginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

type sessionBody struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

// login is POST /v1/auth/login. A wrong login and a wrong password get the
// same 401 after the same bcrypt work (a dummy hash stands in for a missing
// account).
func (s *Server) login(c *gin.Context, byIP, byLogin *keyedLimiter) {
	var req loginRequest
	if !bindJSON(c, &req) {
		return
	}
	login := accounts.NormalizeLogin(req.Login)
	if login == "" || req.Password == "" || utf8.RuneCountInString(login) > 120 || len(req.Password) > 1024 {
		abort(c, http.StatusUnprocessableEntity, "invalid", "login and password are required")
		return
	}
	wait := max(byIP.reserve("ip:"+c.ClientIP()), byLogin.reserve("login:"+login))
	if wait > 0 {
		secs := int64(math.Ceil(wait.Seconds()))
		c.Header("Retry-After", strconv.FormatInt(secs, 10))
		abort(c, http.StatusTooManyRequests, "rate_limited", fmt.Sprintf("too many sign-in attempts; retry after %d s", secs))
		return
	}
	ctx := c.Request.Context()
	id, hash, err := s.agentStore().PasswordHash(ctx, login)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.fail(c, err)
		return
	}
	if !accounts.VerifyPassword(hash, req.Password) {
		actor := "unknown" // an unknown login may be a mistyped password: not written down
		if id != "" {
			actor = login
		}
		_ = s.Store.Audit(ctx, actor, "", "sign_in_failed", id, map[string]any{"via": "password", "ip": c.ClientIP()})
		abort(c, http.StatusUnauthorized, "unauthorized", "wrong login or password")
		return
	}
	sess, err := s.startSession(ctx, id, "password", c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, sess)
}

// startSession issues a session token for an account and audits the
// sign-in. Shared by password and SSO sign-in.
func (s *Server) startSession(ctx context.Context, agentID, via, ip string) (sessionBody, error) {
	a, err := s.agentStore().AgentByID(ctx, agentID)
	if err != nil {
		return sessionBody{}, err
	}
	tok, hash, err := accounts.NewToken()
	if err != nil {
		return sessionBody{}, err
	}
	ttl := s.SessionTTL
	if ttl <= 0 {
		ttl = defaultSessionTTL
	}
	exp := time.Now().Add(ttl).UTC().Truncate(time.Second)
	if err := s.agentStore().CreateSession(ctx, agentID, hash, via, exp); err != nil {
		return sessionBody{}, err
	}
	if err := s.Store.Audit(ctx, a.Login, a.Role, "sign_in", agentID, map[string]any{"via": via, "ip": ip}); err != nil {
		return sessionBody{}, err
	}
	return sessionBody{Token: tok, ExpiresAt: exp}, nil
}

// logout is POST /v1/auth/logout: the caller's session token stops working.
func (s *Server) logout(c *gin.Context) {
	p := principalOf(c)
	if p.Session == nil {
		abort(c, http.StatusUnprocessableEntity, "invalid", "an API key cannot be signed out; sign out with a session token")
		return
	}
	ctx := c.Request.Context()
	if err := s.agentStore().RevokeSession(ctx, p.Session); err != nil {
		s.fail(c, err)
		return
	}
	_ = s.Store.Audit(ctx, p.Identity, string(p.Role), "sign_out", p.AgentID, nil)
	c.JSON(http.StatusOK, gin.H{"status": "signed_out"})
}

type agentRequest struct {
	Login     *string   `json:"login"`
	Name      *string   `json:"name"`
	Password  *string   `json:"password"`
	Role      *string   `json:"role"`
	Languages *[]string `json:"languages"`
	MaxOpen   *int      `json:"max_open"`
}

// patch validates the fields present and turns them into a store patch.
func (r agentRequest) patch() (agents.AgentPatch, error) {
	var p agents.AgentPatch
	if r.Name != nil {
		n := strings.TrimSpace(*r.Name)
		if utf8.RuneCountInString(n) > 120 || !utf8.ValidString(n) {
			return p, errors.New("name must be at most 120 characters")
		}
		p.Name = &n
	}
	if r.Role != nil {
		if !accounts.ValidRole(*r.Role) {
			return p, errors.New("role must be agent, supervisor or admin")
		}
		p.Role = r.Role
	}
	if r.Languages != nil {
		langs, err := accounts.CheckLanguages(*r.Languages)
		if err != nil {
			return p, errors.New("languages may hold only yue, zh and en")
		}
		p.Languages = langs
	}
	if r.MaxOpen != nil {
		if err := accounts.CheckMaxOpen(*r.MaxOpen); err != nil {
			return p, errors.New("max_open must be 1 to 100")
		}
		p.MaxOpen = r.MaxOpen
	}
	if r.Password != nil {
		if err := accounts.CheckPassword(*r.Password); err != nil {
			return p, errors.New("password must be at least 8 characters and at most 72 bytes")
		}
		h, err := accounts.HashPassword(*r.Password)
		if err != nil {
			return p, err
		}
		p.PasswordHash = &h
	}
	return p, nil
}

// createAgent is POST /v1/agents (admin). Without a password the account
// signs in through SSO only.
func (s *Server) createAgent(c *gin.Context) {
	var req agentRequest
	if !bindJSON(c, &req) {
		return
	}
	if req.Login == nil {
		abort(c, http.StatusUnprocessableEntity, "invalid", "login is required")
		return
	}
	login := accounts.NormalizeLogin(*req.Login)
	if err := accounts.CheckLogin(login); err != nil {
		abort(c, http.StatusUnprocessableEntity, "invalid", "login must be 2 to 120 characters of letters, digits and . _ @ + -")
		return
	}
	if req.Role == nil {
		r := accounts.RoleAgent
		req.Role = &r
	}
	if req.MaxOpen == nil {
		n := 5
		req.MaxOpen = &n
	}
	p, err := req.patch()
	if err != nil {
		abort(c, http.StatusUnprocessableEntity, "invalid", err.Error())
		return
	}
	a := agents.NewAgent{ID: accounts.NewID(), Login: login, Role: *p.Role, Languages: p.Languages, MaxOpen: *p.MaxOpen}
	if a.Languages == nil {
		a.Languages = []string{}
	}
	if p.Name != nil {
		a.Name = *p.Name
	}
	if p.PasswordHash != nil {
		a.PasswordHash = *p.PasswordHash
	}
	ctx := c.Request.Context()
	if err := s.agentStore().CreateAgent(ctx, a); err != nil {
		if errors.Is(err, store.ErrConflict) {
			abort(c, http.StatusConflict, "conflict", "that login is taken")
			return
		}
		s.fail(c, err)
		return
	}
	by := principalOf(c)
	_ = s.Store.Audit(ctx, by.Identity, string(by.Role), "agent_created", a.ID, map[string]any{"login": a.Login, "role": a.Role})
	c.JSON(http.StatusCreated, gin.H{"id": a.ID})
}

// patchAgent is PATCH /v1/agents/{id} (admin): name, role, languages,
// max_open, password. A new password or role signs the person out.
func (s *Server) patchAgent(c *gin.Context) {
	var req agentRequest
	if !bindJSON(c, &req) {
		return
	}
	if req.Login != nil {
		abort(c, http.StatusUnprocessableEntity, "invalid", "login cannot change; create a new account")
		return
	}
	p, err := req.patch()
	if err != nil {
		abort(c, http.StatusUnprocessableEntity, "invalid", err.Error())
		return
	}
	ctx := c.Request.Context()
	id := c.Param("id")
	if err := s.agentStore().UpdateAgent(ctx, id, p); err != nil {
		s.fail(c, err)
		return
	}
	a, err := s.agentStore().AgentByID(ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	by := principalOf(c)
	_ = s.Store.Audit(ctx, by.Identity, string(by.Role), "agent_updated", id, map[string]any{"password": p.PasswordHash != nil, "role": a.Role})
	c.JSON(http.StatusOK, a)
}

// deleteAgent is DELETE /v1/agents/{id} (admin): the account and its
// sessions go; handoffs assigned to them move on as if they went offline.
func (s *Server) deleteAgent(c *gin.Context) {
	ctx := c.Request.Context()
	id := c.Param("id")
	by := principalOf(c)
	if id == by.AgentID {
		abort(c, http.StatusConflict, "conflict", "you cannot delete your own account")
		return
	}
	login, err := s.agentStore().DeleteAgent(ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	_ = s.Store.Audit(ctx, by.Identity, string(by.Role), "agent_deleted", id, map[string]any{"login": login})
	s.presenceChanged(ctx, login, accounts.Offline)
	c.Status(http.StatusNoContent)
}

// listAgents is GET /v1/agents (supervisor): accounts with presence and load.
func (s *Server) listAgents(c *gin.Context) {
	items, err := s.agentStore().Agents(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

// me is GET /v1/agents/me: the signed-in person's own account.
func (s *Server) me(c *gin.Context) {
	p := principalOf(c)
	if p.AgentID == "" {
		abort(c, http.StatusForbidden, "needs_account", "sign in with an account (an API key has no account)")
		return
	}
	a, err := s.agentStore().AgentByID(c.Request.Context(), p.AgentID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

type presenceRequest struct {
	Status string `json:"status"`
}

// putPresence is PUT /v1/agents/me/presence. Routing hears of it at once:
// going offline (or away) moves the handoffs offered to the person and not
// yet claimed; coming online lets waiting handoffs be offered to them.
func (s *Server) putPresence(c *gin.Context) {
	var req presenceRequest
	if !bindJSON(c, &req) {
		return
	}
	if !accounts.ValidPresence(req.Status) {
		abort(c, http.StatusUnprocessableEntity, "invalid", "status must be online, away or offline")
		return
	}
	p := principalOf(c)
	if p.AgentID == "" {
		abort(c, http.StatusForbidden, "needs_account", "presence belongs to a signed-in account (an API key has none)")
		return
	}
	ctx := c.Request.Context()
	login, err := s.agentStore().SetPresence(ctx, p.AgentID, req.Status)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.presenceChanged(ctx, login, req.Status)
	c.JSON(http.StatusOK, gin.H{"status": req.Status})
}

// presenceChanged tells routing; a failure is logged, not the caller's
// problem: the assignment timeout moves the handoffs all the same.
func (s *Server) presenceChanged(ctx context.Context, login, status string) {
	if s.Desk == nil {
		return
	}
	if err := s.Desk.PresenceChanged(ctx, login, status); err != nil {
		s.Log.Warn("routing not told of a presence change", "err_type", errType(err))
	}
}

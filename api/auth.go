package api

// Who is calling: one place resolves a bearer credential — an integration's
// API key (HARBORDESK_API_KEYS) or a person's session token (/v1/auth/login,
// SSO) — to an identity and a role, and the auth middleware checks the role.

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/harbordesk/harbordesk/internal/accounts"
	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/store"
)

// principal is a resolved caller.
type principal struct {
	Identity string      // audit name and handoff owner: the key's identity or the account's login
	Role     config.Role // what they may do
	AgentID  string      // the account, for a session token ("" for an API key)
	Session  []byte      // the session token's hash ("" for an API key)
}

var errUnknownCredential = errors.New("unknown credential")

// identify resolves a bearer credential. Unknown, expired and revoked
// credentials are errUnknownCredential; a database failure is the store's
// error.
func (s *Server) identify(ctx context.Context, bearer string) (principal, error) {
	if k, ok := s.Keys[bearer]; ok {
		return principal{Identity: k.Identity, Role: k.Role}, nil
	}
	if !accounts.IsToken(bearer) || s.Store == nil {
		return principal{}, errUnknownCredential
	}
	h := accounts.HashToken(bearer)
	p, err := s.agentStore().SessionPrincipal(ctx, h)
	if errors.Is(err, store.ErrNotFound) {
		return principal{}, errUnknownCredential
	}
	if err != nil {
		return principal{}, err
	}
	return principal{Identity: p.Login, Role: config.Role(p.Role), AgentID: p.AgentID, Session: h}, nil
}

// auth requires a credential whose role includes need.
func (s *Server) auth(need config.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		key, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
		if !ok || key == "" {
			c.Header("WWW-Authenticate", `Bearer realm="harbordesk"`)
			abort(c, http.StatusUnauthorized, "unauthorized", "missing API key or session token (Authorization: Bearer <credential>)")
			return
		}
		p, err := s.identify(c.Request.Context(), key)
		if errors.Is(err, errUnknownCredential) {
			c.Header("WWW-Authenticate", `Bearer realm="harbordesk", error="invalid_token"`)
			abort(c, http.StatusUnauthorized, "unauthorized", "unknown API key, or a session token that expired or was revoked")
			return
		}
		if err != nil {
			s.fail(c, err)
			return
		}
		if !p.Role.Allows(need) {
			abort(c, http.StatusForbidden, "forbidden", "this caller's role may not do that (needs "+string(need)+")")
			return
		}
		c.Set("identity", p.Identity)
		c.Set("role", string(p.Role))
		c.Set("principal", p)
		limit := s.Limiter
		if p.Role == config.RolePublic {
			limit = s.PublicLimiter
		}
		if limit != nil {
			limit(c)
			if c.IsAborted() {
				return
			}
		}
		c.Next()
	}
}

// Auth is auth for handlers mounted from other packages.
func (s *Server) Auth(need config.Role) gin.HandlerFunc { return s.auth(need) }

// principalOf is the caller auth resolved.
func principalOf(c *gin.Context) principal {
	p, _ := c.Get("principal")
	pp, _ := p.(principal)
	return pp
}

// Package api serves Harbordesk's HTTP API (CONTRACT.md) with Gin: API-key
// authentication with roles, request-size limits, one place that maps errors
// to status codes, Prometheus metrics and OpenTelemetry spans. Handlers are
// thin: they bind and validate input and call internal/desk or the store.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/trace"

	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/desk"
	"github.com/harbordesk/harbordesk/internal/sso"
	"github.com/harbordesk/harbordesk/internal/store"
)

// Pinger checks a dependency for readiness.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Server is the HTTP API.
type Server struct {
	Desk  *desk.Desk
	Store *store.Store
	Keys  map[string]config.APIKey
	// MaxBody caps every route's body limit (see bodyLimit).
	MaxBody  int64
	Temporal Pinger
	Log      *slog.Logger
	Registry *prometheus.Registry
	// MetricsToken (HARBORDESK_METRICS_TOKEN) lets a scraper see the KPI
	// gauges on /metrics; without it they are not served at all.
	MetricsToken string
	// PseudonymKey keys the hashes that stand for channel addresses (phone
	// numbers, DingTalk IDs) in conversation and customer IDs.
	PseudonymKey []byte
	// Limiter is the per-identity rate limit (nil: off).
	Limiter gin.HandlerFunc
	// PublicLimiter limits public keys per key and client address (nil:
	// off); it runs instead of Limiter for them.
	PublicLimiter gin.HandlerFunc
	// TrustedProxies may set X-Forwarded-For (CIDRs or addresses); none:
	// the client address is the TCP peer, so a client cannot pick its own.
	TrustedProxies []string
	// Replies wakes long-polling requests when a reply commits (nil: no long-poll).
	Replies *store.ReplyHub
	// CheckAudio vets a voice note at intake (status 0 = fine), so corrupt
	// or oversized audio gets a clear 413/422 instead of a silent failure.
	CheckAudio func(data []byte, mime string) (status int, code, msg string)
	// SessionTTL is how long a sign-in (password or SSO) lasts.
	SessionTTL time.Duration
	// SSO is the OpenID Connect provider for console sign-in (nil: off).
	SSO *sso.Provider
	// Extra mounts optional parts (webhooks, console, KB, lexicon, KPIs…).
	Extra []func(r *gin.Engine, s *Server)

	// UploadSlots bounds concurrent bodies over TextBodyLimit (0:
	// DefaultUploadSlots).
	UploadSlots int

	requests   *prometheus.HistogramVec
	kpiMetrics *prometheus.Registry // KPI gauges, served with MetricsToken only
	uploads    chan struct{}
}

// Handler builds the router.
func (s *Server) Handler() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	if err := r.SetTrustedProxies(s.TrustedProxies); err != nil {
		// Checked when the configuration is read; a bad entry here is a
		// programming error, and trusting no proxy is the safe fallback.
		s.Log.Error("trusted proxies ignored", "err", err.Error())
		_ = r.SetTrustedProxies(nil)
	}
	s.requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "harbordesk_http_request_seconds", Help: "HTTP request latency by route and status.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"route", "status"})
	s.Registry.MustRegister(s.requests)
	if s.UploadSlots < 1 {
		s.UploadSlots = DefaultUploadSlots
	}
	s.uploads = make(chan struct{}, s.UploadSlots)
	r.Use(s.recover, s.observe, apiHeaders, s.limitBody, checkInput)
	r.NoRoute(func(c *gin.Context) { abort(c, http.StatusNotFound, "not_found", "no such route") })
	r.NoMethod(func(c *gin.Context) {
		abort(c, http.StatusMethodNotAllowed, "method_not_allowed", "method not allowed")
	})

	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	r.GET("/readyz", s.ready)
	r.GET("/metrics", s.metrics)

	v1 := r.Group("/v1")
	v1.POST("/contacts", s.auth(config.RoleIntake), s.postContact)
	v1.POST("/contacts/:id/messages", s.auth(config.RoleIntake), s.postMessage)
	v1.GET("/contacts/:id", s.auth(config.RoleAgent), s.getContact)
	v1.GET("/tickets", s.auth(config.RoleAgent), s.listTickets)
	v1.GET("/tickets/:id", s.auth(config.RoleAgent), s.getTicket)
	v1.GET("/handoffs", s.auth(config.RoleAgent), s.listHandoffs)
	v1.POST("/handoffs/:id/claim", s.auth(config.RoleAgent), s.claim)
	v1.POST("/handoffs/:id/reply", s.auth(config.RoleAgent), s.agentReplyAwait)
	v1.POST("/handoffs/:id/transfer", s.auth(config.RoleAgent), s.transfer)
	v1.POST("/handoffs/:id/release", s.auth(config.RoleAgent), s.release)
	v1.POST("/handoffs/:id/resolve", s.auth(config.RoleAgent), s.resolve)
	v1.GET("/escalations", s.auth(config.RoleSupervisor), s.listEscalations)
	s.mountAccounts(v1)
	v1.POST("/bench/baseline", s.auth(config.RoleAdmin), s.postBaseline)
	v1.GET("/bench/baseline/:id", s.auth(config.RoleAdmin), s.getBaseline)
	for _, mount := range s.Extra {
		mount(r, s)
	}
	return otelhttp.NewHandler(r, "harbordesk-api", otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
		return r.Method + " " + r.URL.Path
	}))
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// abort writes the contract's error shape. Messages are fixed texts chosen
// here or validation messages about field names, never internal errors.
func abort(c *gin.Context, status int, code, msg string) {
	var b errorBody
	b.Error.Code, b.Error.Message = code, msg
	c.AbortWithStatusJSON(status, b)
}

// Abort is abort for handlers mounted from other packages.
func Abort(c *gin.Context, status int, code, msg string) { abort(c, status, code, msg) }

// fail maps a domain error to a status, in one place.
func (s *Server) fail(c *gin.Context, err error) {
	switch {
	case errors.Is(err, desk.ErrNotFound), errors.Is(err, store.ErrNotFound):
		abort(c, http.StatusNotFound, "not_found", "not found")
	case errors.Is(err, desk.ErrConflict), errors.Is(err, store.ErrConflict):
		msg := "conflict"
		if i := strings.Index(err.Error(), ": "); i > 0 {
			msg = err.Error()[i+2:]
		}
		abort(c, http.StatusConflict, "conflict", msg)
	case errors.Is(err, desk.ErrInvalid):
		abort(c, http.StatusUnprocessableEntity, "invalid", strings.TrimPrefix(err.Error(), "invalid: "))
	case errors.Is(err, store.ErrBadCursor):
		abort(c, http.StatusBadRequest, "bad_cursor", "cursor is not valid")
	case errors.Is(err, context.Canceled):
		abort(c, 499, "canceled", "request canceled")
	default:
		s.Log.Error("request failed", "route", c.FullPath(), "err_type", errType(err))
		abort(c, http.StatusServiceUnavailable, "unavailable", "a dependency is unavailable; retry later")
	}
}

// Fail is fail for handlers mounted from other packages.
func (s *Server) Fail(c *gin.Context, err error) { s.fail(c, err) }

func errType(err error) string {
	if errors.Is(err, desk.ErrUnavailable) || errors.Is(err, store.ErrUnavailable) {
		return "unavailable"
	}
	return "internal"
}

func (s *Server) recover(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			s.Log.Error("panic in handler", "route", c.FullPath())
			abort(c, http.StatusInternalServerError, "internal", "internal error")
		}
	}()
	c.Next()
}

func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	// Name the request's span by its route, not its path: one span name per
	// endpoint, and no contact or customer IDs in span names.
	trace.SpanFromContext(c.Request.Context()).SetName(c.Request.Method + " " + route)
	s.requests.WithLabelValues(route, strconv.Itoa(c.Writer.Status())).Observe(time.Since(start).Seconds())
}

func agentOf(c *gin.Context) desk.Agent {
	return desk.Agent{Identity: c.GetString("identity"), Role: c.GetString("role")}
}

func (s *Server) ready(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	checks := gin.H{}
	ok := true
	if err := s.Store.Ping(ctx); err != nil {
		checks["database"], ok = "down", false
	} else {
		checks["database"] = "ok"
	}
	if err := s.Temporal.Ping(ctx); err != nil {
		checks["temporal"], ok = "down", false
	} else {
		checks["temporal"] = "ok"
	}
	status := http.StatusOK
	if !ok {
		status = http.StatusServiceUnavailable
	}
	c.JSON(status, gin.H{"ready": ok, "checks": checks})
}

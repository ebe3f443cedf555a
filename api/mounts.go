package api

import (
	"context"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/console"
	"github.com/harbordesk/harbordesk/internal/kpi"
)

// MountConsole serves the agent and supervisor console at /console/ and
// sends / there.
func MountConsole(r *gin.Engine, s *Server) {
	h := gin.WrapH(console.Handler())
	r.GET("/console", h)
	r.GET("/console/*any", h)
	r.HEAD("/console/*any", h)
	r.GET("/", func(c *gin.Context) { c.Redirect(http.StatusFound, console.Prefix) })
}

// MountKPIs serves /v1/kpis and exports the same figures (last 7 days) as
// Prometheus gauges on /metrics for scrapers holding HARBORDESK_METRICS_TOKEN,
// refreshed in the background at most once a minute.
func MountKPIs(r *gin.Engine, s *Server) {
	r.GET("/v1/kpis", s.auth(config.RoleSupervisor), s.kpis)
	if s.MetricsToken == "" {
		return // nobody may see them: do not compute them
	}
	col := kpi.NewCollector(s.kpiSource, 30*time.Second, time.Minute)
	s.kpiMetrics = prometheus.NewRegistry()
	s.kpiMetrics.MustRegister(col)
	go func() { _ = col.Refresh(context.Background()) }() // first figures ready before the first scrape
}

// MountCodec serves the Temporal payload codec endpoint (POST
// /codec/encode, /codec/decode) for Temporal UI/CLI, admin only.
func MountCodec(h http.Handler) func(r *gin.Engine, s *Server) {
	return func(r *gin.Engine, s *Server) {
		r.POST("/codec/*op", s.auth(config.RoleAdmin), gin.WrapH(jsonErrors(http.StripPrefix("/codec", h))))
	}
}

// MountPprof serves Go's profiler at /debug/pprof/ for admins (enabled by
// HARBORDESK_PPROF=1); it is how the latency figures in the README were read.
func MountPprof(r *gin.Engine, s *Server) {
	g := r.Group("/debug/pprof", s.auth(config.RoleAdmin))
	g.GET("/", gin.WrapF(pprof.Index))
	g.GET("/profile", gin.WrapF(pprof.Profile))
	g.GET("/trace", gin.WrapF(pprof.Trace))
	g.GET("/:name", func(c *gin.Context) { pprof.Handler(c.Param("name")).ServeHTTP(c.Writer, c.Request) })
}

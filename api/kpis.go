package api

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/harbordesk/harbordesk/internal/hkcal"
	"github.com/harbordesk/harbordesk/internal/kpi"
	"github.com/harbordesk/harbordesk/internal/store/kpis"
)

// kpiWindow parses from/to (RFC 3339 or YYYY-MM-DD, Hong Kong time); the
// default is the last 7 days.
func kpiWindow(c *gin.Context) (time.Time, time.Time, bool) {
	now := time.Now().In(hkcal.HK)
	from, to := now.Add(-7*24*time.Hour), now.Add(time.Minute)
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &from}, {"to", &to}} {
		v := c.Query(p.name)
		if v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			t, err = time.ParseInLocation("2006-01-02", v, hkcal.HK)
		}
		if err != nil {
			abort(c, http.StatusUnprocessableEntity, "invalid", p.name+" must be RFC 3339 or YYYY-MM-DD")
			return from, to, false
		}
		*p.dst = t
	}
	if !to.After(from) {
		abort(c, http.StatusUnprocessableEntity, "invalid", "to must be after from")
		return from, to, false
	}
	return from, to, true
}

func (s *Server) kpis(c *gin.Context) {
	from, to, ok := kpiWindow(c)
	if !ok {
		return
	}
	by, err := kpi.ParseBy(c.Query("by"))
	if err != nil {
		abort(c, http.StatusUnprocessableEntity, "invalid", "by must list language, channel, arm, hour or day")
		return
	}
	rep, err := kpis.New(s.Store.Pool).Report(c.Request.Context(), from, to, by)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, rep)
}

// kpiSource feeds the Prometheus collector with the last 7 days.
func (s *Server) kpiSource(ctx context.Context) (kpi.Report, error) {
	now := time.Now()
	return kpis.New(s.Store.Pool).Report(ctx, now.Add(-7*24*time.Hour), now, nil)
}

// metrics serves Prometheus metrics: the operational ones to anyone, and the
// KPI gauges too when the scraper presents HARBORDESK_METRICS_TOKEN as a
// bearer token (business figures are not for every network neighbour).
func (s *Server) metrics(c *gin.Context) {
	g := prometheus.Gatherers{s.Registry}
	if h := c.GetHeader("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || s.MetricsToken == "" || subtle.ConstantTimeCompare([]byte(tok), []byte(s.MetricsToken)) != 1 {
			abort(c, http.StatusUnauthorized, "unauthorized", "invalid metrics token (HARBORDESK_METRICS_TOKEN)")
			return
		}
		if s.kpiMetrics != nil {
			g = append(g, s.kpiMetrics)
		}
	}
	promhttp.HandlerFor(g, promhttp.HandlerOpts{}).ServeHTTP(c.Writer, c.Request)
}

package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/harbordesk/harbordesk/internal/hkcal"
	"github.com/harbordesk/harbordesk/internal/kpi"
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
	events, err := s.Store.KPIEvents(c.Request.Context(), from, to)
	if err != nil {
		s.fail(c, err)
		return
	}
	for i := range events {
		events[i].At = events[i].At.In(hkcal.HK)
	}
	rep := kpi.Compute(events, by)
	c.JSON(http.StatusOK, rep)
}

// kpiSource feeds the Prometheus collector with the last 7 days.
func (s *Server) kpiSource(ctx context.Context) (kpi.Report, error) {
	now := time.Now()
	events, err := s.Store.KPIEvents(ctx, now.Add(-7*24*time.Hour), now)
	if err != nil {
		return kpi.Report{}, err
	}
	return kpi.Compute(events, nil), nil
}

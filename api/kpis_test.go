package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store/kpis"
)

func kpiServer(t *testing.T, metricsToken string) *httptest.Server {
	t.Helper()
	st := pgtest.New(t)
	if err := kpis.Seed(context.Background(), st.Pool, kpis.SeedOptions{Contacts: 300, Days: 3}, nil); err != nil {
		t.Fatal(err)
	}
	srv := &Server{Store: st, MaxBody: 1 << 20, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Registry: prometheus.NewRegistry(), Extra: []func(*gin.Engine, *Server){MountKPIs},
		MetricsToken: metricsToken,
		Keys: map[string]config.APIKey{
			"sup-key":   {Key: "sup-key", Role: config.RoleSupervisor, Identity: "sup"},
			"agent-key": {Key: "agent-key", Role: config.RoleAgent, Identity: "agent"},
		}}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// KPI gauges are business figures: only a scraper holding the metrics token
// sees them; everyone else gets the operational metrics.
func TestMetricsKPIGaugesNeedTheToken(t *testing.T) {
	ts := kpiServer(t, "scrape-token")
	code, body, _ := call{method: "GET", path: "/metrics"}.do(t, ts)
	if code != 200 || strings.Contains(string(body), "harbordesk_kpi") {
		t.Fatalf("/metrics without token: %d, kpi gauges present: %v", code, strings.Contains(string(body), "harbordesk_kpi"))
	}
	for _, bad := range []string{"sup-key", "scrape-token-x", "Basic c2NyYXBlLXRva2Vu"} {
		h := "Bearer " + bad
		if strings.HasPrefix(bad, "Basic") {
			h = bad
		}
		req, _ := http.NewRequest("GET", ts.URL+"/metrics", nil)
		req.Header.Set("Authorization", h)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 401 || strings.Contains(string(b), "harbordesk_kpi") || !strings.Contains(string(b), `"code":"unauthorized"`) {
			t.Errorf("/metrics with %q: %d %s", h, resp.StatusCode, b)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, body, _ = call{method: "GET", path: "/metrics", key: "scrape-token"}.do(t, ts)
		if strings.Contains(string(body), `harbordesk_kpi_contacts{arm="",channel="",language=""} 300`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/metrics with token never showed the 300 seeded contacts:\n%s", body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Without HARBORDESK_METRICS_TOKEN no scraper can see KPI gauges.
func TestMetricsWithoutConfiguredToken(t *testing.T) {
	ts := kpiServer(t, "")
	code, body, _ := call{method: "GET", path: "/metrics", key: "anything"}.do(t, ts)
	if code != 401 || strings.Contains(string(body), "harbordesk_kpi") {
		t.Errorf("/metrics with a token when none is configured: %d %s", code, body)
	}
}

func TestKPIsEndpoint(t *testing.T) {
	ts := kpiServer(t, "")
	tests := []struct {
		name, path, key string
		want            int
	}{
		{"agent is not enough", "/v1/kpis", "agent-key", 403},
		{"bad from", "/v1/kpis?from=yesterday", "sup-key", 422},
		{"bad split", "/v1/kpis?by=planet", "sup-key", 422},
		{"window backwards", "/v1/kpis?from=2026-01-02&to=2026-01-01", "sup-key", 422},
		{"last 7 days", "/v1/kpis", "sup-key", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, _ := call{method: "GET", path: tt.path, key: tt.key}.do(t, ts)
			if code != tt.want {
				t.Fatalf("%s: %d %s", tt.path, code, body)
			}
			if code != 200 {
				return
			}
			var r struct {
				Contacts int `json:"contacts"`
				FCR      struct {
					Total, Open int
				} `json:"fcr"`
				ByArm map[string]json.RawMessage `json:"by_arm"`
			}
			if err := json.Unmarshal(body, &r); err != nil {
				t.Fatal(err)
			}
			if r.Contacts != 300 || r.FCR.Total+r.FCR.Open != 300 || len(r.ByArm) != 2 {
				t.Errorf("report: %+v", r)
			}
		})
	}
}

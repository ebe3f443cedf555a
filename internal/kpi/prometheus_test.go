package kpi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// scrape registers c on a pedantic registry (which checks the metrics are
// consistent with Describe) and renders every sample as `name{l="v",…} value`,
// sorted; labels in name order, empty ones left out.
func scrape(t *testing.T, c prometheus.Collector) []string {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(c); err != nil {
		t.Fatalf("register: %v", err)
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	var out []string
	for _, f := range families {
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				if l.GetValue() == "" {
					continue // an empty label is an absent label in PromQL
				}
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			out = append(out, fmt.Sprintf("%s{%s} %v", f.GetName(), strings.Join(labels, ","), m.GetGauge().GetValue()))
		}
	}
	slices.Sort(out)
	return out
}

func TestCollectorExposesReport(t *testing.T) {
	report := Compute(seed(), nil)
	calls := 0
	c := NewCollector(func(ctx context.Context) (Report, error) {
		if _, ok := ctx.Deadline(); !ok {
			t.Error("source called without a deadline")
		}
		calls++
		return report, nil
	}, time.Second, time.Minute)
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := scrape(t, c)
	scrape(t, c)
	if calls != 1 {
		t.Errorf("source called %d times for one refresh and two fresh scrapes, want 1", calls)
	}
	// Values from TestComputeOverall, TestComputeSplits and TestComputeAB.
	for _, want := range []string{
		`harbordesk_kpi_up{} 1`,
		`harbordesk_kpi_contacts{} 7`,
		`harbordesk_kpi_fcr_ratio{} 0.6`,
		`harbordesk_kpi_fcr_ratio{arm="ai"} 0.6666666666666666`,
		`harbordesk_kpi_fcr_ratio{arm="human"} 0.5`,
		`harbordesk_kpi_fcr_ratio{channel="web"} 0.3333333333333333`,
		`harbordesk_kpi_fcr_ratio{language="zh"} 0`,
		`harbordesk_kpi_night_coverage_ratio{} 0.5`,
		`harbordesk_kpi_handoff_ratio{arm="ai"} 0.5`,
		`harbordesk_kpi_sla_breaches{arm="human"} 3`,
		`harbordesk_kpi_csat_mean{} 3.6`,
		`harbordesk_kpi_csat_responses{} 5`,
		`harbordesk_kpi_csat_satisfied_ratio{} 0.6`,
		`harbordesk_kpi_first_response_seconds{quantile="0.5"} 4`,
		`harbordesk_kpi_first_response_seconds{quantile="0.9"} 600`,
		`harbordesk_kpi_first_response_seconds{arm="human",quantile="0.5"} 20`,
		`harbordesk_kpi_ab_diff{figure="first_response_p50_ms"} -18000`,
		`harbordesk_kpi_ab_p_value{figure="night_coverage"} 1`,
		`harbordesk_kpi_ab_p_value{figure="fcr"} 0.7093881150142264`,
	} {
		if !slices.Contains(got, want) {
			t.Errorf("scrape lacks %s", want)
		}
	}
	// 1 up + 1 age + 6 ab + 10 per group × (overall + 2 arms + 3 languages + 3 channels).
	if want := 2 + 6 + 10*9; len(got) != want {
		t.Errorf("scrape has %d samples, want %d:\n%s", len(got), want, strings.Join(got, "\n"))
	}
}

func TestCollectorSourceError(t *testing.T) {
	c := NewCollector(func(context.Context) (Report, error) {
		return Report{}, errors.New("store down")
	}, time.Second, time.Minute)
	if err := c.Refresh(context.Background()); err == nil {
		t.Fatal("Refresh hid the source's error")
	}
	got := scrape(t, c)
	if want := []string{`harbordesk_kpi_up{} 0`}; !slices.Equal(got, want) {
		t.Errorf("scrape on error = %v, want %v", got, want)
	}
}

// A scrape never waits for the source: stale figures start one refresh in
// the background and the scrape answers with what it has.
func TestCollectorRefreshesInBackground(t *testing.T) {
	release := make(chan struct{})
	done := make(chan struct{}, 4)
	c := NewCollector(func(ctx context.Context) (Report, error) {
		<-release
		done <- struct{}{}
		return Compute(seed(), nil), nil
	}, 5*time.Second, time.Minute)
	start := time.Now()
	for range 3 {
		if got := scrape(t, c); !slices.Equal(got, []string{`harbordesk_kpi_up{} 0`}) {
			t.Fatalf("scrape before the first refresh = %v", got)
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("scrapes waited %v for the source", d)
	}
	close(release)
	<-done
	deadline := time.Now().Add(5 * time.Second)
	for !slices.Contains(scrape(t, c), `harbordesk_kpi_contacts{} 7`) {
		if time.Now().After(deadline) {
			t.Fatal("figures never appeared after the background refresh")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case <-done:
		t.Error("three stale scrapes started more than one refresh")
	default:
	}
}

// An arm without contacts shows no difference and no p-value.
func TestCollectorOmitsABWithoutData(t *testing.T) {
	var ai []Event
	for _, e := range seed() {
		if e.Arm == "" || e.Arm == "ai" || e.Arm == "AI" {
			ai = append(ai, e)
		}
	}
	r := Compute(ai, nil)
	if r.AB.FCR.Diff != nil || r.AB.FCR.PValue != nil || r.AB.FirstResponseP50.PValue != nil {
		t.Fatalf("ab against an empty human arm = %+v", r.AB)
	}
	c := NewCollector(func(context.Context) (Report, error) { return r, nil }, time.Second, time.Minute)
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, m := range scrape(t, c) {
		if strings.HasPrefix(m, "harbordesk_kpi_ab_") {
			t.Errorf("scrape exposes %s without a human arm", m)
		}
	}
}

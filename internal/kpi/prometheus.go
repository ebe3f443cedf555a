package kpi

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Source loads the Report the collector exposes, typically the last 7 days
// of KPIs aggregated by the store.
type Source func(ctx context.Context) (Report, error)

// Collector exposes a Report as Prometheus gauges. A scrape never computes
// the figures: it serves the last Report the source gave and, when that is
// older than maxAge (or missing), starts one refresh in the background, so
// scrapes cost the same at ten contacts or a million. Overall figures carry
// empty arm, language and channel labels; each by_* group sets its own
// label. Until a refresh has succeeded, or when the last one failed,
// harbordesk_kpi_up is 0 and the last good figures (if any) stay exposed.
type Collector struct {
	source  Source
	timeout time.Duration
	maxAge  time.Duration

	mu         sync.Mutex
	report     *Report
	at         time.Time // when report was computed
	up         bool
	refreshing bool
	now        func() time.Time
}

// NewCollector returns a collector that refreshes from source in the
// background when its figures are older than maxAge, each refresh bounded by
// timeout.
func NewCollector(source Source, timeout, maxAge time.Duration) *Collector {
	return &Collector{source: source, timeout: timeout, maxAge: maxAge, now: time.Now}
}

// Refresh loads the figures now (at start, or from a test).
func (c *Collector) Refresh(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	r, err := c.source(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.up = err == nil
	if err != nil {
		return err
	}
	c.report, c.at = &r, c.now()
	return nil
}

// refreshIfStale starts a background refresh when the figures are stale and
// none is running.
func (c *Collector) refreshIfStale() {
	c.mu.Lock()
	stale := c.report == nil || c.now().Sub(c.at) >= c.maxAge
	if !stale || c.refreshing {
		c.mu.Unlock()
		return
	}
	c.refreshing = true
	c.mu.Unlock()
	go func() {
		_ = c.Refresh(context.Background())
		c.mu.Lock()
		c.refreshing = false
		c.mu.Unlock()
	}()
}

var groupLabels = []string{"arm", "language", "channel"}

var (
	descUp = prometheus.NewDesc("harbordesk_kpi_up",
		"1 when the last background refresh of the KPI figures succeeded.", nil, nil)
	descAge = prometheus.NewDesc("harbordesk_kpi_age_seconds",
		"Age of the KPI figures exposed (they are refreshed in the background).", nil, nil)
	descContacts = prometheus.NewDesc("harbordesk_kpi_contacts",
		"Contacts received in the KPI window.", groupLabels, nil)
	descFirstResponse = prometheus.NewDesc("harbordesk_kpi_first_response_seconds",
		"First-response time quantiles (nearest rank) in the KPI window.",
		append([]string{"quantile"}, groupLabels...), nil)
	descFCR = prometheus.NewDesc("harbordesk_kpi_fcr_ratio",
		"First-contact resolution: resolved contacts never reopened over resolved contacts.", groupLabels, nil)
	descNight = prometheus.NewDesc("harbordesk_kpi_night_coverage_ratio",
		"After-hours contacts answered within 30 s over after-hours contacts.", groupLabels, nil)
	descHandoff = prometheus.NewDesc("harbordesk_kpi_handoff_ratio",
		"Contacts handed off to a human over contacts.", groupLabels, nil)
	descSLA = prometheus.NewDesc("harbordesk_kpi_sla_breaches",
		"SLA breaches in the KPI window.", groupLabels, nil)
	descCSATMean = prometheus.NewDesc("harbordesk_kpi_csat_mean",
		"Mean CSAT score (1-5).", groupLabels, nil)
	descCSATCount = prometheus.NewDesc("harbordesk_kpi_csat_responses",
		"Contacts with a CSAT score.", groupLabels, nil)
	descCSATSatisfied = prometheus.NewDesc("harbordesk_kpi_csat_satisfied_ratio",
		"Share of CSAT scores of 4 or 5.", groupLabels, nil)
	descABDiff = prometheus.NewDesc("harbordesk_kpi_ab_diff",
		"AI minus human arm, per figure (first_response_p50_ms, fcr, night_coverage).", []string{"figure"}, nil)
	descABP = prometheus.NewDesc("harbordesk_kpi_ab_p_value",
		"p-value of the AI vs human difference, per figure.", []string{"figure"}, nil)
)

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descUp, descAge, descContacts, descFirstResponse, descFCR,
		descNight, descHandoff, descSLA, descCSATMean, descCSATCount, descCSATSatisfied,
		descABDiff, descABP} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	c.refreshIfStale()
	c.mu.Lock()
	r, at, up := c.report, c.at, c.up
	c.mu.Unlock()
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, b2f(up))
	if r == nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(descAge, prometheus.GaugeValue, c.now().Sub(at).Seconds())
	emitFigures(ch, r.Figures, "", "", "")
	for k, f := range r.ByArm {
		emitFigures(ch, f, k, "", "")
	}
	for k, f := range r.ByLanguage {
		emitFigures(ch, f, "", k, "")
	}
	for k, f := range r.ByChannel {
		emitFigures(ch, f, "", "", k)
	}
	for name, d := range map[string]ABDiff{
		"first_response_p50_ms": r.AB.FirstResponseP50,
		"fcr":                   r.AB.FCR,
		"night_coverage":        r.AB.NightCoverage,
	} {
		if d.Diff == nil || d.PValue == nil {
			continue // an arm without data: no difference to expose
		}
		ch <- prometheus.MustNewConstMetric(descABDiff, prometheus.GaugeValue, *d.Diff, name)
		ch <- prometheus.MustNewConstMetric(descABP, prometheus.GaugeValue, *d.PValue, name)
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func emitFigures(ch chan<- prometheus.Metric, f Figures, labels ...string) {
	gauge := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	gauge(descContacts, float64(f.Contacts))
	gauge(descFCR, f.FCR.Rate)
	gauge(descNight, f.NightCoverage.Rate)
	gauge(descHandoff, f.HandoffRate.Rate)
	gauge(descSLA, float64(f.SLABreaches))
	gauge(descCSATMean, f.CSAT.Mean)
	gauge(descCSATCount, float64(f.CSAT.Count))
	gauge(descCSATSatisfied, f.CSAT.Satisfied)
	for q, ms := range map[string]int64{"0.5": f.FirstResponse.P50MS, "0.9": f.FirstResponse.P90MS} {
		ch <- prometheus.MustNewConstMetric(descFirstResponse, prometheus.GaugeValue,
			float64(ms)/1000, append([]string{q}, labels...)...)
	}
}

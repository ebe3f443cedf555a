package kpi

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Source loads the Report the collector exposes, typically Compute over the
// last 24 hours of KPI events from the store.
type Source func(ctx context.Context) (Report, error)

// Collector exposes a Report as Prometheus gauges on every scrape. Overall
// figures carry empty arm, language and channel labels; each by_* group sets
// its own label. A failing Source sets harbordesk_kpi_up to 0 and exposes
// nothing else, so one bad scrape never fails the whole /metrics page.
type Collector struct {
	source  Source
	timeout time.Duration
}

// NewCollector returns a collector that calls source with timeout per scrape.
func NewCollector(source Source, timeout time.Duration) *Collector {
	return &Collector{source: source, timeout: timeout}
}

var groupLabels = []string{"arm", "language", "channel"}

var (
	descUp = prometheus.NewDesc("harbordesk_kpi_up",
		"1 when the KPI figures could be computed on this scrape.", nil, nil)
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
	for _, d := range []*prometheus.Desc{descUp, descContacts, descFirstResponse, descFCR,
		descNight, descHandoff, descSLA, descCSATMean, descCSATCount, descCSATSatisfied,
		descABDiff, descABP} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	r, err := c.source(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 1)
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
		ch <- prometheus.MustNewConstMetric(descABDiff, prometheus.GaugeValue, d.Diff, name)
		ch <- prometheus.MustNewConstMetric(descABP, prometheus.GaugeValue, d.PValue, name)
	}
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

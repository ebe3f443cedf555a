package kpi

import "time"

// Report is the KPI answer of GET /v1/kpis. The overall figures sit at the top
// level (Figures is embedded), splits and the A/B comparison beside them.
type Report struct {
	Figures
	ByLanguage map[string]Figures `json:"by_language"`
	ByChannel  map[string]Figures `json:"by_channel"`
	ByArm      map[string]Figures `json:"by_arm"`
	// Splits not asked for are nil (JSON null); asked for, they are non-nil
	// even without data, and by_arm always has "ai" and "human".
	//
	// Trend holds one point per hour or day bucket of the received time,
	// oldest first, when "hour" or "day" is asked for.
	Trend    []TrendPoint `json:"trend"`
	AB       ABReport     `json:"ab"`
	Baseline Baseline     `json:"baseline"`
}

// Figures is the set of KPI figures of one group of contacts.
type Figures struct {
	Contacts      int     `json:"contacts"`
	FirstResponse Latency `json:"first_response"`
	FCR           FCR     `json:"fcr"`
	NightCoverage Rate    `json:"night_coverage"`
	HandoffRate   Rate    `json:"handoff_rate"`
	SLABreaches   int     `json:"sla_breaches"`
	CSAT          CSAT    `json:"csat"`
	Counts        Counts  `json:"counts"`
}

// Latency is a first-response distribution in milliseconds.
type Latency struct {
	P50MS int64 `json:"p50_ms"`
	P90MS int64 `json:"p90_ms"`
	// Answered is the number of contacts with a first response.
	Answered int `json:"answered"`
}

// Rate is Hits/Total, 0 when Total is 0.
type Rate struct {
	Rate  float64 `json:"rate"`
	Hits  int     `json:"hits"`
	Total int     `json:"total"`
}

// FCR is first-contact resolution: Hits of the Total resolved contacts were
// never reopened. Open contacts are not resolved yet and not countable; they
// are said, so a rate over a few resolved contacts is read as such.
type FCR struct {
	Rate  float64 `json:"rate"`
	Hits  int     `json:"hits"`
	Total int     `json:"total"`
	Open  int     `json:"open"`
}

// CSAT summarises satisfaction scores (1–5).
type CSAT struct {
	Mean float64 `json:"mean"`
	// Count is the number of scored contacts.
	Count int `json:"count"`
	// Satisfied is the share of scores 4 or 5.
	Satisfied float64 `json:"satisfied"`
}

// Counts are the raw contact counts behind the figures.
type Counts struct {
	Received   int `json:"received"`
	Answered   int `json:"answered"`
	BotFirst   int `json:"bot_first_reply"`
	AfterHours int `json:"after_hours"`
	HandedOff  int `json:"handed_off"`
	Resolved   int `json:"resolved"`
	Reopened   int `json:"reopened"`
	// IgnoredEvents are events of an unknown kind or of a contact without a
	// received event. Only set on the overall figures.
	IgnoredEvents int `json:"ignored_events"`
}

// TrendPoint is the figures of the contacts received in [Start, Start+bucket).
type TrendPoint struct {
	Start time.Time `json:"start"`
	Figures
}

// ABReport compares the AI arm with the human arm: Diff is AI − human.
type ABReport struct {
	FirstResponseP50 ABDiff `json:"first_response_p50_ms"`
	FCR              ABDiff `json:"fcr"`
	NightCoverage    ABDiff `json:"night_coverage"`
}

// ABDiff is one A/B comparison with a significance figure. When either arm
// has no data for the figure (NAI or NHuman is 0), Diff and PValue are null
// and Significant is false: there is nothing to compare.
type ABDiff struct {
	AI     float64  `json:"ai"`
	Human  float64  `json:"human"`
	Diff   *float64 `json:"diff"`
	NAI    int      `json:"n_ai"`
	NHuman int      `json:"n_human"`
	// Test names the test behind PValue: "two_proportion_z" or
	// "mann_whitney_u" (normal approximation, tie and continuity corrected).
	Test   string   `json:"test"`
	PValue *float64 `json:"p_value"`
	// Significant is PValue < Alpha.
	Significant bool `json:"significant"`
}

// Alpha is the significance level of ABDiff.Significant.
const Alpha = 0.05

// Baseline holds the business-case numbers the desk is measured against.
type Baseline struct {
	FirstResponseMS BaselineFigure `json:"first_response_ms"`
	FCR             BaselineFigure `json:"fcr"`
	NightCoverage   BaselineFigure `json:"night_coverage"`
}

// BaselineFigure is the figure before Harbordesk and the promised target.
type BaselineFigure struct {
	Before float64 `json:"before"`
	Target float64 `json:"target"`
}

// BusinessCase is the baseline of the business case: first response 12 min →
// 28 s, FCR 61% → 76%, night coverage 28% → 89%.
var BusinessCase = Baseline{
	FirstResponseMS: BaselineFigure{Before: 12 * 60 * 1000, Target: 28 * 1000},
	FCR:             BaselineFigure{Before: 0.61, Target: 0.76},
	NightCoverage:   BaselineFigure{Before: 0.28, Target: 0.89},
}

package kpi

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

// hk is Hong Kong time (UTC+8, no DST), fixed so the test needs no tzdata.
var hk = time.FixedZone("HKT", 8*3600)

// t0 is the start of the seeded day.
var t0 = time.Date(2025, 3, 3, 10, 0, 0, 0, hk)

func at(d time.Duration) time.Time { return t0.Add(d) }

// seed is the seeded event set. Contacts (first response in brackets):
//
//	c1 ai    yue whatsapp  day    bot reply +2s   [2000]   resolved          csat 5
//	c7 ai    yue whatsapp  day    bot reply +1s   [1000]   handoff           csat 7 (invalid)
//	   (c7's language is only on its first_reply event; received at 10:30)
//	c2 ai    en  web       night  bot reply +4s   [4000]   resolved          csat 4
//	c3 ai    zh  web       night  bot reply +40s  [40000]  handoff, human
//	                              reply +5m, resolved, reopened              csat 2
//	c4 human yue whatsapp  day    human +10m      [600000] resolved          csat 4
//	c5 human en  web       night  human +20s      [20000]  resolved, reopened,
//	                              1 SLA breach                               csat 3
//	c6 human yue DingTalk  night  never answered, 2 SLA breaches
//	plus 2 ignored events: a first_reply of contact "x" without received, and
//	a "typing" event of unknown kind.
func seed() []Event {
	ev := func(id, kind string, d time.Duration, arm, lang, ch string, night bool) Event {
		return Event{ContactID: id, Kind: kind, At: at(d), Arm: arm, Language: lang, Channel: ch, AfterHours: night}
	}
	csat := func(id string, d time.Duration, score int) Event {
		return Event{ContactID: id, Kind: KindCSAT, At: at(d), Score: score}
	}
	bot := func(e Event) Event { e.Bot = true; return e }
	h := time.Hour
	s := time.Second
	m := time.Minute
	return []Event{
		ev("c1", KindReceived, 0, "ai", "yue", "whatsapp", false),
		bot(ev("c1", KindFirstReply, 2*s, "", "", "", false)),
		ev("c1", KindResolved, 60*s, "", "", "", false),
		csat("c1", 2*m, 5),

		ev("c7", KindReceived, 30*m, "AI", "", "whatsapp", false),
		bot(ev("c7", KindFirstReply, 30*m+1*s, "", "yue", "", false)),
		ev("c7", KindHandoff, 31*m, "", "", "", false),
		csat("c7", 40*m, 7),

		ev("c2", KindReceived, h, "ai", "en", "web", true),
		// A second message's received event later does not move the clock.
		ev("c2", KindReceived, h+10*s, "ai", "en", "web", true),
		bot(ev("c2", KindFirstReply, h+4*s, "", "", "", false)),
		ev("c2", KindResolved, h+m, "", "", "", false),
		csat("c2", h+2*m, 4),

		// c3's events arrive out of order on purpose.
		ev("c3", KindResolved, h+10*m, "", "", "", false),
		ev("c3", KindFirstHumanReply, h+5*m, "", "", "", false),
		bot(ev("c3", KindFirstReply, h+40*s, "", "", "", false)),
		ev("c3", KindReceived, h, "ai", "zh", "web", true),
		ev("c3", KindHandoff, h+50*s, "", "", "", false),
		ev("c3", KindReopened, 2*h, "", "", "", false),
		csat("c3", h+11*m, 2),

		ev("c4", KindReceived, 2*h, "human", "yue", "whatsapp", false),
		ev("c4", KindFirstHumanReply, 2*h+10*m, "", "", "", false),
		ev("c4", KindResolved, 2*h+20*m, "", "", "", false),
		csat("c4", 2*h+21*m, 4),

		ev("c5", KindReceived, 2*h, "human", "en", "web", true),
		ev("c5", KindFirstHumanReply, 2*h+20*s, "", "", "", false),
		ev("c5", KindSLABreach, 2*h+30*m, "", "", "", false),
		ev("c5", KindResolved, 2*h+40*m, "", "", "", false),
		ev("c5", KindReopened, 2*h+50*m, "", "", "", false),
		csat("c5", 2*h+41*m, 3),

		ev("c6", KindReceived, 2*h+5*m, "human", "yue", "DingTalk", true),
		ev("c6", KindSLABreach, 2*h+15*m, "", "", "", false),
		ev("c6", KindSLABreach, 2*h+35*m, "", "", "", false),

		ev("x", KindFirstReply, 3*h, "ai", "en", "web", false),
		ev("c1", "typing", 1*s, "", "", "", false),
	}
}

func TestComputeOverall(t *testing.T) {
	r := Compute(seed(), nil)
	// Hand computation over c1..c7:
	//   first responses sorted: 1000 2000 4000 20000 40000 600000 (c6 none)
	//   p50 = ceil(0.5*6)=3rd = 4000; p90 = ceil(0.9*6)=6th = 600000
	//   after hours c2 c3 c5 c6 = 4; within 30 s: c2 (4 s), c5 (20 s) → 2/4
	//   resolved c1 c2 c3 c4 c5 = 5; reopened c3 c5 → FCR 3/5 = 0.6
	//   handoffs c3 c7 → 2/7; SLA breaches 1 + 2 = 3
	//   CSAT (c7's 7 is invalid): 5 4 2 4 3 → mean 18/5 = 3.6, 4–5: 3/5
	want := Figures{
		Contacts:      7,
		FirstResponse: Latency{P50MS: 4000, P90MS: 600000, Answered: 6},
		FCR:           FCR{Rate: 0.6, Hits: 3, Total: 5, Open: 2},
		NightCoverage: Rate{Rate: 0.5, Hits: 2, Total: 4},
		HandoffRate:   Rate{Rate: 2.0 / 7, Hits: 2, Total: 7},
		SLABreaches:   3,
		CSAT:          CSAT{Mean: 3.6, Count: 5, Satisfied: 0.6},
		Counts: Counts{Received: 7, Answered: 6, BotFirst: 4, AfterHours: 4,
			HandedOff: 2, Resolved: 5, Reopened: 2, IgnoredEvents: 2},
	}
	assertFigures(t, "overall", r.Figures, want)
	if r.Baseline != BusinessCase {
		t.Errorf("baseline = %+v", r.Baseline)
	}
	if r.Trend != nil {
		t.Errorf("trend without hour/day = %v, want nil", r.Trend)
	}
}

func TestComputeSplits(t *testing.T) {
	r := Compute(seed(), []string{ByLanguage, ByChannel, ByArm})
	tests := []struct {
		name  string
		split map[string]Figures
		key   string
		want  Figures
	}{
		// ai: c1 c2 c3 c7. Latencies 1000 2000 4000 40000 → p50 2nd = 2000,
		// p90 ceil(3.6)=4th = 40000. Night c2 c3 → c2 covered 1/2. Resolved
		// c1 c2 c3, c3 reopened → 2/3. Handoffs c3 c7 → 2/4. CSAT 5 4 2 →
		// mean 11/3, satisfied 2/3.
		{"arm ai", r.ByArm, "ai", Figures{
			Contacts: 4, FirstResponse: Latency{2000, 40000, 4},
			FCR: FCR{2.0 / 3, 2, 3, 1}, NightCoverage: Rate{0.5, 1, 2}, HandoffRate: Rate{0.5, 2, 4},
			CSAT:   CSAT{11.0 / 3, 3, 2.0 / 3},
			Counts: Counts{Received: 4, Answered: 4, BotFirst: 4, AfterHours: 2, HandedOff: 2, Resolved: 3, Reopened: 1},
		}},
		// human: c4 c5 c6. Latencies 20000 600000 → p50 1st = 20000, p90
		// ceil(1.8)=2nd = 600000. Night c5 c6 → 1/2. Resolved c4 c5, c5
		// reopened → 1/2. SLA 3. CSAT 4 3 → 3.5, satisfied 1/2.
		{"arm human", r.ByArm, "human", Figures{
			Contacts: 3, FirstResponse: Latency{20000, 600000, 2},
			FCR: FCR{0.5, 1, 2, 1}, NightCoverage: Rate{0.5, 1, 2}, HandoffRate: Rate{0, 0, 3},
			SLABreaches: 3, CSAT: CSAT{3.5, 2, 0.5},
			Counts: Counts{Received: 3, Answered: 2, AfterHours: 2, Resolved: 2, Reopened: 1},
		}},
		// yue: c1 c4 c6 c7. Latencies 1000 2000 600000 → p50 2nd = 2000, p90
		// 3rd. Night c6 unanswered → 0/1. Resolved c1 c4 → 2/2. Handoff c7.
		{"language yue", r.ByLanguage, "yue", Figures{
			Contacts: 4, FirstResponse: Latency{2000, 600000, 3},
			FCR: FCR{1, 2, 2, 2}, NightCoverage: Rate{0, 0, 1}, HandoffRate: Rate{0.25, 1, 4},
			SLABreaches: 2, CSAT: CSAT{4.5, 2, 1},
			Counts: Counts{Received: 4, Answered: 3, BotFirst: 2, AfterHours: 1, HandedOff: 1, Resolved: 2},
		}},
		// zh: c3 alone. 40 s at night → not covered; resolved then reopened.
		{"language zh", r.ByLanguage, "zh", Figures{
			Contacts: 1, FirstResponse: Latency{40000, 40000, 1},
			FCR: FCR{0, 0, 1, 0}, NightCoverage: Rate{0, 0, 1}, HandoffRate: Rate{1, 1, 1},
			CSAT:   CSAT{2, 1, 0},
			Counts: Counts{Received: 1, Answered: 1, BotFirst: 1, AfterHours: 1, HandedOff: 1, Resolved: 1, Reopened: 1},
		}},
		// web: c2 c3 c5. Latencies 4000 20000 40000 → p50 2nd, p90 3rd. Night
		// all three; c2 c5 within 30 s → 2/3. Resolved 3, reopened c3 c5 → 1/3.
		{"channel web", r.ByChannel, "web", Figures{
			Contacts: 3, FirstResponse: Latency{20000, 40000, 3},
			FCR: FCR{1.0 / 3, 1, 3, 0}, NightCoverage: Rate{2.0 / 3, 2, 3}, HandoffRate: Rate{1.0 / 3, 1, 3},
			SLABreaches: 1, CSAT: CSAT{3, 3, 1.0 / 3},
			Counts: Counts{Received: 3, Answered: 3, BotFirst: 2, AfterHours: 3, HandedOff: 1, Resolved: 3, Reopened: 2},
		}},
		// dingtalk (lower-cased from "DingTalk"): c6 only, never answered.
		{"channel dingtalk", r.ByChannel, "dingtalk", Figures{
			Contacts: 1, FCR: FCR{Open: 1}, NightCoverage: Rate{0, 0, 1}, HandoffRate: Rate{0, 0, 1}, SLABreaches: 2,
			Counts: Counts{Received: 1, AfterHours: 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.split[tt.key]
			if !ok {
				t.Fatalf("no group %q in %v", tt.key, keys(tt.split))
			}
			assertFigures(t, tt.name, got, tt.want)
		})
	}
	if n := len(r.ByLanguage); n != 3 {
		t.Errorf("by_language has %d groups %v, want yue en zh", n, keys(r.ByLanguage))
	}
	if n := len(r.ByArm); n != 2 {
		t.Errorf("by_arm has %d groups %v, want ai human", n, keys(r.ByArm))
	}
}

func TestComputeAB(t *testing.T) {
	ab := Compute(seed(), nil).AB
	// First response: ai p50 2000, human p50 20000 → diff −18000.
	// Mann–Whitney: ai {1000 2000 4000 40000}, human {20000 600000}. Ranks of
	// the pooled sample 1..6; ai holds 1 2 3 5 → R = 11, U = 11 − 4·5/2 = 1,
	// μ = 4·2/2 = 4, σ² = 4·2/12·7 = 14/3, z = (|1−4| − 0.5)/√(14/3) =
	// 1.157275, p = erfc(z/√2) = 0.247160.
	// FCR: ai 2/3, human 1/2, pooled 3/5, se = √(0.6·0.4·(1/3+1/2)) = √0.2,
	// z = (1/6)/√0.2 = 0.372678, p = 0.709388.
	// Night coverage: 1/2 vs 1/2 → z = 0, p = 1.
	tests := []struct {
		name string
		got  ABDiff
		want ABDiff
	}{
		{"first response", ab.FirstResponseP50, ABDiff{AI: 2000, Human: 20000, Diff: fp(-18000), NAI: 4, NHuman: 2, Test: "mann_whitney_u", PValue: fp(0.247160)}},
		{"fcr", ab.FCR, ABDiff{AI: 2.0 / 3, Human: 0.5, Diff: fp(1.0 / 6), NAI: 3, NHuman: 2, Test: "two_proportion_z", PValue: fp(0.709388)}},
		{"night coverage", ab.NightCoverage, ABDiff{AI: 0.5, Human: 0.5, Diff: fp(0), NAI: 2, NHuman: 2, Test: "two_proportion_z", PValue: fp(1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, w := tt.got, tt.want
			if !near(g.AI, w.AI) || !near(g.Human, w.Human) || g.Diff == nil || g.PValue == nil || !near(*g.Diff, *w.Diff) ||
				g.NAI != w.NAI || g.NHuman != w.NHuman || g.Test != w.Test ||
				math.Abs(*g.PValue-*w.PValue) > 1e-6 || g.Significant {
				t.Errorf("got %+v\nwant %+v", g, w)
			}
		})
	}
}

func TestComputeTrend(t *testing.T) {
	tests := []struct {
		by     string
		starts []time.Time
		counts []int
	}{
		// Received 10:00 c1, 10:30 c7 | 11:00 c2 c3 | 12:00 c4 c5, 12:05 c6.
		{ByHour, []time.Time{at(0), at(time.Hour), at(2 * time.Hour)}, []int{2, 2, 3}},
		{ByDay, []time.Time{time.Date(2025, 3, 3, 0, 0, 0, 0, hk)}, []int{7}},
	}
	for _, tt := range tests {
		t.Run(tt.by, func(t *testing.T) {
			r := Compute(seed(), []string{tt.by})
			if len(r.Trend) != len(tt.starts) {
				t.Fatalf("trend has %d points, want %d", len(r.Trend), len(tt.starts))
			}
			for i, p := range r.Trend {
				if !p.Start.Equal(tt.starts[i]) || p.Contacts != tt.counts[i] {
					t.Errorf("point %d = %v/%d, want %v/%d", i, p.Start, p.Contacts, tt.starts[i], tt.counts[i])
				}
			}
			if r.ByArm != nil || r.ByLanguage != nil {
				t.Errorf("splits not asked for are set")
			}
		})
	}
	// The 11:00 bucket holds c2 (4 s) and c3 (40 s): p50 4000, p90 40000.
	p := Compute(seed(), []string{ByHour}).Trend[1]
	if p.FirstResponse != (Latency{4000, 40000, 2}) {
		t.Errorf("11:00 first response = %+v", p.FirstResponse)
	}
}

func TestComputeEmptyEncodesWithoutNaN(t *testing.T) {
	for _, events := range [][]Event{nil, {{ContactID: "x", Kind: KindResolved, At: t0}}} {
		r := Compute(events, []string{ByLanguage, ByChannel, ByArm, ByHour})
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		s := string(b)
		for _, key := range []string{`"first_response":`, `"fcr":`, `"night_coverage":`, `"csat":`, `"by_arm":{"ai":`, `"trend":[]`, `"by_language":{}`, `"p_value":null`, `"diff":null`, `"open":0`} {
			if !strings.Contains(s, key) {
				t.Errorf("empty report lacks %s: %s", key, s)
			}
		}
		if r.Contacts != 0 || r.FCR.Rate != 0 || r.CSAT.Mean != 0 || r.FirstResponse.P90MS != 0 || r.AB.FCR.Significant {
			t.Errorf("empty report not zero: %+v", r.Figures)
		}
	}
}

func TestTwoProportionP(t *testing.T) {
	tests := []struct {
		name           string
		x1, n1, x2, n2 int
		want           float64
	}{
		// Business case 76/100 vs 61/100: pooled 0.685, se = √(0.685·0.315·0.02)
		// = 0.065692, z = 0.15/se = 2.283367, p = 0.022409.
		{"business case", 76, 100, 61, 100, 0.022409},
		{"empty arm", 3, 4, 0, 0, 1},
		{"all hits", 5, 5, 7, 7, 1},
		{"no hits", 0, 5, 0, 7, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := twoProportionP(tt.x1, tt.n1, tt.x2, tt.n2); math.Abs(got-tt.want) > 1e-6 {
				t.Errorf("p = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMannWhitneyP(t *testing.T) {
	tests := []struct {
		name string
		a, b []int64
		want float64
	}{
		// a {1 2 2}, b {2 3}: ranks 1 | 3 3 3 (tied 2s share ranks 2–4) | 5.
		// R_a = 7, U = 1, μ = 3, tie term 3³−3 = 24, σ² = 6/12·(6 − 24/20) =
		// 2.4, z = 1.5/√2.4 = 0.968246, p = 0.332922.
		{"ties", []int64{1, 2, 2}, []int64{2, 3}, 0.332922},
		{"empty", nil, []int64{1}, 1},
		{"all tied", []int64{5, 5}, []int64{5}, 1},
		// Symmetric: swapping samples gives the same two-sided p.
		{"swapped", []int64{2, 3}, []int64{1, 2, 2}, 0.332922},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mannWhitneyP(tt.a, tt.b); math.Abs(got-tt.want) > 1e-6 {
				t.Errorf("p = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNearestRank(t *testing.T) {
	tests := []struct {
		xs   []int64
		p    float64
		want int64
	}{
		{nil, 0.5, 0},
		{[]int64{7}, 0.9, 7},
		{[]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.5, 5},
		{[]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9, 9},
		{[]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 0.9, 10},
	}
	for _, tt := range tests {
		if got := nearestRank(tt.xs, tt.p); got != tt.want {
			t.Errorf("nearestRank(%v, %v) = %d, want %d", tt.xs, tt.p, got, tt.want)
		}
	}
}

func TestParseBy(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr error
	}{
		{"", "language,channel,arm", nil},
		{" Arm, language ,arm,", "arm,language", nil},
		{"hour", "hour", nil},
		{"arm,week", "", ErrUnknownSplit},
		{"hour,day", "", ErrTwoBuckets},
	}
	for _, tt := range tests {
		got, err := ParseBy(tt.in)
		if err != tt.wantErr || strings.Join(got, ",") != tt.want {
			t.Errorf("ParseBy(%q) = %v, %v; want %s, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func fp(v float64) *float64 { return &v }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func assertFigures(t *testing.T, name string, got, want Figures) {
	t.Helper()
	ok := got.Contacts == want.Contacts && got.FirstResponse == want.FirstResponse &&
		got.FCR.Open == want.FCR.Open && rateEq(Rate{got.FCR.Rate, got.FCR.Hits, got.FCR.Total}, Rate{want.FCR.Rate, want.FCR.Hits, want.FCR.Total}) && rateEq(got.NightCoverage, want.NightCoverage) &&
		rateEq(got.HandoffRate, want.HandoffRate) && got.SLABreaches == want.SLABreaches &&
		near(got.CSAT.Mean, want.CSAT.Mean) && got.CSAT.Count == want.CSAT.Count &&
		near(got.CSAT.Satisfied, want.CSAT.Satisfied) && got.Counts == want.Counts
	if !ok {
		t.Errorf("%s figures\n got %+v\nwant %+v", name, got, want)
	}
}

func rateEq(a, b Rate) bool { return near(a.Rate, b.Rate) && a.Hits == b.Hits && a.Total == b.Total }

func keys(m map[string]Figures) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

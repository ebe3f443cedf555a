//go:build measure

package e2e

// Measurements for issue 7, run against the real binary:
//
//	go test -tags measure -run TestMeasure -v ./e2e
//
// Timer accuracy: 10 P1 complaints with HARBORDESK_SLA=P1=3s; every
// escalation level's notified_at (push done) against its deadline.
// Claim latency: 50 agents claim 50 handoffs at once, then 50 agents race
// for one handoff (exactly one 200, 49 409s).

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

func pct(d []time.Duration, p float64) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(float64(len(s)-1) * p)
	return s[i]
}

func TestMeasure(t *testing.T) {
	keys := []string{adminKey + ":admin:e2e-admin"}
	for i := 0; i < 50; i++ {
		keys = append(keys, fmt.Sprintf("agent-%02d:agent:agent-%02d", i, i))
	}
	in := start(t, "HARBORDESK_SLA=P1=3s", "HARBORDESK_API_KEYS="+strings.Join(keys, ","))

	// --- timer accuracy ---
	for i := 0; i < 10; i++ {
		in.post("web", fmt.Sprintf("mc%d", i), fmt.Sprintf("measure-c%d", i), "m1", "我要投訴你哋個店員！")
	}
	type esc struct {
		Level      int        `json:"level"`
		Deadline   time.Time  `json:"deadline"`
		NotifiedAt *time.Time `json:"notified_at"`
	}
	var items []esc
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var body struct{ Items []esc }
		in.call("GET", "/v1/escalations", adminKey, nil, &body)
		n := 0
		for _, e := range body.Items {
			if e.NotifiedAt != nil {
				n++
			}
		}
		items = body.Items
		if n >= 30 {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	var lags []time.Duration
	for _, e := range items {
		if e.NotifiedAt != nil {
			lags = append(lags, e.NotifiedAt.Sub(e.Deadline))
		}
	}
	if len(lags) != 30 {
		t.Fatalf("%d escalations notified, want 30 (10 complaints × 3 levels): %+v", len(lags), items)
	}
	for _, l := range lags {
		if l < 0 {
			t.Errorf("an escalation was notified %v before its deadline", -l)
		}
	}
	t.Logf("timer accuracy (notified_at - deadline) over %d levels: min %v p50 %v p99 %v max %v",
		len(lags), pct(lags, 0), pct(lags, 0.5), pct(lags, 0.99), pct(lags, 1))

	// --- claim latency ---
	ids := make([]string, 51)
	for i := range ids {
		a := in.post("web", fmt.Sprintf("mh%d", i), fmt.Sprintf("measure-h%d", i), "m1", "同我轉真人客服啦")
		v := in.waitContact(a.ContactID, 30*time.Second, func(c contactView) bool { return c.Handoff != nil })
		ids[i] = v.Handoff.ID
	}
	claim := func(id, key string) (int, time.Duration) {
		req, _ := http.NewRequest("POST", in.URL+"/v1/handoffs/"+id+"/claim", nil)
		req.Header.Set("Authorization", "Bearer "+key)
		t0 := time.Now()
		resp, err := in.httpC.Do(req)
		d := time.Since(t0)
		if err != nil {
			return 0, d
		}
		resp.Body.Close()
		return resp.StatusCode, d
	}
	run := func(target func(i int) string) ([]int, []time.Duration) {
		codes, lat := make([]int, 50), make([]time.Duration, 50)
		var wg sync.WaitGroup
		startGate := make(chan struct{})
		for i := 0; i < 50; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-startGate
				codes[i], lat[i] = claim(target(i), fmt.Sprintf("agent-%02d", i))
			}(i)
		}
		close(startGate)
		wg.Wait()
		return codes, lat
	}
	codes, lat := run(func(i int) string { return ids[i] })
	for i, c := range codes {
		if c != 200 {
			t.Errorf("distinct claim %d = %d, want 200", i, c)
		}
	}
	t.Logf("claim latency, 50 agents on 50 handoffs: p50 %v p99 %v max %v", pct(lat, 0.5), pct(lat, 0.99), pct(lat, 1))
	codes, lat = run(func(int) string { return ids[50] })
	won, lost := 0, 0
	for _, c := range codes {
		switch c {
		case 200:
			won++
		case 409:
			lost++
		}
	}
	if won != 1 || lost != 49 {
		t.Errorf("50 racing claims on one handoff: %d × 200, %d × 409, want 1 and 49 (codes %v)", won, lost, codes)
	}
	t.Logf("claim latency, 50 agents racing on 1 handoff: p50 %v p99 %v max %v (%d×200, %d×409)",
		pct(lat, 0.5), pct(lat, 0.99), pct(lat, 1), won, lost)
}

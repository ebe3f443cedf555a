package kpi

import (
	"fmt"
	"testing"
	"time"
)

// benchEvents is a simulated day of n contacts with 5 events each.
func benchEvents(n int) []Event {
	arms := []string{ArmAI, ArmHuman}
	langs := []string{"yue", "zh", "en"}
	chans := []string{"whatsapp", "web", "dingtalk"}
	out := make([]Event, 0, 5*n)
	for i := range n {
		id := fmt.Sprintf("c%d", i)
		start := t0.Add(time.Duration(i) * 86400 * time.Second / time.Duration(n))
		base := Event{ContactID: id, Arm: arms[i%2], Language: langs[i%3], Channel: chans[i%3 /*same spread*/], AfterHours: i%4 == 0}
		for j, k := range []string{KindReceived, KindFirstReply, KindHandoff, KindResolved, KindCSAT} {
			e := base
			e.Kind = k
			e.At = start.Add(time.Duration(j*(i%37+1)) * time.Second)
			e.Score = i%5 + 1
			if k == KindHandoff && i%3 != 0 {
				e.Kind = KindSLABreach
			}
			out = append(out, e)
		}
	}
	return out
}

func BenchmarkCompute(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		events := benchEvents(n)
		b.Run(fmt.Sprintf("contacts=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Compute(events, []string{ByLanguage, ByChannel, ByArm, ByHour})
			}
		})
	}
}

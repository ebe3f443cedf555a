package bench

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/apiclient"
)

// BenchmarkSummarize is the cost of one progress line late in a long run.
func BenchmarkSummarize100k(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	lat := make([]time.Duration, 100_000)
	for i := range lat {
		lat[i] = time.Duration(r.IntN(1000)) * time.Millisecond
	}
	b.ReportAllocs()
	for b.Loop() {
		summarize(lat)
	}
}

// BenchmarkContactRoundTrip is the generator's own cost per contact (POST,
// one poll, JSON both ways) against an instant local fake: the ceiling on
// what bench can drive from one core, far above what it measures.
func BenchmarkContactRoundTrip(b *testing.B) {
	_, url := newFake(b, &fakeDesk{})
	o, err := opts(url).withDefaults()
	if err != nil {
		b.Fatal(err)
	}
	hc := httpClient(o)
	defer hc.CloseIdleConnections()
	j := &contactJob{c: apiclient.New(o.URL, o.Key, hc), o: o, run: "bench-roundtrip"}
	ctx := context.Background()
	b.ReportAllocs()
	var n int64
	for b.Loop() {
		n++
		if _, err := j.do(ctx, n); err != nil {
			b.Fatal(err)
		}
	}
}

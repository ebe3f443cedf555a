package pii

import "testing"

// benchMessages is a realistic mix: most chat messages carry no personal
// data; some carry one or two values.
var benchMessages = []string{
	"你好，想問下我張單幾時到？",
	"訂單號碼 HK20461 點解仲未出貨？order 88123, $1299",
	"HKID R135790(4), call me on 9876 5432 after 7pm",
	"請寄去香港灣仔軒尼詩道123號5樓A室，電話 2345-6789",
	"refund to card 5555 5555 5555 4444 please, email wong.siuming@example.org",
	"Hi, my parcel SF1234567890123 has not arrived since 2026-11-25",
	"Flat B, 12/F, 8 Nathan Road, Tsim Sha Tsui",
	"thank you so much!",
	"我想退貨，件衫太細",
	"身份证 XY314159(7)，手机 +852 6789 0123",
}

func BenchmarkMask(b *testing.B) {
	n := 0
	for b.Loop() {
		Mask(benchMessages[n%len(benchMessages)])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "msgs/s")
}

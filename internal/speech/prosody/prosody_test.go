package prosody

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

const rate = 16000

// voice synthesises a harmonic "voice" with a given F0 contour and an
// amplitude envelope, both functions of time in seconds.
func voice(dur float64, f0 func(t float64) float64, amp func(t float64) float64) []float32 {
	n := int(dur * rate)
	out := make([]float32, n)
	phase := 0.0
	for i := range out {
		t := float64(i) / rate
		phase += 2 * math.Pi * f0(t) / rate
		s := math.Sin(phase) + 0.5*math.Sin(2*phase) + 0.25*math.Sin(3*phase)
		out[i] = float32(amp(t) * s / 1.75)
	}
	return out
}

func constant(v float64) func(float64) float64 { return func(float64) float64 { return v } }

// syllables is an amplitude envelope of raised-cosine bursts at perSec.
func syllables(peak, perSec float64) func(float64) float64 {
	return func(t float64) float64 {
		ph := math.Mod(t*perSec, 1)
		if ph > 0.7 {
			return peak * 0.02
		}
		return peak * (0.02 + 0.98*math.Sin(math.Pi*ph/0.7))
	}
}

func TestAnalyzeFlatQuietToneIsCalm(t *testing.T) {
	p := Analyze(voice(3, constant(180), constant(0.02)), rate)
	if p.Arousal > 0.2 {
		t.Errorf("arousal = %.3f, want < 0.2 (%+v)", p.Arousal, p)
	}
	if math.Abs(p.PitchMean-180) > 3 {
		t.Errorf("pitch mean = %.1f Hz, want 180", p.PitchMean)
	}
	if p.PitchSpread > 0.2 || p.SpeakingRate > 0.5 {
		t.Errorf("spread %.2f st, rate %.2f/s, want ~0", p.PitchSpread, p.SpeakingRate)
	}
	if p.Duration != 3*time.Second || p.VoicedRatio < 0.9 {
		t.Errorf("duration %s voiced %.2f", p.Duration, p.VoicedRatio)
	}
}

func TestAnalyzeLoudFastVaryingIsAroused(t *testing.T) {
	f0 := func(t float64) float64 { return 250 + 100*math.Sin(2*math.Pi*1.3*t) }
	p := Analyze(voice(4, f0, syllables(0.8, 6)), rate)
	if p.Arousal < 0.7 {
		t.Errorf("arousal = %.3f, want > 0.7 (%+v)", p.Arousal, p)
	}
	if p.SpeakingRate < 5 || p.SpeakingRate > 10 {
		t.Errorf("speaking rate = %.2f/s, want ~6/s of speech", p.SpeakingRate)
	}
	if p.PitchSpread < 3 {
		t.Errorf("pitch spread = %.2f st, want > 3", p.PitchSpread)
	}
}

func TestAnalyzeOrdersCalmBelowAgitated(t *testing.T) {
	calm := Analyze(voice(4, func(t float64) float64 { return 140 + 10*math.Sin(2*math.Pi*0.5*t) }, syllables(0.1, 3)), rate)
	angry := Analyze(voice(4, func(t float64) float64 { return 220 + 80*math.Sin(2*math.Pi*1.1*t) }, syllables(0.7, 6)), rate)
	if !(calm.Arousal < 0.45 && angry.Arousal > calm.Arousal+0.3) {
		t.Errorf("calm %.3f angry %.3f", calm.Arousal, angry.Arousal)
	}
}

func TestPitchTracksKnownF0(t *testing.T) {
	for _, f := range []float64{90, 120, 200, 310, 450} {
		p := Analyze(voice(1, constant(f), constant(0.3)), rate)
		if math.Abs(p.PitchMean-f)/f > 0.02 {
			t.Errorf("F0 %.0f Hz measured as %.1f", f, p.PitchMean)
		}
	}
	// Other sample rates work too.
	x := make([]float32, 8000)
	for i := range x {
		x[i] = float32(0.3 * math.Sin(2*math.Pi*150*float64(i)/8000))
	}
	if p := Analyze(x, 8000); math.Abs(p.PitchMean-150) > 3 {
		t.Errorf("8 kHz F0 = %.1f, want 150", p.PitchMean)
	}
}

func TestNoiseIsUnvoiced(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, rate)
	for i := range x {
		x[i] = float32(r.NormFloat64() * 0.1)
	}
	if p := Analyze(x, rate); p.VoicedRatio > 0.1 {
		t.Errorf("white noise voiced ratio = %.2f", p.VoicedRatio)
	}
}

func TestAnalyzeDegenerateInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		pcm  []float32
		rate int
	}{
		{"nil", nil, rate},
		{"zero rate", make([]float32, 100), 0},
		{"silence", make([]float32, rate), rate},
		{"shorter than a frame", []float32{0.5, -0.5, 0.5}, rate},
		{"one sample", []float32{1}, rate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Analyze(tc.pcm, tc.rate)
			if p.Arousal < 0 || p.Arousal > 1 || math.IsNaN(p.Arousal) || math.IsNaN(p.PitchMean) {
				t.Fatalf("prosody = %+v", p)
			}
		})
	}
	if p := Analyze(make([]float32, rate), rate); p.Arousal != 0 || p.EnergyMean != 0 {
		t.Errorf("silence = %+v, want zero", p)
	}
}

func TestWeightsSumToOne(t *testing.T) {
	if s := WeightLoudness + WeightPitchSpread + WeightRate + WeightEnergyVar; math.Abs(s-1) > 1e-9 {
		t.Errorf("weights sum to %v", s)
	}
}

func BenchmarkAnalyzeMinute(b *testing.B) {
	x := voice(60, func(t float64) float64 { return 200 + 50*math.Sin(t) }, syllables(0.5, 4))
	b.ReportAllocs()
	for b.Loop() {
		Analyze(x, rate)
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/60, "RTF")
}

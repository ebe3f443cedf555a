package audio

import "math"

// The resampler is hand-rolled because the served Go modules offer none in
// pure Go (the good ones wrap libsoxr through cgo). Speech only needs a
// clean band-limited conversion to 16 kHz, which a windowed-sinc
// interpolator does well: a Blackman-windowed sinc with 8 zero crossings
// per side and its cutoff at the lower Nyquist, so downsampling from 44.1 or
// 48 kHz does not alias sibilants into the speech band.

const (
	sincZeros  = 8   // zero crossings per side of the kernel
	sincTableN = 512 // table points per zero crossing
	speechRate = 16000
)

// sincTable holds the windowed sinc over [0, sincZeros] at sincTableN points
// per unit, read with linear interpolation.
var sincTable = func() []float64 {
	t := make([]float64, sincZeros*sincTableN+2)
	for i := range t {
		x := float64(i) / sincTableN
		if x > sincZeros {
			break
		}
		s := 1.0
		if x != 0 {
			s = math.Sin(math.Pi*x) / (math.Pi * x)
		}
		w := 0.42 + 0.5*math.Cos(math.Pi*x/sincZeros) + 0.08*math.Cos(2*math.Pi*x/sincZeros)
		t[i] = s * w
	}
	return t
}()

func kernel(x float64) float64 {
	x = math.Abs(x)
	if x >= sincZeros {
		return 0
	}
	p := x * sincTableN
	i := int(p)
	f := p - float64(i)
	return sincTable[i]*(1-f) + sincTable[i+1]*f
}

// Resample converts mono samples from rate `from` to rate `to`.
// Equal rates return the input unchanged.
func Resample(in []float32, from, to int) []float32 {
	if from == to || len(in) == 0 {
		return in
	}
	ratio := float64(from) / float64(to) // input samples per output sample
	cutoff := 1.0                        // in units of the input Nyquist
	if ratio > 1 {
		cutoff = 1 / ratio
	}
	n := int(math.Floor(float64(len(in)) / ratio))
	out := make([]float32, n)
	half := float64(sincZeros) / cutoff // kernel half-width in input samples
	for j := range out {
		t := float64(j) * ratio
		lo := max(int(math.Ceil(t-half)), 0)
		hi := min(int(math.Floor(t+half)), len(in)-1)
		var acc float64
		for k := lo; k <= hi; k++ {
			acc += float64(in[k]) * kernel((t-float64(k))*cutoff)
		}
		out[j] = clampUnit(float32(acc * cutoff))
	}
	return out
}

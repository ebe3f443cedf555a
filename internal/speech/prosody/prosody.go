package prosody

import (
	"math"
	"time"
)

// Hand-rolled DSP: the served Go modules have no pitch tracker or syllable
// detector, and the three measures needed here are short, well-known
// textbook methods (frame RMS, normalised autocorrelation F0, energy-peak
// syllable nuclei).

// Prosody is what the voice sounded like.
type Prosody struct {
	Duration time.Duration
	// Frame RMS (full scale = 1) over speech frames: mean and variance.
	EnergyMean, EnergyVariance float64
	LoudnessDB                 float64 // mean speech-frame RMS in dBFS
	// F0 over voiced frames, in Hz and Hz².
	PitchMean, PitchVariance float64
	PitchSpread              float64 // F0 standard deviation in semitones
	VoicedRatio              float64 // voiced frames / speech frames
	SpeakingRate             float64 // syllable nuclei per second of speech
	// Arousal in [0, 1]: weighted sum of the normalised features below.
	Arousal float64
}

// Arousal weights and the ranges each feature is normalised over (the low
// end maps to 0, the high end to 1, clamped). Ranges are from the usual
// values in emotional-speech studies: calm conversational speech sits near
// -30 dBFS, 1-2 semitones of F0 spread and ~3-4 syllables/s; angry or
// agitated speech is louder, wider in pitch and faster.
const (
	WeightLoudness    = 0.35 // mean loudness, -40 → -10 dBFS
	WeightPitchSpread = 0.30 // F0 spread, 0.5 → 5 semitones
	WeightRate        = 0.20 // speaking rate, 2 → 6.5 syllables/s
	WeightEnergyVar   = 0.15 // RMS coefficient of variation, 0.2 → 1.0
)

const (
	frameDur    = 0.032 // analysis window, s
	hopDur      = 0.010 // energy hop, s
	pitchHop    = 2     // pitch every 2nd energy frame (20 ms)
	minF0       = 75.0
	maxF0       = 500.0
	voicedCorr  = 0.5  // normalised autocorrelation needed to call a frame voiced
	silenceDB   = -50  // frames quieter than this are not speech
	relSpeechDB = -30  // nor frames 30 dB under the loudest
	nucleusDip  = 3.0  // dB a nucleus must rise above the valleys beside it
	minNucleus  = 0.08 // s between syllable nuclei
)

// Analyze measures pcm (mono, [-1, 1]) sampled at rate. Empty or silent
// input gives a zero Prosody (Arousal 0).
func Analyze(pcm []float32, rate int) Prosody {
	var p Prosody
	if rate <= 0 || len(pcm) == 0 {
		return p
	}
	p.Duration = time.Duration(len(pcm)) * time.Second / time.Duration(rate)
	frame := int(frameDur * float64(rate))
	hop := max(int(hopDur*float64(rate)), 1)
	if len(pcm) < frame {
		frame = len(pcm)
	}
	nFrames := (len(pcm)-frame)/hop + 1
	rms := make([]float64, nFrames)
	db := make([]float64, nFrames)
	peakDB := math.Inf(-1)
	for i := range rms {
		var sum float64
		for _, s := range pcm[i*hop : i*hop+frame] {
			sum += float64(s) * float64(s)
		}
		rms[i] = math.Sqrt(sum / float64(frame))
		db[i] = 20 * math.Log10(rms[i]+1e-10)
		peakDB = max(peakDB, db[i])
	}
	gate := max(float64(silenceDB), peakDB+relSpeechDB)
	speech := make([]bool, nFrames)
	var nSpeech int
	var sum, sumDB float64
	for i, r := range rms {
		if db[i] >= gate {
			speech[i] = true
			nSpeech++
			sum += r
			sumDB += db[i]
		}
	}
	if nSpeech == 0 {
		return p
	}
	p.EnergyMean = sum / float64(nSpeech)
	p.LoudnessDB = sumDB / float64(nSpeech)
	for i, r := range rms {
		if speech[i] {
			p.EnergyVariance += (r - p.EnergyMean) * (r - p.EnergyMean)
		}
	}
	p.EnergyVariance /= float64(nSpeech)

	var f0s []float64
	var nPitched int
	for i := 0; i < nFrames; i += pitchHop {
		if !speech[i] {
			continue
		}
		nPitched++
		if f0, ok := pitch(pcm[i*hop:i*hop+frame], rate); ok {
			f0s = append(f0s, f0)
		}
	}
	p.VoicedRatio = float64(len(f0s)) / float64(max(nPitched, 1))
	if len(f0s) > 0 {
		var s, logSum float64
		for _, f := range f0s {
			s += f
			logSum += 12 * math.Log2(f)
		}
		p.PitchMean = s / float64(len(f0s))
		logMean := logSum / float64(len(f0s))
		var v, lv float64
		for _, f := range f0s {
			v += (f - p.PitchMean) * (f - p.PitchMean)
			d := 12*math.Log2(f) - logMean
			lv += d * d
		}
		p.PitchVariance = v / float64(len(f0s))
		p.PitchSpread = math.Sqrt(lv / float64(len(f0s)))
	}
	speechSeconds := float64(nSpeech) * float64(hop) / float64(rate)
	p.SpeakingRate = float64(nuclei(db, speech, float64(hop)/float64(rate))) / speechSeconds
	p.Arousal = arousal(p)
	return p
}

// arousal combines the normalised features with the documented weights.
func arousal(p Prosody) float64 {
	cv := 0.0
	if p.EnergyMean > 0 {
		cv = math.Sqrt(p.EnergyVariance) / p.EnergyMean
	}
	a := WeightLoudness*scale(p.LoudnessDB, -40, -10) +
		WeightPitchSpread*scale(p.PitchSpread, 0.5, 5) +
		WeightRate*scale(p.SpeakingRate, 2, 6.5) +
		WeightEnergyVar*scale(cv, 0.2, 1.0)
	return math.Min(math.Max(a, 0), 1)
}

func scale(v, lo, hi float64) float64 {
	return math.Min(math.Max((v-lo)/(hi-lo), 0), 1)
}

// pitch estimates F0 of one frame by normalised autocorrelation over lags
// for minF0..maxF0, refined by parabolic interpolation. ok is false for
// unvoiced frames (no lag correlates above voicedCorr).
func pitch(x []float32, rate int) (float64, bool) {
	minLag := int(float64(rate) / maxF0)
	maxLag := min(int(float64(rate)/minF0), len(x)/2)
	if minLag < 1 || maxLag <= minLag+1 {
		return 0, false
	}
	var mean float64
	for _, s := range x {
		mean += float64(s)
	}
	mean /= float64(len(x))
	corr := make([]float64, maxLag+2)
	best, bestLag := 0.0, 0
	for lag := minLag; lag <= maxLag+1 && lag < len(x); lag++ {
		var xy, xx, yy float64
		for i := 0; i+lag < len(x); i++ {
			a, b := float64(x[i])-mean, float64(x[i+lag])-mean
			xy += a * b
			xx += a * a
			yy += b * b
		}
		if xx == 0 || yy == 0 {
			continue
		}
		corr[lag] = xy / math.Sqrt(xx*yy)
	}
	for lag := minLag; lag <= maxLag; lag++ {
		// The first strong peak avoids octave errors (2×period also correlates).
		if corr[lag] > corr[lag-1] && corr[lag] >= corr[lag+1] && corr[lag] > voicedCorr {
			if corr[lag] > best*1.1 || bestLag == 0 {
				best, bestLag = corr[lag], lag
			}
			if best > 0.85 {
				break
			}
		}
	}
	if bestLag == 0 {
		return 0, false
	}
	l := float64(bestLag)
	if a, b, c := corr[bestLag-1], corr[bestLag], corr[bestLag+1]; a-2*b+c != 0 {
		l += 0.5 * (a - c) / (a - 2*b + c)
	}
	return float64(rate) / l, true
}

// nuclei counts syllable nuclei: local maxima of the smoothed speech
// energy contour that rise nucleusDip dB above the valley since the last
// nucleus, at least minNucleus apart.
func nuclei(db []float64, speech []bool, hopSec float64) int {
	sm := make([]float64, len(db))
	for i := range db { // 50 ms moving average
		lo, hi := max(i-2, 0), min(i+2, len(db)-1)
		var s float64
		for j := lo; j <= hi; j++ {
			s += db[j]
		}
		sm[i] = s / float64(hi-lo+1)
	}
	count := 0
	valley := math.Inf(1)
	lastPeak := -1e9
	minGap := minNucleus / hopSec
	for i := 1; i+1 < len(sm); i++ {
		valley = math.Min(valley, sm[i])
		if !speech[i] || sm[i] < sm[i-1] || sm[i] < sm[i+1] {
			continue
		}
		if sm[i]-valley >= nucleusDip && float64(i)-lastPeak >= minGap {
			count++
			lastPeak = float64(i)
			valley = sm[i]
		}
	}
	return count
}

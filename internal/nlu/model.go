package nlu

import (
	"math"
	"math/rand/v2"
)

// softmaxModel is a multinomial logistic regression over hashed sparse
// features, trained by plain SGD in a fixed order (deterministic). Hand-rolled:
// Go has no maintained, dependency-light sparse logistic regression, and the
// whole trainer is a few dozen lines.
type softmaxModel struct {
	k     int
	index map[uint64]int32
	w     []float32 // len(index) * k, row-major by feature
	b     []float32
	temp  float64 // softmax temperature fitted on held-out data
}

type sparse struct {
	idx []int32
	val []float32
}

type trainOptions struct {
	epochs int
	lr     float64
	l2     float64
	seed   uint64
}

var (
	defaultTrainOptions  = trainOptions{epochs: 30, lr: 2.4, l2: 3e-4, seed: 20260101}
	negativeTrainOptions = trainOptions{epochs: 30, lr: 2.4, l2: 1e-4, seed: 20260101}
)

// trainSoftmax fits a k-class model on xs with labels ys.
func trainSoftmax(xs [][]feature, ys []int, k int, opt trainOptions) *softmaxModel {
	m := &softmaxModel{k: k, index: map[uint64]int32{}, temp: 1}
	data := make([]sparse, len(xs))
	for i, x := range xs {
		s := sparse{idx: make([]int32, 0, len(x)), val: make([]float32, 0, len(x))}
		for _, f := range x {
			j, ok := m.index[f.id]
			if !ok {
				j = int32(len(m.index))
				m.index[f.id] = j
			}
			s.idx = append(s.idx, j)
			s.val = append(s.val, f.val)
		}
		data[i] = s
	}
	m.w = make([]float32, len(m.index)*k)
	m.b = make([]float32, k)
	rng := rand.New(rand.NewPCG(opt.seed, opt.seed^0x5DEECE66D))
	scores := make([]float64, k)
	total := opt.epochs * len(data)
	step := 0
	for e := 0; e < opt.epochs; e++ {
		for _, i := range rng.Perm(len(data)) {
			lr := opt.lr * (1 - float64(step)/float64(total+1))
			step++
			x := data[i]
			m.rawScores(x.idx, x.val, scores)
			softmaxInPlace(scores, 1)
			for c := 0; c < k; c++ {
				g := scores[c]
				if c == ys[i] {
					g--
				}
				if g == 0 {
					continue
				}
				gl := float32(lr * g)
				m.b[c] -= gl
				for t, j := range x.idx {
					p := &m.w[int(j)*k+c]
					*p -= gl*x.val[t] + float32(lr*opt.l2)**p
				}
			}
		}
	}
	return m
}

func (m *softmaxModel) rawScores(idx []int32, val []float32, out []float64) {
	for c := 0; c < m.k; c++ {
		out[c] = float64(m.b[c])
	}
	for t, j := range idx {
		row := m.w[int(j)*m.k : int(j)*m.k+m.k]
		v := float64(val[t])
		for c, w := range row {
			out[c] += float64(w) * v
		}
	}
}

// probs writes calibrated class probabilities for hashed features into out.
func (m *softmaxModel) probs(x []feature, out []float64) {
	for c := 0; c < m.k; c++ {
		out[c] = float64(m.b[c])
	}
	for _, f := range x {
		j, ok := m.index[f.id]
		if !ok {
			continue
		}
		row := m.w[int(j)*m.k : int(j)*m.k+m.k]
		v := float64(f.val)
		for c, w := range row {
			out[c] += float64(w) * v
		}
	}
	softmaxInPlace(out, m.temp)
}

func softmaxInPlace(s []float64, temp float64) {
	max := math.Inf(-1)
	for _, v := range s {
		if v > max {
			max = v
		}
	}
	var sum float64
	for i, v := range s {
		s[i] = math.Exp((v - max) / temp)
		sum += s[i]
	}
	for i := range s {
		s[i] /= sum
	}
}

// fitTemperature picks the softmax temperature that minimises the negative
// log-likelihood of held-out examples (temperature scaling, Guo et al. 2017).
func (m *softmaxModel) fitTemperature(xs [][]feature, ys []int) float64 {
	if len(xs) == 0 {
		return 1
	}
	logits := make([][]float64, len(xs))
	for i, x := range xs {
		saved := m.temp
		m.temp = 1
		out := make([]float64, m.k)
		// Recover logits: probs at T=1 then log (shift-invariant).
		m.probs(x, out)
		for c := range out {
			out[c] = math.Log(math.Max(out[c], 1e-300))
		}
		m.temp = saved
		logits[i] = out
	}
	best, bestNLL := 1.0, math.Inf(1)
	s := make([]float64, m.k)
	for t := 0.2; t <= 4.0001; t += 0.05 {
		var nll float64
		for i, l := range logits {
			copy(s, l)
			softmaxInPlace(s, t)
			nll -= math.Log(math.Max(s[ys[i]], 1e-12))
		}
		if nll < bestNLL {
			best, bestNLL = t, nll
		}
	}
	return best
}

// bytes estimates the model's memory footprint.
func (m *softmaxModel) bytes() int {
	return len(m.w)*4 + len(m.b)*4 + len(m.index)*(8+4+4)
}

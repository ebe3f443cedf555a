package nlu

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/harbordesk/harbordesk/internal/lexicon"
	"github.com/harbordesk/harbordesk/internal/pii"
)

// Result is the understanding of one message (CONTRACT.md "Understanding result").
type Result struct {
	Language   string   `json:"language"`
	Script     string   `json:"script"`
	Intent     string   `json:"intent"`
	Confidence float64  `json:"confidence"`
	Sentiment  float64  `json:"sentiment"`
	Negative   bool     `json:"negative"`
	Priority   string   `json:"priority"`
	Normalized string   `json:"normalized"`
	MaskedText string   `json:"masked_text"`
	Signals    []string `json:"signals,omitempty"`
}

// Intents are the 14 intent labels, in the contract's order.
var Intents = lexicon.KnownIntents

func isIntent(s string) bool { return slices.Contains(Intents, s) }

// Classifier understands messages. It is immutable after New and safe for
// concurrent use.
type Classifier struct {
	lex      *lexicon.Lexicon
	intent   *softmaxModel
	negative *softmaxModel
	pool     sync.Pool
}

// ErrNoTrainingData is returned by New when no usable example is given.
var ErrNoTrainingData = errors.New("nlu: no training examples")

// negativeThreshold is the negative-signal probability above which a message
// is flagged. Below 0.5 because a missed urgent message costs more than an
// extra one in the priority queue (chosen by cross-validation on train).
var negativeThreshold = 0.35

// holdoutEvery picks the calibration slice: every holdoutEvery-th example.
const holdoutEvery = 5

// New trains a classifier on the examples with the given lexicon. Training
// is deterministic: the same inputs give the same model.
func New(lex *lexicon.Lexicon, train []Example) (*Classifier, error) {
	for i, e := range train {
		if !isIntent(e.Intent) {
			return nil, fmt.Errorf("nlu: training example %d: unknown intent %q", i+1, e.Intent)
		}
	}
	return NewFromItems(lex, ItemsOf(train, ""))
}

// NewFromItems trains on partly labelled items: the intent model learns from
// the items with an intent, the negative-signal model from those with a
// negative label. Items whose text fails Validate are skipped.
func NewFromItems(lex *lexicon.Lexicon, train []Item) (*Classifier, error) {
	if lex == nil {
		return nil, errors.New("nlu: nil lexicon")
	}
	c := &Classifier{lex: lex}
	c.pool.New = func() any { return &featurizer{} }
	var xs, nxs [][]feature
	var ys, nys []int
	f := &featurizer{}
	for i, e := range train {
		if Validate(e.Text) != nil || (e.Intent == "" && e.Negative == nil) {
			continue
		}
		y := -1
		if e.Intent != "" {
			if y = slices.Index(Intents, e.Intent); y < 0 {
				return nil, fmt.Errorf("nlu: training item %d: unknown intent %q", i+1, e.Intent)
			}
		}
		x, nx := c.features(f, e.Text)
		if y >= 0 {
			xs, ys = append(xs, x), append(ys, y)
		}
		if e.Negative != nil {
			nxs, nys = append(nxs, nx), append(nys, b2i(*e.Negative))
		}
	}
	if len(xs) == 0 || len(nxs) == 0 {
		return nil, ErrNoTrainingData
	}
	// Fit the temperature on a held-out slice, then train on everything.
	var fitX, holdX [][]feature
	var fitY, holdY []int
	for i := range xs {
		if i%holdoutEvery == holdoutEvery-1 {
			holdX, holdY = append(holdX, xs[i]), append(holdY, ys[i])
		} else {
			fitX, fitY = append(fitX, xs[i]), append(fitY, ys[i])
		}
	}
	temp := 1.0
	if len(holdX) > 0 && len(fitX) > 0 {
		temp = trainSoftmax(fitX, fitY, len(Intents), defaultTrainOptions).fitTemperature(holdX, holdY)
	}
	c.intent = trainSoftmax(xs, ys, len(Intents), defaultTrainOptions)
	c.intent.temp = temp
	c.negative = trainSoftmax(nxs, nys, 2, negativeTrainOptions)
	return c, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// analysis is everything derived from a message before the models run.
type analysis struct {
	folded    string
	lang, scr string
	hits      []lexicon.Hit
	sentiment float64
}

func (c *Classifier) analyse(text string) analysis {
	a := analysis{folded: fold(text)}
	a.lang, a.scr = gatherLanguage(text, a.folded).decide()
	a.hits = c.lex.Match(text)
	a.sentiment = sentimentScore(a.folded, a.hits)
	return a
}

// features returns copies of the intent features and the negative-signal
// features (intent features plus sentiment) of text.
func (c *Classifier) features(f *featurizer, text string) (x, nx []feature) {
	a := c.analyse(text)
	x = slices.Clone(f.extract(a.folded, a.hits, a.lang))
	nx = append(slices.Clone(x), sentimentFeatures(a.sentiment)...)
	return x, nx
}

// sentimentFeatures expose the sentiment score to the negative-signal model.
func sentimentFeatures(s float64) []feature {
	bucket := "neutral"
	switch {
	case s <= -0.6:
		bucket = "very_negative"
	case s <= -0.3:
		bucket = "negative"
	case s < 0:
		bucket = "slightly_negative"
	case s >= 0.3:
		bucket = "positive"
	}
	return []feature{
		{mix(nsSent, hashString(bucket)), 0.7},
		{mix(nsSent, 0), float32(-s)},
	}
}

var (
	defaultOnce sync.Once
	defaultCl   *Classifier
)

// Default returns the classifier trained on the embedded corpus with the
// default lexicon. It is built once.
func Default() *Classifier {
	defaultOnce.Do(func() {
		train, err := LoadCorpus("train")
		if err == nil {
			defaultCl, err = New(lexicon.Default(), train)
		}
		if err != nil {
			panic("nlu: embedded corpus: " + err.Error()) // covered by TestDefault
		}
	})
	return defaultCl
}

// Understand analyses one message. Text that fails Validate still gets a
// result (intent "other", confidence 0) so callers never crash on it.
func (c *Classifier) Understand(text string) Result {
	if Validate(text) != nil {
		lang, scr := DetectLanguage(text)
		return Result{Language: lang, Script: scr, Intent: "other", Priority: Priority("other", false, false), Normalized: text, MaskedText: pii.Mask(text)}
	}
	a := c.analyse(text)
	f := c.pool.Get().(*featurizer)
	defer c.pool.Put(f)
	x := f.extract(a.folded, a.hits, a.lang)

	var p [16]float64
	probs := p[:len(Intents)]
	c.intent.probs(x, probs)
	best := 0
	for i, v := range probs {
		if v > probs[best] {
			best = i
		}
	}
	r := Result{
		Language:   a.lang,
		Script:     a.scr,
		Intent:     Intents[best],
		Confidence: math.Round(probs[best]*1000) / 1000,
		Sentiment:  a.sentiment,
		Normalized: c.lex.Normalize(text),
		MaskedText: pii.Mask(text),
		Signals:    signalsOf(a.hits),
	}
	f.feats = append(f.feats, sentimentFeatures(a.sentiment)...)
	var np [2]float64
	c.negative.probs(f.feats, np[:])
	r.Negative = decideNegative(r.Intent, np[1], a.sentiment, r.Signals, a.folded)
	r.Intent = decideIntent(r.Intent, r.Confidence, r.Negative)
	r.Priority = priorityWithSignals(r.Intent, r.Negative, r.Signals)
	return r
}

// signalsOf lists the distinct signals of the hits in order of appearance.
func signalsOf(hits []lexicon.Hit) []string {
	var out []string
	for _, h := range hits {
		for _, s := range h.Entry.Signals {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// ModelBytes estimates the memory held by the trained models.
func (c *Classifier) ModelBytes() int { return c.intent.bytes() + c.negative.bytes() }

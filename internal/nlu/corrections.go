package nlu

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/harbordesk/harbordesk/internal/lexicon"
)

// Correction is an agent's relabelling of one customer message, fed back into
// training by the learning loop (issue 3 item 6). Text must already be
// masked. Negative is nil when the agent did not judge urgency.
type Correction struct {
	Text     string `json:"text"`
	Lang     string `json:"lang,omitempty"`
	Script   string `json:"script,omitempty"`
	Intent   string `json:"intent"`
	Negative *bool  `json:"negative,omitempty"`
	// TrainingConsent records that the customer agreed to their messages
	// being used for training (PDPO DPP3: use only for the consented purpose).
	TrainingConsent bool `json:"training_consent"`
}

// TrainingExamples turns corrections into training examples. It is the
// enforcement point for consent: a correction without TrainingConsent is
// dropped, as is one with empty or invalid text or an unknown intent. A
// correction that leaves Negative unset gets the intent's usual polarity
// (complaint and damaged_item are urgent, everything else is not).
func TrainingExamples(cs []Correction) []Example {
	var out []Example
	for _, c := range cs {
		if !c.TrainingConsent || !isIntent(c.Intent) || Validate(c.Text) != nil {
			continue
		}
		e := Example{Text: c.Text, Lang: c.Lang, Script: c.Script, Intent: c.Intent}
		if e.Lang == "" || e.Script == "" {
			lang, scr := DetectLanguage(c.Text)
			if e.Lang == "" {
				e.Lang = lang
			}
			if e.Script == "" {
				e.Script = scr
			}
		}
		if c.Negative != nil {
			e.Negative = *c.Negative
		} else {
			e.Negative = c.Intent == "complaint" || c.Intent == "damaged_item"
		}
		out = append(out, e)
	}
	return out
}

// correctionWeight is how many times a correction is repeated in training:
// an agent's fix of a real message is worth more than one hand-written line,
// but not so much that a single mislabel can swamp the corpus.
const correctionWeight = 2

// NewWithCorrections trains a classifier on the corpus examples plus the
// consented corrections (see TrainingExamples). Corrections are appended
// after the corpus, so the result is deterministic for the same inputs.
func NewWithCorrections(lex *lexicon.Lexicon, train []Example, corrections []Correction) (*Classifier, error) {
	return New(lex, CombinedTrainingSet(train, corrections))
}

// CombinedTrainingSet is the training set NewWithCorrections uses: train,
// then each consented correction correctionWeight times.
func CombinedTrainingSet(train []Example, corrections []Correction) []Example {
	out := make([]Example, 0, len(train)+correctionWeight*len(corrections))
	out = append(out, train...)
	for _, e := range TrainingExamples(corrections) {
		for range correctionWeight {
			out = append(out, e)
		}
	}
	return out
}

// ErrCorrectionLine reports a malformed line of a corrections file; the
// message gives the line number only, never the (customer) text.
var ErrCorrectionLine = errors.New("nlu: malformed correction")

// ReadCorrections reads corrections as JSON lines; blank lines are skipped.
func ReadCorrections(r io.Reader) ([]Correction, error) {
	var out []Correction
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), MaxLineBytes)
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var c Correction
		dec := json.NewDecoder(bytes.NewReader(b))
		if err := dec.Decode(&c); err != nil {
			return nil, fmt.Errorf("%w: line %d is not a JSON object", ErrCorrectionLine, line)
		}
		if strings.TrimSpace(c.Text) == "" || !isIntent(c.Intent) {
			return nil, fmt.Errorf("%w: line %d lacks text or has an unknown intent", ErrCorrectionLine, line)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("nlu: read corrections: %w", err)
	}
	return out, nil
}

// WriteExamples writes examples as JSON lines in the corpus format.
func WriteExamples(w io.Writer, exs []Example) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, e := range exs {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	return bw.Flush()
}

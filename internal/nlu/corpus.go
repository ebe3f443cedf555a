package nlu

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
)

// Example is one labelled customer message of the corpus.
type Example struct {
	Text     string `json:"text"`
	Lang     string `json:"lang"`
	Script   string `json:"script"`
	Intent   string `json:"intent"`
	Negative bool   `json:"negative"`
}

//go:embed corpus
var corpusFS embed.FS

// trainFiles are read, in order, for the training split; missing files are
// skipped. seed.jsonl holds the public samples and must-pass examples.
var trainFiles = []string{"corpus/train.jsonl", "corpus/seed.jsonl", "corpus/extra.jsonl"}

// LoadCorpus returns the "train" or "test" split of the embedded corpus.
func LoadCorpus(split string) ([]Example, error) {
	var files []string
	switch split {
	case "train":
		files = trainFiles
	case "test":
		files = []string{"corpus/test.jsonl"}
	default:
		return nil, fmt.Errorf("nlu: unknown corpus split %q (want train or test)", split)
	}
	var out []Example
	for _, f := range files {
		data, err := corpusFS.ReadFile(f)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("nlu: read %s: %w", f, err)
		}
		exs, err := ParseExamples(data)
		if err != nil {
			return nil, fmt.Errorf("nlu: %s: %w", f, err)
		}
		out = append(out, exs...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("nlu: corpus split %q is empty", split)
	}
	return out, nil
}

// ParseExamples reads labelled examples, one JSON object per line; blank
// lines are skipped.
func ParseExamples(data []byte) ([]Example, error) {
	var out []Example
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var e Example
		if err := json.Unmarshal(b, &e); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if e.Text == "" || !isIntent(e.Intent) {
			return nil, fmt.Errorf("line %d: missing text or unknown intent %q", line, e.Intent)
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

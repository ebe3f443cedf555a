package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/harbordesk/harbordesk/internal/lexicon"
	"github.com/harbordesk/harbordesk/internal/pii"
)

// DefaultReadTimeout bounds one reading. The reading is on the path to the
// first reply, so a slow model loses to the offline classifier quickly.
const DefaultReadTimeout = 3 * time.Second

// Reader reads one customer message: the optional LLM engine of the
// understanding step. Any error means "use the offline reading".
type Reader interface {
	Read(ctx context.Context, maskedText string) (Reading, error)
}

// Reading is a checked model reading, in the contract's vocabulary
// (CONTRACT.md "Understanding result").
type Reading struct {
	Language   string  `json:"language"`   // yue, zh or en
	Script     string  `json:"script"`     // Hant, Hans or Latn
	Intent     string  `json:"intent"`     // one of the 14 contract intents
	Negative   bool    `json:"negative"`   // the urgent signal
	Sentiment  float64 `json:"sentiment"`  // -1..1
	Priority   string  `json:"priority"`   // P1..P4
	Confidence float64 `json:"confidence"` // the model's own 0..1 certainty about the intent
}

// ErrBadReading is a reply that is not a reading in the contract's
// vocabulary (not JSON, a missing field, an unknown label, a number out of
// range). It carries no reply text.
var ErrBadReading = errors.New("llm: reply is not a valid reading")

var (
	readingLanguages  = []string{"yue", "zh", "en"}
	readingScripts    = []string{"Hant", "Hans", "Latn"}
	readingPriorities = []string{"P1", "P2", "P3", "P4"}
)

// readingSchema is the JSON schema the server must answer in
// (response_format json_schema, strict): every field required, labels as
// enums, so a conforming server cannot return anything else — and ParseReading
// checks again for servers that ignore the schema.
func readingSchema() *responseFormat {
	enum := func(vs []string) map[string]any { return map[string]any{"type": "string", "enum": vs} }
	num := func(lo, hi float64) map[string]any {
		return map[string]any{"type": "number", "minimum": lo, "maximum": hi}
	}
	return &responseFormat{Type: "json_schema", JSONSchema: &jsonSchema{Name: "reading", Strict: true,
		Schema: map[string]any{
			"type":                 "object",
			"additionalProperties": false,
			"required":             []string{"language", "script", "intent", "negative", "sentiment", "priority", "confidence"},
			"properties": map[string]any{
				"language":   enum(readingLanguages),
				"script":     enum(readingScripts),
				"intent":     enum(lexicon.KnownIntents),
				"negative":   map[string]any{"type": "boolean"},
				"sentiment":  num(-1, 1),
				"priority":   enum(readingPriorities),
				"confidence": num(0, 1),
			},
		}}}
}

type responseFormat struct {
	Type       string      `json:"type"`
	JSONSchema *jsonSchema `json:"json_schema,omitempty"`
}

type jsonSchema struct {
	Name   string         `json:"name"`
	Strict bool           `json:"strict"`
	Schema map[string]any `json:"schema"`
}

// readingPrompt states the contract's labels and the urgent-signal rule.
var readingPrompt = `You read customer-service messages for a Hong Kong retailer (home appliances, electronics, mobile plans). Answer with JSON only, in the given schema.
- language: "yue" for Cantonese (written colloquial, also mixed with English, e.g. 唔該check下我張order), "zh" for Mandarin / standard written Chinese, "en" for English.
- script: "Hant" (Traditional), "Hans" (Simplified) or "Latn".
- intent: one of ` + strings.Join(lexicon.KnownIntents, ", ") + `. A neutral question about the return rules is return_policy; a demand for money back is refund_request. Text the shop cannot serve (other shops, other domains, gibberish) is other.
- negative: true when the message must raise an urgent signal: refunds, compensation, damaged/missing/wrong goods, non-delivery or chasing a late order, complaints, threats (Consumer Council, media, police, lawyer), profanity or anger. A plainly neutral policy question is not negative.
- sentiment: -1 (very negative) to 1 (very positive).
- priority: P1 urgent (threats, damage, anger), P2 negative, P3 needs an action, P4 information only.
- confidence: how sure you are of the intent, 0 to 1.
Personal data in the message is already replaced by placeholders such as [PHONE]; never guess it.`

// Read implements Reader: one chat completion with a JSON-schema answer,
// bounded by the read timeout. The text is masked again here, so even a
// caller that forgot to mask cannot send raw personal data out.
func (o *OpenAI) Read(ctx context.Context, maskedText string) (Reading, error) {
	text := pii.Mask(maskedText)
	if strings.TrimSpace(text) == "" {
		return Reading{}, ErrEmpty
	}
	ctx, cancel := context.WithTimeout(ctx, o.readTimeout)
	defer cancel()
	content, err := o.completeRequest(ctx, chatRequest{
		Messages:       []message{{Role: "system", Content: readingPrompt}, {Role: "user", Content: text}},
		MaxTokens:      200,
		ResponseFormat: readingSchema(),
	})
	if err != nil {
		return Reading{}, err
	}
	return ParseReading(content)
}

// ParseReading checks a model reply against the reading schema. It accepts
// the JSON object alone or wrapped in a markdown code fence (some servers
// add one even in JSON mode), and nothing else.
func ParseReading(content string) (Reading, error) {
	s := strings.TrimSpace(content)
	if rest, ok := strings.CutPrefix(s, "```"); ok {
		rest = strings.TrimPrefix(rest, "json")
		body, ok := strings.CutSuffix(strings.TrimSpace(rest), "```")
		if !ok {
			return Reading{}, ErrBadReading
		}
		s = strings.TrimSpace(body)
	}
	var raw struct {
		Language   *string  `json:"language"`
		Script     *string  `json:"script"`
		Intent     *string  `json:"intent"`
		Negative   *bool    `json:"negative"`
		Sentiment  *float64 `json:"sentiment"`
		Priority   *string  `json:"priority"`
		Confidence *float64 `json:"confidence"`
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil || dec.More() {
		return Reading{}, ErrBadReading
	}
	if raw.Language == nil || raw.Script == nil || raw.Intent == nil || raw.Negative == nil ||
		raw.Sentiment == nil || raw.Priority == nil || raw.Confidence == nil {
		return Reading{}, fmt.Errorf("%w: a field is missing", ErrBadReading)
	}
	r := Reading{Language: *raw.Language, Script: *raw.Script, Intent: *raw.Intent, Negative: *raw.Negative,
		Sentiment: *raw.Sentiment, Priority: *raw.Priority, Confidence: *raw.Confidence}
	switch {
	case !slices.Contains(readingLanguages, r.Language):
		return Reading{}, fmt.Errorf("%w: unknown language", ErrBadReading)
	case !slices.Contains(readingScripts, r.Script):
		return Reading{}, fmt.Errorf("%w: unknown script", ErrBadReading)
	case !slices.Contains(lexicon.KnownIntents, r.Intent):
		return Reading{}, fmt.Errorf("%w: unknown intent", ErrBadReading)
	case !slices.Contains(readingPriorities, r.Priority):
		return Reading{}, fmt.Errorf("%w: unknown priority", ErrBadReading)
	case math.IsNaN(r.Sentiment) || r.Sentiment < -1 || r.Sentiment > 1:
		return Reading{}, fmt.Errorf("%w: sentiment out of range", ErrBadReading)
	case math.IsNaN(r.Confidence) || r.Confidence < 0 || r.Confidence > 1:
		return Reading{}, fmt.Errorf("%w: confidence out of range", ErrBadReading)
	case r.Language == "en" && r.Script != "Latn", r.Language != "en" && r.Script == "Latn":
		return Reading{}, fmt.Errorf("%w: script does not fit the language", ErrBadReading)
	}
	return r, nil
}

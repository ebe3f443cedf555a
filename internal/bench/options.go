package bench

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"
)

// Defaults applied to zero Options fields.
const (
	DefaultConcurrency  = 32
	DefaultPollInterval = 20 * time.Millisecond
	DefaultReplyTimeout = 10 * time.Second

	// roundLength and maxRounds pick the default Rounds.
	roundLength = 5 * time.Second
	maxRounds   = 4
)

// Options describe one bench run.
type Options struct {
	URL, Key string
	Duration time.Duration
	// Rate is the target in contacts per second; 0 means as fast as
	// Concurrency workers can go.
	Rate float64
	// Concurrency is the number of contacts in flight at most (default 32).
	Concurrency int
	// Baseline adds a run of the same shape against the bare baseline workflow.
	Baseline bool
	// Rounds splits a baseline comparison into that many pairs of slices,
	// Harbordesk and baseline alternating A B B A …, so drift on a shared
	// machine (autovacuum, another tenant, a cold cache) weighs on both
	// sides alike. 0 picks one round per 5 s of Duration, at most 4.
	Rounds int
	// Progress, if set, receives one progress line per second.
	Progress io.Writer
	// PollInterval is the pause between status polls (default 20ms).
	PollInterval time.Duration
	// ReplyTimeout bounds the wait for a first reply (default 10s).
	ReplyTimeout time.Duration
	// Seed makes the message mix reproducible; IDs are unique per run anyway.
	Seed int64
}

// Result is the summary `harbordesk bench` prints as its last JSON line.
type Result struct {
	Contacts             int      `json:"contacts"`
	Seconds              float64  `json:"seconds"`
	ContactsPerS         float64  `json:"contacts_per_s"`
	P50                  float64  `json:"first_reply_p50_ms"`
	P90                  float64  `json:"first_reply_p90_ms"`
	P99                  float64  `json:"first_reply_p99_ms"`
	Errors               int      `json:"errors"`
	Duplicates           int      `json:"duplicate_replies"`
	BaselineContactsPerS *float64 `json:"baseline_contacts_per_s,omitempty"`
	BaselineP50          *float64 `json:"baseline_first_reply_p50_ms,omitempty"`
	BaselineP99          *float64 `json:"baseline_first_reply_p99_ms,omitempty"`
	Ratio                *float64 `json:"ratio,omitempty"`
}

// ErrInvalidOptions wraps every option validation failure.
var ErrInvalidOptions = errors.New("bench: invalid options")

// withDefaults validates o and fills in defaults. Errors never echo the key.
func (o Options) withDefaults() (Options, error) {
	u, err := url.Parse(o.URL)
	switch {
	case o.URL == "":
		return o, fmt.Errorf("%w: --url is required", ErrInvalidOptions)
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return o, fmt.Errorf("%w: --url must be an http(s) URL", ErrInvalidOptions)
	case o.Key == "":
		return o, fmt.Errorf("%w: --key is required", ErrInvalidOptions)
	case o.Duration <= 0:
		return o, fmt.Errorf("%w: --duration must be positive", ErrInvalidOptions)
	case o.Rate < 0:
		return o, fmt.Errorf("%w: --rate must not be negative", ErrInvalidOptions)
	case o.Rounds < 0:
		return o, fmt.Errorf("%w: --rounds must not be negative", ErrInvalidOptions)
	case o.Concurrency < 0 || o.PollInterval < 0 || o.ReplyTimeout < 0:
		return o, fmt.Errorf("%w: concurrency, poll interval and reply timeout must not be negative", ErrInvalidOptions)
	}
	if o.Concurrency == 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.PollInterval == 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.ReplyTimeout == 0 {
		o.ReplyTimeout = DefaultReplyTimeout
	}
	if o.Rounds == 0 {
		o.Rounds = min(max(int(o.Duration/roundLength), 1), maxRounds)
	}
	if !o.Baseline {
		o.Rounds = 1
	}
	return o, nil
}

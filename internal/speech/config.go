package speech

import "time"

// Config is the engine setup read from the environment by the caller:
// HARBORDESK_ASR_URL → ASRURL; the managed whisper.cpp supervisor's
// BaseURL() → WhisperURL.
type Config struct {
	ASRURL       string   // OpenAI-compatible base URL, e.g. http://127.0.0.1:9000/v1
	ASRModel     string   // default "whisper-1"
	ASRKey       string   // bearer token, empty for local servers
	ASRLanguages []string // languages the ASR server handles; empty = any
	WhisperURL   string   // managed whisper-server base URL, empty if not running
	// OfflineEnglish adds pocketsphinx for English when its CLI is installed.
	OfflineEnglish bool
	Timeout        time.Duration // per HTTP attempt; 0 → 60 s
}

// NewFromConfig builds the Chain in order of quality: the configured ASR
// server, the managed whisper.cpp server, then pocketsphinx for English.
// A chain with no engine is valid: every voice note gets ErrNoEngine and is
// handed to a human.
func NewFromConfig(cfg Config) *Chain {
	model := cfg.ASRModel
	if model == "" {
		model = "whisper-1"
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	var routes []Route
	if cfg.ASRURL != "" {
		routes = append(routes, Route{
			Engine:    NewHTTP(cfg.ASRURL, model, cfg.ASRKey, WithTimeout(timeout)),
			Languages: cfg.ASRLanguages,
		})
	}
	if cfg.WhisperURL != "" {
		routes = append(routes, Route{
			Engine: NewHTTP(cfg.WhisperURL, "whisper.cpp", "", WithTimeout(timeout),
				WithResponseFormat("verbose_json"), WithName("whisper.cpp")),
		})
	}
	if cfg.OfflineEnglish {
		if ps, err := NewPocketSphinx(0); err == nil {
			routes = append(routes, Route{Engine: ps, Languages: ps.Languages()})
		}
	}
	return NewChain(routes)
}

package speech

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/harbordesk/harbordesk/internal/speech/audio"
)

// Audio is a decoded voice note (16 kHz mono), as audio.Decode returns it.
type Audio = audio.Clip

// Transcript is what an engine heard.
type Transcript struct {
	Text     string
	Language string        // ISO 639 code the engine reported, else the hint
	Duration time.Duration // length of the audio
	Engine   string        // Name() of the engine that produced it
}

// Transcriber turns a voice note into text. languageHint is an ISO 639 /
// BCP 47 code ("yue", "zh-HK", "en") or "" when unknown.
type Transcriber interface {
	Transcribe(ctx context.Context, a Audio, languageHint string) (Transcript, error)
	Name() string
}

var (
	// ErrNoEngine: no configured engine can transcribe this language. The
	// contact goes to a human with the audio reference and this reason.
	ErrNoEngine = errors.New("speech: no transcription engine for this language")
	// ErrNoSpeech: the engine ran but heard nothing it could write down.
	ErrNoSpeech = errors.New("speech: no speech recognised")
)

// permanentError marks a failure that retrying the same request cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent wraps err so IsPermanent reports true.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

// retryableError marks a failure that is worth retrying even though some
// of the errors it joins are permanent (one engine of a Chain was down).
type retryableError struct{ err error }

func (e *retryableError) Error() string { return e.err.Error() }
func (e *retryableError) Unwrap() error { return e.err }

// IsPermanent reports whether retrying cannot help: a 4xx from the server,
// ErrNoEngine, ErrNoSpeech, ErrBadAudio, or any audio intake error. Timeouts, 5xx and 429
// are not permanent. The Transcribe activity maps permanent errors to
// non-retryable application errors.
func IsPermanent(err error) bool {
	var r *retryableError
	if errors.As(err, &r) {
		return false
	}
	var p *permanentError
	return errors.As(err, &p) || errors.Is(err, ErrNoEngine) || errors.Is(err, ErrNoSpeech) ||
		(audio.HTTPStatus(err) != 0)
}

// NormalizeLanguage reduces a BCP 47 tag or a language name to the code the
// desk uses: "yue" for Cantonese (zh-HK, zh-Hant-HK, yue-*), "zh" for
// Mandarin/Chinese (zh-CN, cmn, zh-Hans), else the lowercase primary
// subtag ("en-GB" → "en"). Whisper servers report names ("english",
// "cantonese"), which map to the same codes. "" stays "".
func NormalizeLanguage(tag string) string {
	t := strings.ToLower(strings.TrimSpace(strings.ReplaceAll(tag, "_", "-")))
	if t == "" {
		return ""
	}
	if code, ok := languageNames[t]; ok {
		return code
	}
	parts := strings.Split(t, "-")
	switch parts[0] {
	case "yue":
		return "yue"
	case "cmn":
		return "zh"
	case "zh":
		for _, p := range parts[1:] {
			if p == "hk" || p == "mo" || p == "yue" {
				return "yue"
			}
		}
		return "zh"
	}
	return parts[0]
}

// languageNames are the names whisper and OpenAI put in verbose_json.
var languageNames = map[string]string{
	"english": "en", "chinese": "zh", "mandarin": "zh", "cantonese": "yue",
	"japanese": "ja", "korean": "ko", "tagalog": "tl", "filipino": "tl",
	"indonesian": "id", "hindi": "hi", "urdu": "ur", "nepali": "ne",
	"thai": "th", "vietnamese": "vi", "french": "fr", "german": "de", "spanish": "es",
	"dutch": "nl", "malay": "ms", "russian": "ru", "arabic": "ar", "portuguese": "pt", "italian": "it",
}

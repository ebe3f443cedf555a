package speech

import (
	"context"
	"errors"

	"github.com/harbordesk/harbordesk/internal/speech/audio"
	"github.com/harbordesk/harbordesk/internal/speech/prosody"
)

// ErrBadAudio: the voice note cannot be decoded — empty or silent, corrupt,
// too large, too long or in an unsupported format (any error
// audio.HTTPStatus marks as a client problem). Reader.Read joins it with
// the audio error, so errors.Is finds both. It is permanent.
var ErrBadAudio = errors.New("speech: voice note is empty, corrupt, too long or unsupported")

// Reading is what Reader.Read made of one voice note: the raw transcript
// (not masked), the engine that wrote it, and how the voice sounded.
type Reading struct {
	Text     string
	Language string  // as the engine reported it, else the hint
	Engine   string  // Name() of the engine that produced the text
	Arousal  float64 // acoustic arousal in [0, 1] (speech/prosody)
	Seconds  float64 // length of the decoded audio
}

// Reader reads a customer's voice note: decode to 16 kHz mono, measure how
// it sounded (acoustic arousal) and transcribe it with Engines (usually a
// Chain from NewFromConfig).
type Reader struct {
	Decoder audio.Decoder // zero value: default limits, ffmpeg on PATH
	Engines Transcriber
}

// Read decodes, analyses and transcribes one voice note. languageHint is
// passed to the engines. Its errors:
//
//   - audio that can never be decoded: ErrBadAudio joined with the audio error;
//   - other decoding failures (e.g. ffmpeg timed out): as the decoder
//     returned them, retryable;
//   - engine failures as the engines returned them: ErrNoEngine, ErrNoSpeech,
//     a Permanent refusal, or a transient error.
//
// IsPermanent tells the retryable ones apart.
func (r Reader) Read(ctx context.Context, data []byte, mime, languageHint string) (Reading, error) {
	clip, err := r.Decoder.Decode(ctx, data, mime)
	if err != nil {
		if audio.HTTPStatus(err) != 0 {
			return Reading{}, errors.Join(ErrBadAudio, err)
		}
		return Reading{}, err
	}
	p := prosody.Analyze(clip.Samples, audio.SampleRate)
	tr, err := r.Engines.Transcribe(ctx, clip, languageHint)
	if err != nil {
		return Reading{}, err
	}
	return Reading{Text: tr.Text, Language: tr.Language, Engine: tr.Engine,
		Arousal: p.Arousal, Seconds: clip.Duration().Seconds()}, nil
}

// CheckNote vets a voice note at intake: for audio that can never be
// transcribed it returns the HTTP status the API answers with (413 or 422)
// and a message for the sender; 0 and "" otherwise, including for failures
// that may pass on a retry (e.g. a decoder timeout: the workflow tries).
func CheckNote(ctx context.Context, d audio.Decoder, data []byte, mime string) (status int, msg string) {
	_, err := d.Decode(ctx, data, mime)
	if err == nil {
		return 0, ""
	}
	status = audio.HTTPStatus(err)
	switch {
	case status == 0:
		return 0, "" // e.g. a timeout: let the workflow try
	case errors.Is(err, audio.ErrTooLarge):
		return status, "voice note is over the size limit"
	case errors.Is(err, audio.ErrTooLong):
		return status, "voice note is longer than the limit"
	case errors.Is(err, audio.ErrEmpty):
		return status, "voice note is empty or silent"
	case errors.Is(err, audio.ErrUnsupportedFormat):
		return status, "audio format not supported (send WAV, OGG/Opus, MP3 or M4A)"
	}
	return status, "voice note is corrupt"
}

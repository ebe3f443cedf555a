// Package voice reads a customer's voice note for the Transcribe activity:
// decode to 16 kHz mono, measure how it sounded (acoustic arousal) and
// transcribe it with the configured engine chain (internal/speech).
package voice

import (
	"context"
	"errors"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/speech"
	"github.com/harbordesk/harbordesk/internal/speech/audio"
	"github.com/harbordesk/harbordesk/internal/speech/prosody"
)

// Reader implements activities.Transcriber.
type Reader struct {
	Decoder audio.Decoder
	Engines speech.Transcriber
}

// Transcribe decodes, analyses and transcribes one voice note.
func (r Reader) Transcribe(ctx context.Context, data []byte, mime, hint string) (activities.TranscribeResult, error) {
	clip, err := r.Decoder.Decode(ctx, data, mime)
	if err != nil {
		if audio.HTTPStatus(err) != 0 {
			return activities.TranscribeResult{}, errors.Join(activities.ErrVoiceBadAudio, err)
		}
		return activities.TranscribeResult{}, err
	}
	p := prosody.Analyze(clip.Samples, audio.SampleRate)
	tr, err := r.Engines.Transcribe(ctx, clip, hint)
	switch {
	case errors.Is(err, speech.ErrNoEngine):
		return activities.TranscribeResult{}, errors.Join(activities.ErrVoiceNoEngine, err)
	case errors.Is(err, speech.ErrNoSpeech):
		return activities.TranscribeResult{}, errors.Join(activities.ErrVoiceBadAudio, err)
	case err != nil:
		return activities.TranscribeResult{}, err
	}
	return activities.TranscribeResult{Text: tr.Text, Language: tr.Language, Engine: tr.Engine,
		Arousal: p.Arousal, Seconds: clip.Duration().Seconds()}, nil
}

// IsPermanent reports whether retrying cannot help.
func (r Reader) IsPermanent(err error) bool { return speech.IsPermanent(err) }

// Check vets a voice note at intake: it returns an HTTP status (413/422)
// and a message for audio that can never be transcribed, 0 otherwise.
func Check(ctx context.Context, d audio.Decoder, data []byte, mime string) (int, string) {
	_, err := d.Decode(ctx, data, mime)
	if err == nil {
		return 0, ""
	}
	status := audio.HTTPStatus(err)
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

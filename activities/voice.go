package activities

import (
	"context"
	"errors"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/harbordesk/harbordesk/internal/speech"
)

// AudioVault keeps voice notes encrypted until they are transcribed.
type AudioVault interface {
	Get(ctx context.Context, ref string) (data []byte, mime string, err error)
	Delete(ctx context.Context, ref string) error
}

// Voice errors a Transcriber returns for final failures.
var (
	ErrVoiceNoEngine = errors.New("no transcription engine for this language")
	ErrVoiceBadAudio = errors.New("audio is empty, corrupt or unsupported")
)

// Transcriber turns a voice note into text plus acoustic arousal.
type Transcriber interface {
	Transcribe(ctx context.Context, data []byte, mime, languageHint string) (TranscribeResult, error)
	IsPermanent(err error) bool
}

// SpeechTranscriber is the Transcriber the worker runs: it reads voice notes
// with internal/speech and maps speech's final failures to this layer's
// (speech.ErrNoEngine to ErrVoiceNoEngine; speech.ErrBadAudio and
// speech.ErrNoSpeech to ErrVoiceBadAudio). Other errors pass unchanged, and
// speech.IsPermanent tells a refusal from a transient failure.
type SpeechTranscriber struct{ Reader speech.Reader }

// Transcribe reads one voice note.
func (s SpeechTranscriber) Transcribe(ctx context.Context, data []byte, mime, languageHint string) (TranscribeResult, error) {
	rd, err := s.Reader.Read(ctx, data, mime, languageHint)
	switch {
	case errors.Is(err, speech.ErrNoEngine):
		return TranscribeResult{}, errors.Join(ErrVoiceNoEngine, err)
	case errors.Is(err, speech.ErrBadAudio), errors.Is(err, speech.ErrNoSpeech):
		return TranscribeResult{}, errors.Join(ErrVoiceBadAudio, err)
	case err != nil:
		return TranscribeResult{}, err
	}
	return TranscribeResult{Text: rd.Text, Language: rd.Language, Engine: rd.Engine,
		Arousal: rd.Arousal, Seconds: rd.Seconds}, nil
}

// IsPermanent reports whether retrying cannot help (speech.IsPermanent).
func (s SpeechTranscriber) IsPermanent(err error) bool { return speech.IsPermanent(err) }

// TranscribeInput names the stored voice note.
type TranscribeInput struct {
	ContactID, AudioRef, AudioMIME, LanguageHint string
}

// TranscribeResult is the transcript (raw: it is masked by Understand before
// it is stored), the engine that made it and the voice's arousal in [0,1].
type TranscribeResult struct {
	Text     string
	Language string
	Engine   string
	Arousal  float64
	Seconds  float64
}

// Transcribe reads the encrypted voice note, transcribes it and deletes the
// audio once the transcript exists: audio is kept only as long as needed.
// When it can never be transcribed (no engine, unreadable audio, a refusal)
// it is deleted too: nobody can use it, and a person takes the contact.
func (a *Activities) Transcribe(ctx context.Context, in TranscribeInput) (res TranscribeResult, err error) {
	defer func() {
		var ae *temporal.ApplicationError
		if errors.As(err, &ae) && ae.NonRetryable() {
			a.discard(ctx, in)
		}
	}()
	if a.Transcriber == nil || a.Audio == nil {
		return TranscribeResult{}, temporal.NewNonRetryableApplicationError("no transcription engine configured", ErrNoEngine, nil)
	}
	data, mime, err := a.Audio.Get(ctx, in.AudioRef)
	if err != nil {
		return TranscribeResult{}, retryable(err)
	}
	if mime == "" {
		mime = in.AudioMIME
	}
	activity.RecordHeartbeat(ctx, "decoding")
	res, err = a.Transcriber.Transcribe(ctx, data, mime, in.LanguageHint)
	switch {
	case errors.Is(err, ErrVoiceNoEngine):
		return res, temporal.NewNonRetryableApplicationError("no transcription engine for this language", ErrNoEngine, nil)
	case errors.Is(err, ErrVoiceBadAudio):
		return res, temporal.NewNonRetryableApplicationError("audio unreadable", ErrBadAudio, nil)
	case err != nil && a.Transcriber.IsPermanent(err):
		return res, temporal.NewNonRetryableApplicationError("transcription refused", ErrPermanent, nil)
	case err != nil:
		return res, retryable(err)
	}
	if err := a.Audio.Delete(ctx, in.AudioRef); err != nil {
		a.Log.Warn("voice note not deleted after transcription; retention purge will remove it", "contact_id", in.ContactID)
	}
	return res, nil
}

// DiscardAudioInput names a voice note that will never be transcribed.
type DiscardAudioInput struct {
	ContactID, AudioRef string
}

// DiscardAudio deletes a voice note the workflow gave up on (transcription
// failed for good or ran out of retries). Deleting what is gone is fine.
func (a *Activities) DiscardAudio(ctx context.Context, in DiscardAudioInput) error {
	if a.Audio == nil || in.AudioRef == "" {
		return nil
	}
	return retryable(a.Audio.Delete(ctx, in.AudioRef))
}

func (a *Activities) discard(ctx context.Context, in TranscribeInput) {
	if a.Audio == nil || in.AudioRef == "" {
		return
	}
	if err := a.Audio.Delete(ctx, in.AudioRef); err != nil && a.Log != nil {
		a.Log.Warn("untranscribable voice note not deleted yet; the workflow retries", "contact_id", in.ContactID)
	}
}

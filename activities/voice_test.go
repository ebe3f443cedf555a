package activities_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"go.temporal.io/sdk/testsuite"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/speech"
	"github.com/harbordesk/harbordesk/internal/speech/audio"
)

// fakeVault holds one voice note: data, or a few bytes that are not audio.
type fakeVault struct {
	data    []byte
	deleted []string
}

func (v *fakeVault) Get(ctx context.Context, ref string) ([]byte, string, error) {
	if v.data != nil {
		return v.data, "audio/wav", nil
	}
	return []byte("RIFF...."), "audio/wav", nil
}

func (v *fakeVault) Delete(ctx context.Context, ref string) error {
	v.deleted = append(v.deleted, ref)
	return nil
}

type fakeASR struct{ err error }

func (f fakeASR) Transcribe(ctx context.Context, data []byte, mime, hint string) (activities.TranscribeResult, error) {
	if f.err != nil {
		return activities.TranscribeResult{}, f.err
	}
	return activities.TranscribeResult{Text: "hello", Engine: "fake"}, nil
}

func (f fakeASR) IsPermanent(err error) bool { return errors.Is(err, errRefusedASR) }

var errRefusedASR = errors.New("400 from the ASR server")

// Audio is kept only while a transcript may still come: deleted after a
// transcript and after a final failure, kept for the next attempt after a
// temporary one.
func TestTranscribeDeletesAudioWhenDone(t *testing.T) {
	tests := []struct {
		name        string
		asr         activities.Transcriber
		wantFinal   string
		wantDeleted bool
	}{
		{"transcribed", fakeASR{}, "", true},
		{"no engine for the language", fakeASR{err: activities.ErrVoiceNoEngine}, activities.ErrNoEngine, true},
		{"unreadable", fakeASR{err: activities.ErrVoiceBadAudio}, activities.ErrBadAudio, true},
		{"refused", fakeASR{err: errRefusedASR}, activities.ErrPermanent, true},
		{"no engine configured", nil, activities.ErrNoEngine, true},
		{"temporary", fakeASR{err: errors.New("connection refused")}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vault := &fakeVault{}
			var s testsuite.WorkflowTestSuite
			env := s.NewTestActivityEnvironment()
			env.RegisterActivity(&activities.Activities{Audio: vault, Transcriber: tt.asr})
			_, err := env.ExecuteActivity((&activities.Activities{}).Transcribe, activities.TranscribeInput{ContactID: "ct_1", AudioRef: "au_1"})
			if got := finalType(err); got != tt.wantFinal {
				t.Errorf("error %v: final type %q, want %q", err, got, tt.wantFinal)
			}
			if deleted := len(vault.deleted) == 1 && vault.deleted[0] == "au_1"; deleted != tt.wantDeleted {
				t.Errorf("deleted %v, want deleted=%v", vault.deleted, tt.wantDeleted)
			}
		})
	}
}

// fakeEngine is a speech engine that hears "hello" or fails with err.
type fakeEngine struct{ err error }

func (f fakeEngine) Name() string { return "fake" }

func (f fakeEngine) Transcribe(ctx context.Context, a speech.Audio, hint string) (speech.Transcript, error) {
	if f.err != nil {
		return speech.Transcript{}, f.err
	}
	return speech.Transcript{Text: "hello", Language: "en", Duration: a.Duration(), Engine: f.Name()}, nil
}

// toneWAV is one second of a 220 Hz tone: audio that decodes.
func toneWAV() []byte {
	s := make([]float32, audio.SampleRate)
	for i := range s {
		s[i] = float32(0.3 * math.Sin(2*math.Pi*220*float64(i)/audio.SampleRate))
	}
	return audio.EncodeWAV(s, audio.SampleRate)
}

// The worker's Transcriber (speech.Reader behind SpeechTranscriber) fails
// the activity the same way for each kind of speech failure: unreadable
// audio and silence for good as bad audio, a language without an engine for
// good as no engine, a refusal for good as permanent, and a transient engine
// failure as retryable with the audio kept.
func TestTranscribeWithSpeechReader(t *testing.T) {
	good := toneWAV()
	tests := []struct {
		name      string
		data      []byte
		engineErr error
		wantFinal string
		wantText  string
	}{
		{"transcribed", good, nil, "", "hello"},
		{"corrupt audio", []byte("RIFF...."), nil, activities.ErrBadAudio, ""},
		{"silent audio", audio.EncodeWAV(make([]float32, audio.SampleRate), audio.SampleRate), nil, activities.ErrBadAudio, ""},
		{"engine heard nothing", good, speech.ErrNoSpeech, activities.ErrBadAudio, ""},
		{"no engine for the language", good, speech.ErrNoEngine, activities.ErrNoEngine, ""},
		{"refused", good, speech.Permanent(errors.New("400 from the ASR server")), activities.ErrPermanent, ""},
		{"engine transient", good, errors.New("connection refused"), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vault := &fakeVault{data: tt.data}
			asr := activities.SpeechTranscriber{Reader: speech.Reader{Engines: fakeEngine{err: tt.engineErr}}}
			var s testsuite.WorkflowTestSuite
			env := s.NewTestActivityEnvironment()
			env.RegisterActivity(&activities.Activities{Audio: vault, Transcriber: asr})
			v, err := env.ExecuteActivity((&activities.Activities{}).Transcribe, activities.TranscribeInput{ContactID: "ct_1", AudioRef: "au_1"})
			if got := finalType(err); got != tt.wantFinal {
				t.Errorf("error %v: final type %q, want %q", err, got, tt.wantFinal)
			}
			success := tt.wantText != ""
			if (err == nil) != success {
				t.Fatalf("error %v, want success=%v", err, success)
			}
			// Deleted after a transcript or a final failure, kept for a retry.
			wantDeleted := success || tt.wantFinal != ""
			if deleted := len(vault.deleted) == 1 && vault.deleted[0] == "au_1"; deleted != wantDeleted {
				t.Errorf("deleted %v, want deleted=%v", vault.deleted, wantDeleted)
			}
			if !success {
				return
			}
			var res activities.TranscribeResult
			if err := v.Get(&res); err != nil {
				t.Fatal(err)
			}
			if res.Text != tt.wantText || res.Engine != "fake" || res.Language != "en" || res.Seconds != 1 || res.Arousal < 0 || res.Arousal > 1 {
				t.Errorf("result %+v", res)
			}
		})
	}
}

// SpeechTranscriber keeps the speech error under its own, so the reason is
// not lost, and maps nothing it should not.
func TestSpeechTranscriberErrors(t *testing.T) {
	good := toneWAV()
	transient := errors.New("connection refused")
	for _, tc := range []struct {
		name      string
		data      []byte
		engineErr error
		want      []error
		not       []error
		permanent bool
	}{
		{"bad audio", []byte("RIFF...."), nil, []error{activities.ErrVoiceBadAudio, speech.ErrBadAudio}, []error{activities.ErrVoiceNoEngine}, true},
		{"no speech", good, speech.ErrNoSpeech, []error{activities.ErrVoiceBadAudio, speech.ErrNoSpeech}, []error{activities.ErrVoiceNoEngine}, true},
		{"no engine", good, speech.ErrNoEngine, []error{activities.ErrVoiceNoEngine, speech.ErrNoEngine}, []error{activities.ErrVoiceBadAudio}, true},
		{"transient", good, transient, []error{transient}, []error{activities.ErrVoiceBadAudio, activities.ErrVoiceNoEngine}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			asr := activities.SpeechTranscriber{Reader: speech.Reader{Engines: fakeEngine{err: tc.engineErr}}}
			_, err := asr.Transcribe(context.Background(), tc.data, "audio/wav", "en")
			for _, w := range tc.want {
				if !errors.Is(err, w) {
					t.Errorf("error %v is not %v", err, w)
				}
			}
			for _, w := range tc.not {
				if errors.Is(err, w) {
					t.Errorf("error %v is %v", err, w)
				}
			}
			if asr.IsPermanent(err) != tc.permanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, !tc.permanent, tc.permanent)
			}
		})
	}
}

package activities_test

import (
	"context"
	"errors"
	"testing"

	"go.temporal.io/sdk/testsuite"

	"github.com/harbordesk/harbordesk/activities"
)

type fakeVault struct{ deleted []string }

func (v *fakeVault) Get(ctx context.Context, ref string) ([]byte, string, error) {
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

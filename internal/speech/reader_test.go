package speech

import (
	"context"
	"errors"
	"math"
	"os"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/speech/audio"
	"github.com/harbordesk/harbordesk/internal/speech/prosody"
)

// toneWAV is a 16 kHz mono WAV of a 220 Hz tone lasting dur.
func toneWAV(dur time.Duration) []byte {
	s := make([]float32, int(dur.Seconds()*audio.SampleRate))
	for i := range s {
		s[i] = float32(0.3 * math.Sin(2*math.Pi*220*float64(i)/audio.SampleRate))
	}
	return audio.EncodeWAV(s, audio.SampleRate)
}

func TestReaderRead(t *testing.T) {
	data := toneWAV(2 * time.Second)
	eng := &recordingEngine{name: "fake"}
	got, err := Reader{Engines: eng}.Read(context.Background(), data, "audio/wav", "en-GB")
	if err != nil {
		t.Fatal(err)
	}
	clip, err := audio.Decode(context.Background(), data, "audio/wav")
	if err != nil {
		t.Fatal(err)
	}
	want := Reading{Text: "heard by fake", Language: "en", Engine: "fake",
		Arousal: prosody.Analyze(clip.Samples, audio.SampleRate).Arousal, Seconds: 2}
	if got != want {
		t.Errorf("Read = %+v, want %+v", got, want)
	}
	if len(eng.hints) != 1 || eng.hints[0] != "en-GB" {
		t.Errorf("engine got hints %q, want [en-GB]", eng.hints)
	}
}

// Audio that can never be decoded is ErrBadAudio (joined with the audio
// error) and permanent; the engines are not asked. Engine errors pass
// unchanged; a decoder failure that is not the audio's fault is retryable.
func TestReaderReadErrors(t *testing.T) {
	good := toneWAV(2 * time.Second)
	self, err := os.Executable() // never run: the context is cancelled
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	transient := errors.New("connection refused")
	for _, tc := range []struct {
		name      string
		ctx       context.Context
		dec       audio.Decoder
		data      []byte
		mime      string // default audio/wav
		engineErr error
		want      []error // errors.Is must hold for each
		notBad    bool    // errors.Is(err, ErrBadAudio) must not hold
		permanent bool
		asked     bool // the engine was called
	}{
		{name: "corrupt", data: []byte("RIFF...."), want: []error{ErrBadAudio}, permanent: true},
		{name: "labelled audio, bytes are not", data: []byte("hello there"), want: []error{ErrBadAudio, audio.ErrCorrupt}, permanent: true},
		{name: "empty", data: nil, want: []error{ErrBadAudio, audio.ErrEmpty}, permanent: true},
		{name: "silent", data: audio.EncodeWAV(make([]float32, audio.SampleRate), audio.SampleRate), want: []error{ErrBadAudio, audio.ErrEmpty}, permanent: true},
		{name: "too long", dec: audio.Decoder{MaxDuration: time.Second}, data: good, want: []error{ErrBadAudio, audio.ErrTooLong}, permanent: true},
		{name: "too large", dec: audio.Decoder{MaxBytes: 100}, data: good, want: []error{ErrBadAudio, audio.ErrTooLarge}, permanent: true},
		{name: "decoder cancelled", ctx: cancelled, dec: audio.Decoder{FFmpegPath: self}, data: []byte("OggS\x00\x02 opus"),
			mime: "audio/ogg", want: []error{context.Canceled}, notBad: true},
		{name: "no engine", data: good, engineErr: ErrNoEngine, want: []error{ErrNoEngine}, notBad: true, permanent: true, asked: true},
		{name: "no speech", data: good, engineErr: ErrNoSpeech, want: []error{ErrNoSpeech}, notBad: true, permanent: true, asked: true},
		{name: "refused", data: good, engineErr: Permanent(errors.New("400")), notBad: true, permanent: true, asked: true},
		{name: "engine transient", data: good, engineErr: transient, want: []error{transient}, notBad: true, asked: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := tc.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			mime := tc.mime
			if mime == "" {
				mime = "audio/wav"
			}
			eng := &recordingEngine{name: "fake", err: tc.engineErr}
			got, err := Reader{Decoder: tc.dec, Engines: eng}.Read(ctx, tc.data, mime, "en")
			if err == nil {
				t.Fatalf("Read = %+v, want an error", got)
			}
			for _, w := range tc.want {
				if !errors.Is(err, w) {
					t.Errorf("error %v is not %v", err, w)
				}
			}
			if tc.notBad && errors.Is(err, ErrBadAudio) {
				t.Errorf("error %v is ErrBadAudio", err)
			}
			if IsPermanent(err) != tc.permanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, !tc.permanent, tc.permanent)
			}
			if asked := len(eng.hints) > 0; asked != tc.asked {
				t.Errorf("engine asked = %v, want %v", asked, tc.asked)
			}
		})
	}
}

// CheckNote's statuses and messages are what the API answers at intake.
func TestCheckNote(t *testing.T) {
	good := toneWAV(2 * time.Second)
	for _, tc := range []struct {
		name       string
		dec        audio.Decoder
		data       []byte
		mime       string
		wantStatus int
		wantMsg    string
	}{
		{"fine", audio.Decoder{}, good, "audio/wav", 0, ""},
		{"too large", audio.Decoder{MaxBytes: 100}, good, "audio/wav", 413, "voice note is over the size limit"},
		{"too long", audio.Decoder{MaxDuration: time.Second}, good, "audio/wav", 422, "voice note is longer than the limit"},
		{"empty", audio.Decoder{}, nil, "audio/wav", 422, "voice note is empty or silent"},
		{"silent", audio.Decoder{}, audio.EncodeWAV(make([]float32, audio.SampleRate), audio.SampleRate), "audio/wav", 422, "voice note is empty or silent"},
		{"unsupported", audio.Decoder{}, []byte("hello there"), "text/plain", 422, "audio format not supported (send WAV, OGG/Opus, MP3 or M4A)"},
		{"corrupt", audio.Decoder{}, []byte("hello there"), "audio/wav", 422, "voice note is corrupt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, msg := CheckNote(context.Background(), tc.dec, tc.data, tc.mime)
			if status != tc.wantStatus || msg != tc.wantMsg {
				t.Errorf("CheckNote = %d %q, want %d %q", status, msg, tc.wantStatus, tc.wantMsg)
			}
		})
	}
}

// A decoder failure that is not the audio's fault (here the caller gave up)
// is not vetted at intake: the workflow tries again later.
func TestCheckNoteLetsTransientFailuresThrough(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if status, msg := CheckNote(ctx, audio.Decoder{FFmpegPath: self}, []byte("OggS\x00\x02 opus"), "audio/ogg"); status != 0 || msg != "" {
		t.Errorf("CheckNote = %d %q, want 0", status, msg)
	}
}

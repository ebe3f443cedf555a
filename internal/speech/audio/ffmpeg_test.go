package audio

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"testing"
	"time"
)

// encodeWith turns a WAV into another container with the real ffmpeg, so
// the decode path is tested on what WhatsApp and browsers actually send.
func encodeWith(t testing.TB, wav []byte, args ...string) []byte {
	t.Helper()
	ff, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skip("ffmpeg not on PATH (Debian package ffmpeg): container decoding not exercised")
	}
	cmd := exec.Command(ff, append([]string{"-loglevel", "error", "-i", "pipe:0"}, append(args, "pipe:1")...)...)
	cmd.Stdin = bytes.NewReader(wav)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ffmpeg encode %v: %v: %s", args, err, stderr.String())
	}
	return out
}

func TestDecodeContainersViaFFmpeg(t *testing.T) {
	wav := wavBytes(wavPCM, 2, 48000, 16, tone(440, 48000, 2*time.Second, 0.5))
	for _, tc := range []struct {
		name string
		args []string
		want Format
	}{
		{"whatsapp ogg/opus", []string{"-c:a", "libopus", "-b:a", "24k", "-f", "ogg"}, Ogg},
		{"mp3", []string{"-c:a", "libmp3lame", "-f", "mp3"}, MP3},
		{"webm/opus", []string{"-c:a", "libopus", "-f", "webm"}, WebM},
		{"flac", []string{"-f", "flac"}, FLAC},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := encodeWith(t, wav, tc.args...)
			clip, err := Decode(context.Background(), data, "application/octet-stream")
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if clip.Source != tc.want {
				t.Errorf("Source = %q, want %q", clip.Source, tc.want)
			}
			if d := clip.Duration(); d < 1900*time.Millisecond || d > 2100*time.Millisecond {
				t.Errorf("Duration = %s, want ~2s", d)
			}
			if r := rms(clip.Samples[4000 : len(clip.Samples)-4000]); r < 0.3 || r > 0.4 {
				t.Errorf("RMS = %.3f, want ~0.354", r)
			}
		})
	}
}

func TestDecodeFFmpegErrors(t *testing.T) {
	long := encodeWith(t, wavBytes(wavPCM, 1, 16000, 16, tone(440, 16000, 3*time.Second, 0.5)), "-c:a", "libopus", "-f", "ogg")
	corrupt := append([]byte("OggS"), bytes.Repeat([]byte{0x5a}, 200)...)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		dec  Decoder
		data []byte
		want error
	}{
		{"too long", context.Background(), Decoder{MaxDuration: time.Second}, long, ErrTooLong},
		{"corrupt ogg", context.Background(), Decoder{}, corrupt, ErrCorrupt},
		{"cancelled", ctx, Decoder{}, long, context.Canceled},
		{"timeout", context.Background(), Decoder{FFmpegTimeout: time.Nanosecond}, long, context.DeadlineExceeded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.dec.Decode(tc.ctx, tc.data, "audio/ogg")
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

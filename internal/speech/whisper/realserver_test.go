package whisper

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/speech"
	"github.com/harbordesk/harbordesk/internal/speech/whisper/whispertest"
)

// realServer starts the whisper-server built by scripts/whisper/build.sh
// on a generated zero-weight tiny model, or skips when it is not built.
func realServer(tb testing.TB) *Supervisor {
	tb.Helper()
	bin := os.Getenv("HARBORDESK_WHISPER_SERVER")
	if bin == "" {
		bin, _ = filepath.Abs(filepath.Join("..", "..", "..", DefaultBinary))
	}
	if _, err := os.Stat(bin); err != nil {
		tb.Skipf("whisper-server not built (%s missing; run scripts/whisper/build.sh): real whisper.cpp path not exercised", DefaultBinary)
	}
	model := filepath.Join(tb.TempDir(), "ggml-tiny-zero.bin")
	if err := whispertest.WriteZeroTiny(model); err != nil {
		tb.Fatal(err)
	}
	s, err := New(Config{Binary: bin, Model: model, Threads: 2, StartTimeout: 2 * time.Minute, HealthInterval: time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = s.Run(ctx); close(done) }()
	tb.Cleanup(func() { cancel(); <-done })
	wctx, wcancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer wcancel()
	if err := s.WaitReady(wctx); err != nil {
		tb.Fatalf("whisper-server never healthy with the zero tiny model: %v", err)
	}
	return s
}

// TestRealWhisperServerZeroModel: the real server loads a tiny-shaped model
// and answers the OpenAI protocol. Zero weights hear nothing meaningful, so
// the only acceptable outcomes are some text or ErrNoSpeech.
func TestRealWhisperServerZeroModel(t *testing.T) {
	s := realServer(t)
	e := speech.NewHTTP(s.BaseURL(), "whisper.cpp", "", speech.WithResponseFormat("verbose_json"),
		speech.WithTimeout(2*time.Minute), speech.WithRetries(1, 0))
	tr, err := e.Transcribe(context.Background(), clip(), "")
	if err != nil && !errors.Is(err, speech.ErrNoSpeech) {
		t.Fatalf("Transcribe: %v", err)
	}
	t.Logf("zero model heard %q (language %q)", tr.Text, tr.Language)
	// A timeout shorter than inference is a retryable error, not a hang.
	short := speech.NewHTTP(s.BaseURL(), "whisper.cpp", "", speech.WithTimeout(time.Millisecond), speech.WithRetries(1, 0))
	if _, err := short.Transcribe(context.Background(), clip(), "en"); err == nil || speech.IsPermanent(err) {
		t.Errorf("1 ms timeout: err = %v, want retryable", err)
	}
	if !s.Healthy() {
		t.Error("server unhealthy after requests")
	}
}

func BenchmarkRealWhisperServerZeroModel(b *testing.B) {
	s := realServer(b)
	e := speech.NewHTTP(s.BaseURL(), "whisper.cpp", "", speech.WithTimeout(2*time.Minute), speech.WithRetries(1, 0))
	c := clip()
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.Transcribe(context.Background(), c, "en"); err != nil && !errors.Is(err, speech.ErrNoSpeech) {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/c.Duration().Seconds(), "RTF")
}

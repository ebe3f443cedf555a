package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/speech/whisper"
)

// whisperReadyWait bounds how long start-up waits for the managed
// whisper-server to load its model; past it the supervisor keeps trying in
// the background and voice notes retry until it answers.
const whisperReadyWait = 90 * time.Second

// startWhisper starts the managed whisper.cpp server when
// HARBORDESK_WHISPER_MODEL is set (binary: HARBORDESK_WHISPER_BIN, default
// .tools/whisper/bin/whisper-server from `make whisper`), supervised until
// ctx ends, waits (bounded) for its model to load, prints one line and
// returns its OpenAI-style base URL; "" when off or when it cannot start.
func startWhisper(ctx context.Context, cfg config.Config, log *slog.Logger) string {
	if cfg.WhisperModel == "" {
		return ""
	}
	bin := os.Getenv("HARBORDESK_WHISPER_BIN")
	if bin == "" {
		bin = whisper.DefaultBinary
	}
	model := filepath.Base(cfg.WhisperModel) // file name only in logs
	sup, err := whisper.New(whisper.Config{Binary: bin, Model: cfg.WhisperModel,
		StartTimeout: whisperReadyWait, Logger: log.With("component", "whisper")})
	switch {
	case errors.Is(err, whisper.ErrNoBinary):
		log.Error("whisper: whisper-server not found; run make whisper (or set HARBORDESK_WHISPER_BIN); voice notes use the other engines",
			"binary", bin)
		return ""
	case err != nil:
		log.Error("whisper: not started; voice notes use the other engines", "err", err.Error())
		return ""
	}
	go func() { _ = sup.Run(ctx) }()

	t0 := time.Now()
	switch waitWhisper(ctx, sup, whisperReadyWait) {
	case whisperReady:
		say("whisper   %s (whisper.cpp, model %s, ready in %s)", sup.BaseURL(), model, time.Since(t0).Round(time.Millisecond))
	case whisperFailed:
		log.Warn("whisper: whisper-server failed to start (bad model file?); the supervisor keeps retrying with backoff",
			"model", model)
	case whisperSlow:
		if ctx.Err() != nil {
			return "" // shutting down while the model loaded
		}
		log.Warn("whisper: whisper-server not ready yet; still loading in the background (voice notes retry meanwhile)",
			"model", model, "waited", time.Since(t0).Round(time.Millisecond).String())
	}
	// The URL is used even when not ready: the supervisor keeps the server
	// coming up, and a refused connection is a retryable transcription error.
	return sup.BaseURL()
}

type whisperStart int

const (
	whisperReady whisperStart = iota
	whisperFailed
	whisperSlow
)

// waitWhisper waits for the first healthy answer, returning early when the
// first start already failed (the process exited or hung) or ctx ends.
func waitWhisper(ctx context.Context, sup *whisper.Supervisor, bound time.Duration) whisperStart {
	wctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if sup.Healthy() {
			return whisperReady
		}
		if sup.Restarts() > 0 {
			return whisperFailed
		}
		select {
		case <-wctx.Done():
			return whisperSlow
		case <-tick.C:
		}
	}
}

package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/harbordesk/harbordesk/internal/config"
)

// TestStartWhisperWithoutAServer covers every way startWhisper does not get
// a healthy server; the healthy path runs in e2e/voice_test.go against the
// real whisper-server.
func TestStartWhisperWithoutAServer(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "ggml-test.bin")
	if err := os.WriteFile(model, []byte("not a model"), 0o600); err != nil {
		t.Fatal(err)
	}
	crashing := filepath.Join(dir, "whisper-server")
	if err := os.WriteFile(crashing, []byte("#!/bin/sh\nexit 3\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, model, bin string
		wantURL          bool
		wantLog          string
	}{
		{name: "off without a model"},
		{name: "binary missing", model: model, bin: filepath.Join(dir, "absent"), wantLog: "run make whisper"},
		{name: "model missing", model: filepath.Join(dir, "absent.bin"), bin: crashing, wantLog: "not started"},
		{name: "server exits at once", model: model, bin: crashing, wantURL: true, wantLog: "failed to start"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("HARBORDESK_WHISPER_BIN", tc.bin)
			var logs bytes.Buffer
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			url := startWhisper(ctx, config.Config{WhisperModel: tc.model}, slog.New(slog.NewTextHandler(&logs, nil)))
			if got := strings.HasPrefix(url, "http://127.0.0.1:") && strings.HasSuffix(url, "/v1"); got != tc.wantURL || (!tc.wantURL && url != "") {
				t.Errorf("url = %q, want a loopback base URL: %v", url, tc.wantURL)
			}
			if !strings.Contains(logs.String(), tc.wantLog) {
				t.Errorf("log %q does not say %q", logs.String(), tc.wantLog)
			}
			if tc.model != "" && strings.Contains(logs.String(), tc.model) {
				t.Errorf("log names the model path: %q", logs.String())
			}
		})
	}
}

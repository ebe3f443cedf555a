package main

import (
	"context"
	"log/slog"

	"github.com/harbordesk/harbordesk/internal/config"
)

// startWhisper is owned by the voice work (issue 6): it starts the managed
// whisper.cpp server when HARBORDESK_WHISPER_MODEL is set and returns its
// base URL ("" when off).
func startWhisper(ctx context.Context, cfg config.Config, log *slog.Logger) string { return "" }

// Package temporalx dials Temporal the way every Harbordesk role needs it:
// encrypted payloads and failures (internal/codec), OpenTelemetry tracing
// across client and worker, and a quiet slog logger.
package temporalx

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/contrib/opentelemetry"
	"go.temporal.io/sdk/interceptor"
	tlog "go.temporal.io/sdk/log"

	"github.com/harbordesk/harbordesk/internal/codec"
)

// Dial connects to the frontend at address, retrying briefly while a
// just-started server comes up.
func Dial(ctx context.Context, address, namespace string, ring *codec.Keyring, log *slog.Logger) (client.Client, error) {
	tracer, err := opentelemetry.NewTracingInterceptor(opentelemetry.TracerOptions{})
	if err != nil {
		return nil, err
	}
	dc := codec.DataConverter(ring)
	opts := client.Options{
		HostPort:         address,
		Namespace:        namespace,
		DataConverter:    dc,
		FailureConverter: codec.FailureConverter(dc),
		Interceptors:     []interceptor.ClientInterceptor{tracer},
		Logger:           tlog.NewStructuredLogger(slog.New(levelFloor{log.Handler(), slog.LevelWarn})),
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := client.DialContext(ctx, opts)
		if err == nil {
			return c, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return nil, fmt.Errorf("cannot reach Temporal at %s (TEMPORAL_ADDRESS): %w", address, err)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// levelFloor drops records below a level: the SDK logs a DEBUG line per
// activity otherwise.
type levelFloor struct {
	slog.Handler
	min slog.Level
}

func (l levelFloor) Enabled(ctx context.Context, lv slog.Level) bool {
	return lv >= l.min && l.Handler.Enabled(ctx, lv)
}

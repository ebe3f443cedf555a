// Package temporalx dials Temporal the way every Harbordesk role needs it:
// encrypted payloads and failures (internal/codec), OpenTelemetry tracing
// across client and worker, a quiet slog logger, and for a secured cluster
// TLS (mTLS with a client certificate) or a Temporal Cloud API key.
package temporalx

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/contrib/opentelemetry"
	"go.temporal.io/sdk/interceptor"
	tlog "go.temporal.io/sdk/log"

	"github.com/harbordesk/harbordesk/internal/codec"
	"github.com/harbordesk/harbordesk/internal/telemetry"
)

// Conn says where the Temporal frontend is and how to reach it securely.
type Conn struct {
	Address   string // TEMPORAL_ADDRESS
	Namespace string // TEMPORAL_NAMESPACE
	Security
}

// Dial connects to the frontend, retrying briefly while a just-started
// server comes up. A TLS or credential problem is not retried: it fails at
// once with one line naming the variable to fix.
func Dial(ctx context.Context, conn Conn, ring *codec.Keyring, log *slog.Logger) (client.Client, error) {
	// Spans for workflows and activities only when traces go somewhere: the
	// interceptor otherwise still builds a span and a header per call.
	var interceptors []interceptor.ClientInterceptor
	if telemetry.TracingEnabled() {
		tracer, err := opentelemetry.NewTracingInterceptor(opentelemetry.TracerOptions{})
		if err != nil {
			return nil, err
		}
		interceptors = append(interceptors, tracer)
	}
	tlsCfg, err := conn.TLS()
	if err != nil {
		return nil, err
	}
	creds, err := conn.credentials()
	if err != nil {
		return nil, err
	}
	dc := codec.DataConverter(ring)
	opts := client.Options{
		HostPort:         conn.Address,
		Namespace:        conn.Namespace,
		DataConverter:    dc,
		FailureConverter: codec.FailureConverter(dc),
		Interceptors:     interceptors,
		Logger:           tlog.NewStructuredLogger(slog.New(levelFloor{log.Handler(), slog.LevelWarn})),
		// No gRPC gzip: every payload is AES-GCM ciphertext (internal/codec),
		// which does not compress, so gzip only spent CPU on both ends
		// (about 5% of a dev instance's CPU under the bench).
		ConnectionOptions: client.ConnectionOptions{TLS: tlsCfg, GrpcCompression: &client.GrpcCompressionNone{}},
		Credentials:       creds,
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := client.DialContext(ctx, opts)
		if err == nil {
			return c, nil
		}
		if fatal := securityError(conn, err); fatal != nil {
			return nil, fatal
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return nil, fmt.Errorf("cannot reach Temporal at %s (TEMPORAL_ADDRESS): %w", conn.Address, err)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// securityError turns a dial error caused by TLS or credentials into one
// line naming the variable at fault; nil for anything a retry may cure.
func securityError(conn Conn, err error) error {
	msg := err.Error()
	at := conn.Address
	switch {
	case strings.Contains(msg, "certificate signed by unknown authority"), strings.Contains(msg, "x509: certificate is not"):
		return fmt.Errorf("TEMPORAL_TLS_CA: the Temporal frontend at %s presented a certificate this CA did not sign", at)
	case strings.Contains(msg, "x509: certificate is valid for"):
		return fmt.Errorf("TEMPORAL_TLS_SERVER_NAME: the Temporal frontend at %s presented a certificate for another name (%s)", at, afterLast(msg, "x509: "))
	case strings.Contains(msg, "first record does not look like a TLS handshake"):
		return fmt.Errorf("TEMPORAL_TLS_CA: the Temporal frontend at %s does not speak TLS; unset the TEMPORAL_TLS_* settings or enable TLS on the cluster", at)
	case strings.Contains(msg, "certificate required"), strings.Contains(msg, "bad certificate"), strings.Contains(msg, "unknown certificate authority"):
		return fmt.Errorf("TEMPORAL_TLS_CERT: the Temporal frontend at %s refused the client certificate", at)
	}
	if s, ok := status.FromError(err); ok && (s.Code() == codes.Unauthenticated || s.Code() == codes.PermissionDenied) {
		if conn.APIKey != "" {
			return fmt.Errorf("TEMPORAL_API_KEY: Temporal at %s refused the API key for namespace %s", at, conn.Namespace)
		}
		return fmt.Errorf("TEMPORAL_TLS_CERT: Temporal at %s refused this client for namespace %s", at, conn.Namespace)
	}
	return nil
}

func afterLast(s, sep string) string {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[i+len(sep):]
	}
	return s
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

package pii

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

type phoneStringer struct{}

func (phoneStringer) String() string { return "tel 9876 5432" }

func TestSlogHandlerMasks(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(NewSlogHandler(slog.NewJSONHandler(&buf, nil)))
	log = log.With("customer_email", "wong@example.org").WithGroup("msg")
	log.Info("customer C246810(5) wrote",
		"text", "call 9876 5432",
		"err", errors.New("bad card 4111 1111 1111 1111"),
		"who", phoneStringer{},
		"raw", []byte("a@b.hk"),
		"list", []string{"2345-6789", "ok"},
		slog.Group("addr", "zh", "軒尼詩道123號5樓A室"),
		"count", 3,
	)
	out := buf.String()
	for _, secret := range []string{"C246810", "9876 5432", "wong@example.org", "4111 1111", "a@b.hk", "2345-6789", "軒尼詩道123號"} {
		if strings.Contains(out, secret) {
			t.Errorf("log line holds %q: %s", secret, out)
		}
	}
	for _, kept := range []string{"[HKID]", "[PHONE]", "[EMAIL]", "[CARD]", "[ADDRESS]", `"count":3`, `"ok"`} {
		if !strings.Contains(out, kept) {
			t.Errorf("log line lacks %q: %s", kept, out)
		}
	}
}

func TestSlogHandlerEnabled(t *testing.T) {
	h := NewSlogHandler(slog.NewTextHandler(&bytes.Buffer{}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if h.Enabled(context.Background(), slog.LevelInfo) || !h.Enabled(context.Background(), slog.LevelError) {
		t.Error("Enabled does not follow the wrapped handler")
	}
}

// Attributes bound in several steps are masked when the first record is
// handled, keep their order and groups, and loggers that never log mask
// nothing; concurrent first records mask once.
func TestSlogHandlerLazyAttrs(t *testing.T) {
	var buf bytes.Buffer
	base := slog.New(NewSlogHandler(slog.NewJSONHandler(&buf, nil)))
	for range 1000 {
		_ = base.With("workflow_id", "contact/whatsapp/85291234567") // never logs
	}
	if buf.Len() != 0 {
		t.Fatalf("a logger that never logged wrote %q", buf.String())
	}
	log := base.With("a", "wong@example.org").With("b", "call 9876 5432").WithGroup("g").With("c", "ok")
	done := make(chan struct{})
	for range 4 {
		go func() { log.Info("x"); done <- struct{}{} }()
	}
	for range 4 {
		<-done
	}
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if !strings.Contains(line, `"a":"[EMAIL]","b":"call [PHONE]","g":{"c":"ok"}`) {
			t.Errorf("line %s: want the bound attributes masked, in order, grouped", line)
		}
	}
}

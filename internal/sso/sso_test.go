package sso

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// The flow cookie opens only unaltered, under the same key, before expiry.
func TestFlowCookie(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	p := &Provider{key: []byte("0123456789abcdef0123456789abcdef"), now: func() time.Time { return now }}
	c, err := p.seal(flow{State: "s1", Nonce: "n1", Verifier: "v1", Expires: now.Add(FlowTTL).Unix()})
	if err != nil {
		t.Fatal(err)
	}
	if f, err := p.open(c); err != nil || f.State != "s1" || f.Verifier != "v1" {
		t.Fatalf("open: %+v %v", f, err)
	}
	body, sig, _ := strings.Cut(c, ".")
	other := &Provider{key: []byte("another-key-another-key-another!"), now: p.now}
	for name, bad := range map[string]string{
		"tampered body": strings.ToUpper(body[:4]) + body[4:] + "." + sig,
		"no signature":  body,
		"empty":         "",
	} {
		if _, err := p.open(bad); !errors.Is(err, ErrFlow) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := other.open(c); !errors.Is(err, ErrFlow) {
		t.Error("opened under another key")
	}
	now = now.Add(FlowTTL + time.Second)
	if _, err := p.open(c); !errors.Is(err, ErrFlow) {
		t.Error("opened after expiry")
	}
	// Finish refuses a state that is not the cookie's before any exchange.
	if _, err := p.Finish(context.Background(), c, "s1", "code"); !errors.Is(err, ErrFlow) {
		t.Errorf("expired flow finished: %v", err)
	}
}

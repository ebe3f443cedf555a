package chatsession

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
	"time"
)

var key = bytes.Repeat([]byte("k"), 32)

func newSigner(t *testing.T, now *time.Time) *Signer {
	t.Helper()
	s, err := New(key, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return *now }
	return s
}

func TestIssueVerifyRoundTrip(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	s := newSigner(t, &now)
	tok, c := s.Issue(Claims{ConversationID: "wc-abc", CustomerID: "anon-xyz", Verified: true})
	if !c.ExpiresAt.Equal(now.Add(time.Hour)) {
		t.Errorf("ExpiresAt = %v", c.ExpiresAt)
	}
	got, err := s.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	if got.ConversationID != "wc-abc" || got.CustomerID != "anon-xyz" || !got.Verified || !got.ExpiresAt.Equal(c.ExpiresAt) {
		t.Errorf("claims = %+v", got)
	}
}

func TestVerifyRejects(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	s := newSigner(t, &now)
	tok, _ := s.Issue(Claims{ConversationID: "wc-abc", CustomerID: "anon-xyz"})
	other, _ := New(bytes.Repeat([]byte("o"), 32), time.Hour)
	otherTok, _ := other.Issue(Claims{ConversationID: "wc-abc", CustomerID: "anon-xyz"})

	// Re-sign nothing, but swap the claims for a verified customer's.
	_, sig, _ := strings.Cut(strings.TrimPrefix(tok, prefix), ".")
	forgedClaims := prefix + base64.RawURLEncoding.EncodeToString([]byte(`{"c":"wc-abc","u":"vip-1","v":true,"e":9999999999}`)) + "." + sig

	cases := map[string]string{
		"empty":             "",
		"garbage":           "not-a-token",
		"prefix only":       prefix,
		"appended byte":     tok + "x",
		"truncated":         tok[:len(tok)-2],
		"other key":         otherTok,
		"swapped claims":    forgedClaims,
		"no signature":      strings.TrimSuffix(tok, "."+sig),
		"huge":              prefix + strings.Repeat("A", 5000) + "." + sig,
		"wrong version":     strings.Replace(tok, prefix, "hds2.", 1),
		"signature padding": tok + "==",
	}
	for name, tk := range cases {
		if _, err := s.Verify(tk); err != ErrInvalid {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
}

func TestVerifyExpiry(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	s := newSigner(t, &now)
	tok, _ := s.Issue(Claims{ConversationID: "wc-abc", CustomerID: "anon-xyz"})
	now = now.Add(time.Hour - time.Second)
	if _, err := s.Verify(tok); err != nil {
		t.Fatalf("a second before expiry: %v", err)
	}
	now = now.Add(time.Second)
	if _, err := s.Verify(tok); err != ErrExpired {
		t.Fatalf("at expiry: err = %v, want ErrExpired", err)
	}
}

func TestNewRejectsWeakSettings(t *testing.T) {
	if _, err := New([]byte("short"), time.Hour); err == nil {
		t.Error("short key accepted")
	}
	if _, err := New(key, 0); err == nil {
		t.Error("zero ttl accepted")
	}
}

func TestRandomID(t *testing.T) {
	a, b := RandomID("wc-"), RandomID("wc-")
	if a == b || len(a) != 25 || !strings.HasPrefix(a, "wc-") {
		t.Errorf("RandomID: %q %q", a, b)
	}
	for _, r := range a[3:] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			t.Errorf("RandomID %q has %q", a, r)
		}
	}
}

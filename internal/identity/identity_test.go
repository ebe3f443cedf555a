package identity

import (
	"strings"
	"testing"
)

func TestHashWorkedExample(t *testing.T) {
	// The README's worked example: printf %s cust-1001 | openssl dgst -sha256 -hmac s3cret
	want := "2d8ba217dbac645310efeffd521258d58aefa564b740c8a6800a5c9148471598"
	if got := Hash([]byte("s3cret"), "cust-1001"); got != want {
		t.Fatalf("Hash = %q, want %q", got, want)
	}
}

func TestVerify(t *testing.T) {
	secret := []byte("trust-identity-secret")
	good := Hash(secret, "vip-1")
	tests := []struct {
		name     string
		secret   []byte
		id, hash string
		want     bool
	}{
		{"valid", secret, "vip-1", good, true},
		{"uppercase hex", secret, "vip-1", strings.ToUpper(good), true},
		{"other customer", secret, "vip-2", good, false},
		{"zeros", secret, "vip-1", strings.Repeat("00", 32), false},
		{"short", secret, "vip-1", good[:62], false},
		{"not hex", secret, "vip-1", "zz" + good[2:], false},
		{"empty hash", secret, "vip-1", "", false},
		{"no secret configured", nil, "vip-1", Hash(nil, "vip-1"), false},
		{"other secret", []byte("other"), "vip-1", good, false},
	}
	for _, tt := range tests {
		if got := Verify(tt.secret, tt.id, tt.hash); got != tt.want {
			t.Errorf("%s: Verify = %v, want %v", tt.name, got, tt.want)
		}
	}
}

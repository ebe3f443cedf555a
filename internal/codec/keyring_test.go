package codec

import (
	"encoding/base64"
	"strings"
	"testing"
)

func b64(b byte) string {
	key := make([]byte, keySize)
	for i := range key {
		key[i] = b + byte(i)
	}
	return base64.StdEncoding.EncodeToString(key)
}

func TestParseKeyring(t *testing.T) {
	single := b64(1)
	cases := []struct {
		name     string
		in       string
		activeID string
		ids      int
	}{
		{"single bare key gets derived id", single, derivedIDOf(t, single), 1},
		{"bare key with spaces", "  " + single + "\n", derivedIDOf(t, single), 1},
		{"raw url base64", strings.TrimRight(base64.URLEncoding.EncodeToString(mustKey(t, b64(2))), "="), derivedIDOf(t, b64(2)), 1},
		{"keyring first is active", "new:" + b64(2) + ",old:" + b64(1), "new", 2},
		{"keyring mixing named and bare", "v2:" + b64(2) + "," + single, "v2", 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k, err := ParseKeyring(c.in)
			if err != nil {
				t.Fatalf("ParseKeyring: %v", err)
			}
			if k.ActiveID() != c.activeID {
				t.Errorf("ActiveID = %q, want %q", k.ActiveID(), c.activeID)
			}
			if len(k.IDs()) != c.ids {
				t.Errorf("IDs = %v, want %d", k.IDs(), c.ids)
			}
		})
	}
}

func TestParseKeyringErrors(t *testing.T) {
	short := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef")) // 16 bytes
	cases := []struct {
		name, in, want string
	}{
		{"empty", "", "is empty"},
		{"blank", "   ", "is empty"},
		{"not base64", "not-base64-@@@", "not valid base64"},
		{"too short", short, "16 bytes, want 32"},
		{"empty entry", b64(1) + ",", "entry 2 is empty"},
		{"bad id", "bad id:" + b64(1), "invalid key ID"},
		{"empty id", ":" + b64(1), "invalid key ID"},
		{"duplicate id", "a:" + b64(1) + ",a:" + b64(2), "repeats key ID"},
		{"bad second entry", "a:" + b64(1) + ",b:" + short, "entry 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseKeyring(c.in)
			if err == nil {
				t.Fatal("want error")
			}
			msg := err.Error()
			if !strings.Contains(msg, EnvVar) {
				t.Errorf("error %q does not name %s", msg, EnvVar)
			}
			if !strings.Contains(msg, c.want) {
				t.Errorf("error %q does not contain %q", msg, c.want)
			}
			for _, secret := range []string{short, b64(1), b64(2), "not-base64-@@@"} {
				if c.in != "" && strings.Contains(msg, secret) {
					t.Errorf("error echoes key material: %q", msg)
				}
			}
		})
	}
}

func mustKey(t *testing.T, s string) []byte {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func derivedIDOf(t *testing.T, s string) string { return derivedID(mustKey(t, s)) }

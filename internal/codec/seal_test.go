package codec

import (
	"bytes"
	"encoding/base64"
	"errors"
	"testing"
)

func TestSealOpen(t *testing.T) {
	ring, err := ParseKeyring(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte("RIFF voice note 9876 5432")
	id, sealed, err := ring.Seal(plain, []byte("ct_1"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("9876")) {
		t.Fatal("plaintext visible in sealed bytes")
	}
	got, err := ring.Open(id, sealed, []byte("ct_1"))
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := ring.Open(id, sealed, []byte("ct_2")); !errors.Is(err, ErrSealed) {
		t.Fatalf("wrong aad: %v, want ErrSealed", err)
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := ring.Open(id, sealed, []byte("ct_1")); !errors.Is(err, ErrSealed) {
		t.Fatalf("tampered: %v, want ErrSealed", err)
	}
	if _, err := ring.Open("nope", sealed, nil); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("unknown key: %v", err)
	}
	if _, err := ring.Open(id, []byte{1, 2}, nil); !errors.Is(err, ErrSealed) {
		t.Fatalf("short: %v", err)
	}
}

func TestPseudonymKeyStableAcrossRotation(t *testing.T) {
	old := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32))
	next := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{2}, 32))
	a, err := ParseKeyring(old)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseKeyring("new:" + next + "," + old)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseKeyring(next)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.PseudonymKey(), b.PseudonymKey()) {
		t.Error("rotation changed the pseudonym key")
	}
	if bytes.Equal(a.PseudonymKey(), c.PseudonymKey()) || len(a.PseudonymKey()) != 32 {
		t.Error("different rings must give different 32-byte pseudonym keys")
	}
	if bytes.Contains(a.PseudonymKey(), bytes.Repeat([]byte{1}, 8)) {
		t.Error("pseudonym key exposes the data key")
	}
}

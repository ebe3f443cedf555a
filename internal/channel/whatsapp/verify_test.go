package whatsapp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/url"
	"testing"
)

func sign(body []byte, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func TestVerifyHandshake(t *testing.T) {
	q := func(mode, token, challenge string) url.Values {
		v := url.Values{}
		v.Set("hub.mode", mode)
		v.Set("hub.verify_token", token)
		v.Set("hub.challenge", challenge)
		return v
	}
	tests := []struct {
		name   string
		query  url.Values
		token  string
		want   string
		wantOK bool
	}{
		{"matching token", q("subscribe", "s3cret", "4242"), "s3cret", "4242", true},
		{"wrong token", q("subscribe", "nope", "4242"), "s3cret", "", false},
		{"wrong mode", q("unsubscribe", "s3cret", "4242"), "s3cret", "", false},
		{"no challenge", q("subscribe", "s3cret", ""), "s3cret", "", false},
		{"unconfigured token never matches", q("subscribe", "", "4242"), "", "", false},
		{"empty query", url.Values{}, "s3cret", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := VerifyHandshake(tt.query, tt.token)
			if got != tt.want || ok != tt.wantOK {
				t.Fatalf("VerifyHandshake = %q, %v; want %q, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestVerifySignature(t *testing.T) {
	body := []byte(`{"object":"whatsapp_business_account"}`)
	good := sign(body, "app-secret")
	tests := []struct {
		name    string
		body    []byte
		header  string
		secret  string
		wantErr error
	}{
		{"good", body, good, "app-secret", nil},
		{"good with spaces", body, "  " + good + " ", "app-secret", nil},
		{"missing", body, "", "app-secret", ErrSignatureMissing},
		{"no prefix", body, good[len("sha256="):], "app-secret", ErrSignatureMalformed},
		{"sha1 prefix", body, "sha1=" + good[len("sha256="):], "app-secret", ErrSignatureMalformed},
		{"short", body, "sha256=00", "app-secret", ErrSignatureMalformed},
		{"not hex", body, "sha256=" + string(make([]byte, 64)), "app-secret", ErrSignatureMalformed},
		{"wrong secret", body, sign(body, "other"), "app-secret", ErrSignatureMismatch},
		{"tampered body", []byte(`{"object":"x"}`), good, "app-secret", ErrSignatureMismatch},
		{"empty secret", body, sign(body, ""), "", ErrSignatureMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := VerifySignature(tt.body, tt.header, tt.secret)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("VerifySignature = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func BenchmarkVerifySignature(b *testing.B) {
	body := make([]byte, 2048)
	h := sign(body, "app-secret")
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if err := VerifySignature(body, h, "app-secret"); err != nil {
			b.Fatal(err)
		}
	}
}

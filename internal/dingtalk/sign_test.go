package dingtalk

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Vectors computed independently with
//
//	printf '%s\n%s' "$ts" "$secret" | openssl dgst -sha256 -hmac "$secret" -binary | base64
var vectors = []struct {
	secret string
	ts     int64
	sign   string
}{
	{"this is secret", 1577262236757, "hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM="},
	{"this is secret", 1700000000000, "sSFWELbV2YwjdDQhWZwTcWlX5BWUx5J6TPpsZmuPii0="},
	{"SECabc+/=", 1700000000000, "ZG3cBQiDq62/xkwVduhittJkmG/G0fVwWonSJ5Ju/2Q="},
}

func TestSignVectors(t *testing.T) {
	for _, v := range vectors {
		if got := Sign(v.secret, v.ts); got != v.sign {
			t.Errorf("Sign(%q, %d) = %s, want %s", v.secret, v.ts, got, v.sign)
		}
	}
}

func TestSignedURL(t *testing.T) {
	now := time.UnixMilli(1577262236757)
	got, err := SignedURL("https://oapi.dingtalk.com/robot/send?access_token=tok123", "this is secret", now)
	if err != nil {
		t.Fatal(err)
	}
	// '+', '/' and '=' must be percent-encoded, as DingTalk's urlEncode does.
	want := "https://oapi.dingtalk.com/robot/send?access_token=tok123&sign=hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D&timestamp=1577262236757"
	if got != want {
		t.Fatalf("SignedURL =\n %s\nwant\n %s", got, want)
	}
	// Re-signing replaces, never duplicates, timestamp and sign.
	again, err := SignedURL(got, "this is secret", now.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(again)
	q := u.Query()
	if len(q["timestamp"]) != 1 || len(q["sign"]) != 1 || q.Get("timestamp") != "1577262237757" ||
		q.Get("sign") != Sign("this is secret", 1577262237757) {
		t.Fatalf("re-signed query = %v", q)
	}
}

func TestSignedURLErrors(t *testing.T) {
	now := time.UnixMilli(1700000000000)
	tests := []struct {
		name, webhook, secret string
		want                  error
	}{
		{"no secret", "https://x/robot/send?access_token=t", "", ErrNoSecret},
		{"unparsable", "https://x/%zz?access_token=t", "s", ErrBadWebhookBase},
		{"bad query", "https://x/robot/send?access_token=t;%zz", "s", ErrBadWebhookBase},
		{"relative", "/robot/send?access_token=t", "s", ErrBadWebhook},
		{"ftp", "ftp://x/robot/send?access_token=t", "s", ErrBadWebhook},
		{"no token", "https://x/robot/send", "s", ErrNoAccessToken},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := SignedURL(tc.webhook, tc.secret, now)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if strings.Contains(err.Error(), "access_token=") {
				t.Fatalf("error leaks the webhook: %v", err)
			}
		})
	}
}

func TestVerifyCallback(t *testing.T) {
	const secret = "this is secret"
	ts := int64(1700000000000)
	sign := Sign(secret, ts)
	at := time.UnixMilli(ts)
	tests := []struct {
		name, secret, ts, sign string
		now                    time.Time
		want                   error
	}{
		{"valid", secret, "1700000000000", sign, at, nil},
		{"valid 59m late", secret, "1700000000000", sign, at.Add(59 * time.Minute), nil},
		{"valid 1h early (clock skew)", secret, "1700000000000", sign, at.Add(-time.Hour), nil},
		{"known vector", "SECabc+/=", "1700000000000", "ZG3cBQiDq62/xkwVduhittJkmG/G0fVwWonSJ5Ju/2Q=", at, nil},
		{"stale", secret, "1700000000000", sign, at.Add(time.Hour + time.Millisecond), ErrStaleTimestamp},
		{"future", secret, "1700000000000", sign, at.Add(-time.Hour - time.Millisecond), ErrStaleTimestamp},
		{"wrong secret", "other", "1700000000000", sign, at, ErrBadSignature},
		{"tampered timestamp", secret, "1700000000001", sign, at, ErrBadSignature},
		{"url-encoded sign is not the header form", secret, "1700000000000", url.QueryEscape(sign), at, ErrBadSignature},
		{"missing sign", secret, "1700000000000", "", at, ErrMissingSignature},
		{"missing timestamp", secret, "", sign, at, ErrMissingSignature},
		{"seconds not ms", secret, "abc", sign, at, ErrBadTimestamp},
		{"negative", secret, "-5", sign, at, ErrBadTimestamp},
		{"no app secret", "", "1700000000000", sign, at, ErrNoAppSecret},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := VerifyCallback(tc.secret, tc.ts, tc.sign, tc.now); !errors.Is(err, tc.want) {
				t.Fatalf("VerifyCallback = %v, want %v", err, tc.want)
			}
		})
	}
}

func BenchmarkSign(b *testing.B) {
	for b.Loop() {
		Sign("SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd", 1700000000000)
	}
}

func BenchmarkVerifyCallback(b *testing.B) {
	const secret = "SEC0123456789abcdef"
	sign := Sign(secret, 1700000000000)
	now := time.UnixMilli(1700000000000)
	for b.Loop() {
		if err := VerifyCallback(secret, "1700000000000", sign, now); err != nil {
			b.Fatal(err)
		}
	}
}

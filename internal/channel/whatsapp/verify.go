package whatsapp

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/url"
	"strings"
)

// SignatureHeader is the header Meta signs every webhook delivery with.
const SignatureHeader = "X-Hub-Signature-256"

// Signature errors. All of them mean "reject the delivery with 401".
var (
	ErrSignatureMissing   = errors.New("whatsapp: signature header missing")
	ErrSignatureMalformed = errors.New("whatsapp: signature header malformed")
	ErrSignatureMismatch  = errors.New("whatsapp: signature mismatch")
)

// VerifyHandshake answers Meta's subscription check
// (GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…). It returns
// the challenge to echo back when the mode is "subscribe" and the token
// matches verifyToken (compared in constant time). An empty verifyToken never
// matches, so an unconfigured desk cannot be subscribed by anyone.
func VerifyHandshake(query url.Values, verifyToken string) (challenge string, ok bool) {
	if verifyToken == "" || query.Get("hub.mode") != "subscribe" {
		return "", false
	}
	got := query.Get("hub.verify_token")
	if subtle.ConstantTimeCompare([]byte(got), []byte(verifyToken)) != 1 {
		return "", false
	}
	challenge = query.Get("hub.challenge")
	if challenge == "" {
		return "", false
	}
	return challenge, true
}

// VerifySignature checks header ("sha256=<hex>") against the HMAC-SHA256 of
// the raw request body keyed with the app secret, in constant time. It must be
// called on the exact bytes received, before any JSON decoding.
func VerifySignature(body []byte, header, appSecret string) error {
	header = strings.TrimSpace(header)
	if header == "" {
		return ErrSignatureMissing
	}
	hexSig, found := strings.CutPrefix(header, "sha256=")
	if !found || len(hexSig) != sha256.Size*2 {
		return ErrSignatureMalformed
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return ErrSignatureMalformed
	}
	if appSecret == "" {
		// An unconfigured secret must not accept signatures made with "".
		return ErrSignatureMismatch
	}
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return ErrSignatureMismatch
	}
	return nil
}

package attach

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"time"
)

// DefaultLinkTTL is how long an agent's link to an attachment works.
const DefaultLinkTTL = 5 * time.Minute

// Errors Verify returns.
var (
	ErrBadLink     = errors.New("attach: link signature does not match")
	ErrExpiredLink = errors.New("attach: link has expired")
)

// Signer makes and checks short-lived links to one attachment: an HMAC-SHA256
// over the attachment ID and the expiry time, so a link opens that one
// attachment until it expires, and nothing else. Links are never public:
// only an authenticated agent's request mints one.
type Signer struct {
	Key []byte
	TTL time.Duration // default DefaultLinkTTL
}

// Sign returns the expiry (Unix seconds) and signature for id.
func (s Signer) Sign(id string, now time.Time) (exp int64, sig string) {
	ttl := s.TTL
	if ttl <= 0 {
		ttl = DefaultLinkTTL
	}
	exp = now.Add(ttl).Unix()
	return exp, s.mac(id, exp)
}

func (s Signer) mac(id string, exp int64) string {
	m := hmac.New(sha256.New, s.Key)
	m.Write([]byte("attachment-link/" + id + "/" + strconv.FormatInt(exp, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Verify checks a link's expiry and signature for id.
func (s Signer) Verify(id, exp, sig string, now time.Time) error {
	e, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || len(s.Key) == 0 {
		return ErrBadLink
	}
	if !hmac.Equal([]byte(s.mac(id, e)), []byte(sig)) {
		return ErrBadLink
	}
	if now.Unix() >= e {
		return ErrExpiredLink
	}
	return nil
}

// Package chatsession issues and checks web-chat session tokens: a signed,
// expiring credential that binds a browser to one web-chat conversation and
// one customer (CONTRACT.md "Trust boundaries"). Tokens are stateless
// (HMAC-SHA256 over their claims under a server key), so opening a session
// writes nothing and checking one is a hash.
//
// A token is "hds1." + base64url(JSON claims) + "." + base64url(MAC). The
// MAC covers the version prefix and the encoded claims, so no field can be
// changed without the key.
package chatsession

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

const prefix = "hds1."

// maxTokenLen bounds what Verify reads; real tokens are about 250 bytes.
const maxTokenLen = 1024

// Errors from Verify. Both mean 401 at the API.
var (
	ErrInvalid = errors.New("chat session token is not valid")
	ErrExpired = errors.New("chat session token has expired")
)

// Claims is what a token binds.
type Claims struct {
	ConversationID string    `json:"c"`
	CustomerID     string    `json:"u"`
	Verified       bool      `json:"v,omitempty"`
	ExpiresAt      time.Time `json:"-"`
	Exp            int64     `json:"e"` // ExpiresAt in Unix seconds, as signed
}

// Signer issues and verifies tokens under one key.
type Signer struct {
	key []byte
	ttl time.Duration
	now func() time.Time
}

// New returns a Signer. key must be at least 32 bytes (derive it from the
// data key); ttl is how long a session lasts.
func New(key []byte, ttl time.Duration) (*Signer, error) {
	if len(key) < 32 {
		return nil, errors.New("chatsession: key must be at least 32 bytes")
	}
	if ttl <= 0 {
		return nil, errors.New("chatsession: ttl must be positive")
	}
	return &Signer{key: append([]byte(nil), key...), ttl: ttl, now: time.Now}, nil
}

// Issue signs claims for a new session that expires ttl from now; it
// returns the token and the claims as signed (ExpiresAt set).
func (s *Signer) Issue(c Claims) (string, Claims) {
	exp := s.now().Add(s.ttl).Truncate(time.Second).UTC()
	c.Exp, c.ExpiresAt = exp.Unix(), exp
	body, _ := json.Marshal(c) // strings and numbers only: cannot fail
	payload := prefix + base64.RawURLEncoding.EncodeToString(body)
	return payload + "." + base64.RawURLEncoding.EncodeToString(s.mac(payload)), c
}

// Verify checks a token's signature and expiry and returns its claims.
func (s *Signer) Verify(token string) (Claims, error) {
	if len(token) > maxTokenLen || !strings.HasPrefix(token, prefix) {
		return Claims{}, ErrInvalid
	}
	i := strings.LastIndexByte(token, '.')
	if i <= len(prefix) {
		return Claims{}, ErrInvalid
	}
	payload, sig := token[:i], token[i+1:]
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac(payload)) {
		return Claims{}, ErrInvalid
	}
	body, err := base64.RawURLEncoding.DecodeString(payload[len(prefix):])
	if err != nil {
		return Claims{}, ErrInvalid
	}
	var c Claims
	if err := json.Unmarshal(body, &c); err != nil || c.ConversationID == "" || c.CustomerID == "" || c.Exp == 0 {
		return Claims{}, ErrInvalid
	}
	c.ExpiresAt = time.Unix(c.Exp, 0).UTC()
	if !s.now().Before(c.ExpiresAt) {
		return Claims{}, ErrExpired
	}
	return c, nil
}

func (s *Signer) mac(payload string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// RandomID returns prefix followed by 22 URL-safe base64 characters (128
// random bits): the shape of server-made conversation and anonymous
// customer IDs.
func RandomID(prefix string) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("chatsession: crypto/rand failed: " + err.Error()) // the OS has no entropy: nothing is safe
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b[:])
}

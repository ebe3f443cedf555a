package codec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// EnvVar is the environment variable that holds the payload data key(s).
const EnvVar = "HARBORDESK_DATA_KEY"

// keySize is the AES-256 key length in bytes.
const keySize = 32

// Keyring holds the data keys used to encrypt workflow payloads. The first key
// is the active one (used to encrypt); all keys can decrypt.
type Keyring struct {
	activeID string
	aeads    map[string]cipher.AEAD
	order    []string
	pseudo   []byte // pseudonym key, derived from the oldest key in the ring
}

// ParseKeyring parses the value of HARBORDESK_DATA_KEY. Two forms are accepted:
//
//   - a single key: base64 of 32 bytes. Its key ID is derived from the key
//     ("k" + first 12 hex digits of its SHA-256), so it stays stable;
//   - a comma-separated keyring "id1:base64,id2:base64,…" where the first entry
//     is the active key. An entry without "id:" gets the derived ID, so a
//     deployment that started with a bare key can rotate with "new:…,<old key>".
//
// Errors name HARBORDESK_DATA_KEY and the entry position but never echo key
// material.
func ParseKeyring(s string) (*Keyring, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("codec: %s is empty; set it to base64 of 32 random bytes (e.g. `openssl rand -base64 32`)", EnvVar)
	}
	k := &Keyring{aeads: map[string]cipher.AEAD{}}
	for i, entry := range strings.Split(s, ",") {
		pos := i + 1
		entry = strings.TrimSpace(entry)
		if entry == "" {
			return nil, fmt.Errorf("codec: %s entry %d is empty", EnvVar, pos)
		}
		id, enc := "", entry
		if j := strings.IndexByte(entry, ':'); j >= 0 {
			id, enc = strings.TrimSpace(entry[:j]), strings.TrimSpace(entry[j+1:])
			if !validID(id) {
				return nil, fmt.Errorf("codec: %s entry %d has an invalid key ID (want 1-64 letters, digits, '-', '_' or '.')", EnvVar, pos)
			}
		}
		raw, err := decodeKey(enc)
		if err != nil {
			return nil, fmt.Errorf("codec: %s entry %d: %w", EnvVar, pos, err)
		}
		if id == "" {
			id = derivedID(raw)
		}
		if _, dup := k.aeads[id]; dup {
			return nil, fmt.Errorf("codec: %s entry %d repeats key ID %q", EnvVar, pos, id)
		}
		block, err := aes.NewCipher(raw)
		if err != nil { // unreachable with a 32-byte key; kept for safety.
			return nil, fmt.Errorf("codec: %s entry %d: %w", EnvVar, pos, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("codec: %s entry %d: %w", EnvVar, pos, err)
		}
		k.aeads[id] = aead
		k.order = append(k.order, id)
		m := hmac.New(sha256.New, raw)
		m.Write([]byte("harbordesk/pseudonym/v1"))
		k.pseudo = m.Sum(nil) // the last (oldest) entry wins: stable across rotation
	}
	k.activeID = k.order[0]
	return k, nil
}

// ActiveID is the ID of the key that encrypts new payloads.
func (k *Keyring) ActiveID() string { return k.activeID }

// IDs lists the key IDs in the ring, active first.
func (k *Keyring) IDs() []string { return append([]string(nil), k.order...) }

func (k *Keyring) aead(id string) (cipher.AEAD, bool) {
	a, ok := k.aeads[id]
	return a, ok
}

// decodeKey accepts standard or URL base64, padded or not, and requires
// exactly 32 bytes.
func decodeKey(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		raw, err := enc.DecodeString(s)
		if err != nil {
			continue
		}
		if len(raw) != keySize {
			return nil, fmt.Errorf("key decodes to %d bytes, want %d (AES-256)", len(raw), keySize)
		}
		return raw, nil
	}
	return nil, errors.New("key is not valid base64")
}

func derivedID(raw []byte) string {
	sum := sha256.Sum256(raw)
	return "k" + hex.EncodeToString(sum[:6])
}

func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
		if !ok {
			return false
		}
	}
	return true
}

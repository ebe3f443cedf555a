package codec

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// PseudonymKey is the key for keyed pseudonyms (HMAC) of channel addresses.
// It is derived from the oldest key of the ring (the last entry), so rotating
// by prepending a new key ("new:…,<old key>") keeps every customer's
// pseudonym — and so their conversation — the same.
func (k *Keyring) PseudonymKey() []byte { return append([]byte(nil), k.pseudo...) }

// SubKey derives a 32-byte key for one purpose (e.g. "chat-session/v1")
// from the pseudonym key: stable across key rotation like it, independent
// of every other purpose's key, and never the data key itself.
func (k *Keyring) SubKey(purpose string) []byte {
	m := hmac.New(sha256.New, k.pseudo)
	m.Write([]byte("harbordesk/subkey/" + purpose))
	return m.Sum(nil)
}

// ErrSealed is returned when sealed data cannot be opened (tampered, wrong key).
var ErrSealed = errors.New("codec: sealed data cannot be opened")

// Seal encrypts data at rest (e.g. a voice note awaiting transcription) with
// the active key: nonce‖ciphertext, with the key ID and aad bound in.
func (k *Keyring) Seal(plain, aad []byte) (keyID string, sealed []byte, err error) {
	id := k.ActiveID()
	aead, _ := k.aead(id)
	buf := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	if _, err := rand.Read(buf); err != nil {
		return "", nil, fmt.Errorf("codec: nonce: %w", err)
	}
	return id, aead.Seal(buf, buf, plain, append([]byte(id+"/"), aad...)), nil
}

// Open decrypts what Seal produced.
func (k *Keyring) Open(keyID string, sealed, aad []byte) ([]byte, error) {
	aead, ok := k.aead(keyID)
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownKey, keyID)
	}
	ns := aead.NonceSize()
	if len(sealed) < ns+aead.Overhead() {
		return nil, ErrSealed
	}
	plain, err := aead.Open(nil, sealed[:ns], sealed[ns:], append([]byte(keyID+"/"), aad...))
	if err != nil {
		return nil, ErrSealed
	}
	return plain, nil
}

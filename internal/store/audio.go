package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"

	"github.com/harbordesk/harbordesk/internal/codec"
)

// AudioVault keeps voice notes AES-256-GCM encrypted in PostgreSQL until the
// workflow has transcribed them; then they are deleted.
type AudioVault struct {
	Store *Store
	Ring  *codec.Keyring
}

// Put seals and stores a voice note and returns its reference.
func (v AudioVault) Put(ctx context.Context, contactID, mime string, data []byte) (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	ref := "au_" + hex.EncodeToString(b[:])
	keyID, sealed, err := v.Ring.Seal(data, []byte(ref))
	if err != nil {
		return "", err
	}
	_, err = v.Store.Pool.Exec(ctx, `INSERT INTO audio_blobs (id, contact_id, mime, key_id, sealed) VALUES ($1,$2,$3,$4,$5)`,
		ref, contactID, mime, keyID, sealed)
	return ref, mapErr(err)
}

// Get opens a stored voice note.
func (v AudioVault) Get(ctx context.Context, ref string) ([]byte, string, error) {
	var mime, keyID string
	var sealed []byte
	if err := v.Store.Pool.QueryRow(ctx, `SELECT mime, key_id, sealed FROM audio_blobs WHERE id = $1`, ref).Scan(&mime, &keyID, &sealed); err != nil {
		return nil, "", mapErr(err)
	}
	data, err := v.Ring.Open(keyID, sealed, []byte(ref))
	return data, mime, err
}

// Delete removes a voice note.
func (v AudioVault) Delete(ctx context.Context, ref string) error {
	_, err := v.Store.Pool.Exec(ctx, `DELETE FROM audio_blobs WHERE id = $1`, ref)
	return mapErr(err)
}

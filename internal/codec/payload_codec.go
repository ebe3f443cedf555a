package codec

import (
	"crypto/rand"
	"errors"
	"fmt"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

const (
	// EncodingEncrypted marks a payload produced by this codec.
	EncodingEncrypted = "binary/encrypted"
	// MetadataKeyID names the metadata entry holding the encrypting key's ID.
	MetadataKeyID = "encryption-key-id"
)

// ErrUnknownKey is returned when a payload was encrypted with a key that is
// not in the ring (e.g. it was removed too early during rotation).
var ErrUnknownKey = errors.New("codec: payload encrypted with a key ID not in HARBORDESK_DATA_KEY")

// payloadCodec encrypts whole payloads (data and metadata) with AES-256-GCM.
type payloadCodec struct{ ring *Keyring }

// NewCodec returns a PayloadCodec that encrypts with the ring's active key and
// decrypts with whichever key the payload names.
func NewCodec(k *Keyring) converter.PayloadCodec { return &payloadCodec{ring: k} }

// Encode serialises each payload (so its original encoding metadata is hidden
// too) and seals it as nonce‖ciphertext, with the key ID as associated data.
func (c *payloadCodec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	id := c.ring.ActiveID()
	aead, _ := c.ring.aead(id)
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		plain, err := proto.Marshal(p)
		if err != nil {
			return nil, fmt.Errorf("codec: marshal payload %d: %w", i, err)
		}
		buf := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
		if _, err := rand.Read(buf); err != nil {
			return nil, fmt.Errorf("codec: nonce: %w", err)
		}
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{
				converter.MetadataEncoding: []byte(EncodingEncrypted),
				MetadataKeyID:              []byte(id),
			},
			Data: aead.Seal(buf, buf, plain, []byte(id)),
		}
	}
	return out, nil
}

// Decode opens payloads marked binary/encrypted and passes any other payload
// through unchanged (history written before encryption was switched on).
func (c *payloadCodec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[converter.MetadataEncoding]) != EncodingEncrypted {
			out[i] = p
			continue
		}
		id := string(p.GetMetadata()[MetadataKeyID])
		aead, ok := c.ring.aead(id)
		if !ok {
			return nil, fmt.Errorf("%w (payload %d, key ID %q)", ErrUnknownKey, i, id)
		}
		data := p.GetData()
		if len(data) < aead.NonceSize()+aead.Overhead() {
			return nil, fmt.Errorf("codec: payload %d is too short to be encrypted data", i)
		}
		ns := aead.NonceSize()
		plain, err := aead.Open(nil, data[:ns], data[ns:], []byte(id))
		if err != nil {
			return nil, fmt.Errorf("codec: payload %d failed authentication (tampered, or wrong key for ID %q)", i, id)
		}
		var orig commonpb.Payload
		if err := proto.Unmarshal(plain, &orig); err != nil {
			return nil, fmt.Errorf("codec: payload %d: decrypted bytes are not a payload: %w", i, err)
		}
		out[i] = &orig
	}
	return out, nil
}

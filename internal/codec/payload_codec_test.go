package codec

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

const customerText = "我身份證係 C246810(5)，電話 9876 5432"

func ring(t *testing.T, s string) *Keyring {
	t.Helper()
	k, err := ParseKeyring(s)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func plainPayloads(t *testing.T) []*commonpb.Payload {
	t.Helper()
	p, err := converter.GetDefaultDataConverter().ToPayloads(customerText, 42, map[string]string{"phone": "2345-6789"})
	if err != nil {
		t.Fatal(err)
	}
	return p.Payloads
}

func TestCodecRoundTrip(t *testing.T) {
	c := NewCodec(ring(t, "v1:"+b64(1)))
	in := plainPayloads(t)
	enc, err := c.Encode(in)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range enc {
		if got := string(p.Metadata[converter.MetadataEncoding]); got != EncodingEncrypted {
			t.Errorf("payload %d encoding = %q", i, got)
		}
		if got := string(p.Metadata[MetadataKeyID]); got != "v1" {
			t.Errorf("payload %d key id = %q", i, got)
		}
		if len(p.Metadata) != 2 {
			t.Errorf("payload %d leaks metadata: %v", i, p.Metadata)
		}
	}
	dec, err := c.Decode(enc)
	if err != nil {
		t.Fatal(err)
	}
	if len(dec) != len(in) {
		t.Fatalf("decoded %d payloads, want %d", len(dec), len(in))
	}
	for i := range in {
		if !proto.Equal(in[i], dec[i]) {
			t.Errorf("payload %d differs after round trip", i)
		}
	}
}

func TestCodecEncryptsFreshNonce(t *testing.T) {
	c := NewCodec(ring(t, b64(1)))
	in := plainPayloads(t)[:1]
	a, _ := c.Encode(in)
	b, _ := c.Encode(in)
	if bytes.Equal(a[0].Data, b[0].Data) {
		t.Error("two encodings of the same payload are identical (nonce reuse)")
	}
}

func TestCodecRawTextAbsent(t *testing.T) {
	c := NewCodec(ring(t, b64(1)))
	enc, err := c.Encode(plainPayloads(t))
	if err != nil {
		t.Fatal(err)
	}
	all, err := proto.Marshal(&commonpb.Payloads{Payloads: enc})
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"C246810", "9876 5432", "2345-6789", "身份證", "json/plain"} {
		if bytes.Contains(all, []byte(secret)) {
			t.Errorf("encoded bytes contain %q", secret)
		}
	}
}

func TestCodecTamperDetection(t *testing.T) {
	c := NewCodec(ring(t, "v1:"+b64(1)+",v2:"+b64(2)))
	tampers := []struct {
		name string
		edit func(p *commonpb.Payload)
		want string
	}{
		{"flipped ciphertext bit", func(p *commonpb.Payload) { p.Data[len(p.Data)-20] ^= 1 }, "failed authentication"},
		{"flipped nonce bit", func(p *commonpb.Payload) { p.Data[0] ^= 0x80 }, "failed authentication"},
		{"truncated", func(p *commonpb.Payload) { p.Data = p.Data[:10] }, "too short"},
		{"key id swapped to other ring key", func(p *commonpb.Payload) { p.Metadata[MetadataKeyID] = []byte("v2") }, "failed authentication"},
		{"key id removed", func(p *commonpb.Payload) { delete(p.Metadata, MetadataKeyID) }, "not in HARBORDESK_DATA_KEY"},
	}
	for _, tc := range tampers {
		t.Run(tc.name, func(t *testing.T) {
			enc, err := c.Encode(plainPayloads(t)[:1])
			if err != nil {
				t.Fatal(err)
			}
			tc.edit(enc[0])
			_, err = c.Decode(enc)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Decode error = %v, want containing %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "C246810") {
				t.Errorf("error leaks payload: %v", err)
			}
		})
	}
}

func TestCodecInnerGarbage(t *testing.T) {
	// A validly sealed blob whose plaintext is not a Payload protobuf.
	k := ring(t, "v1:"+b64(1))
	aead, _ := k.aead("v1")
	nonce := make([]byte, aead.NonceSize())
	data := aead.Seal(append([]byte(nil), nonce...), nonce, []byte{0xff, 0xff, 0xff}, []byte("v1"))
	p := &commonpb.Payload{Metadata: map[string][]byte{converter.MetadataEncoding: []byte(EncodingEncrypted), MetadataKeyID: []byte("v1")}, Data: data}
	if _, err := NewCodec(k).Decode([]*commonpb.Payload{p}); err == nil || !strings.Contains(err.Error(), "not a payload") {
		t.Fatalf("Decode error = %v", err)
	}
}

func TestCodecRotation(t *testing.T) {
	old := NewCodec(ring(t, "2025:"+b64(1)))
	encOld, err := old.Encode(plainPayloads(t))
	if err != nil {
		t.Fatal(err)
	}
	rotated := NewCodec(ring(t, "2026:"+b64(2)+",2025:"+b64(1)))
	dec, err := rotated.Decode(encOld)
	if err != nil {
		t.Fatalf("rotated ring cannot read old payloads: %v", err)
	}
	if !proto.Equal(dec[0], plainPayloads(t)[0]) {
		t.Error("old payload decoded wrongly")
	}
	encNew, _ := rotated.Encode(plainPayloads(t))
	if got := string(encNew[0].Metadata[MetadataKeyID]); got != "2026" {
		t.Errorf("new payloads use key %q, want 2026", got)
	}
	// Rotation from a bare key: its derived ID still resolves.
	bare := NewCodec(ring(t, b64(1)))
	encBare, _ := bare.Encode(plainPayloads(t))
	if _, err := NewCodec(ring(t, "2026:"+b64(2)+","+b64(1))).Decode(encBare); err != nil {
		t.Errorf("bare key not readable after rotation: %v", err)
	}
}

func TestCodecWrongKey(t *testing.T) {
	enc, _ := NewCodec(ring(t, "v1:"+b64(1))).Encode(plainPayloads(t))
	// Same ID, different key material: authentication fails.
	if _, err := NewCodec(ring(t, "v1:"+b64(9))).Decode(enc); err == nil || !strings.Contains(err.Error(), "failed authentication") {
		t.Errorf("same id wrong key: err = %v", err)
	}
	// Unknown ID: clear error.
	_, err := NewCodec(ring(t, "v9:"+b64(1))).Decode(enc)
	if !errors.Is(err, ErrUnknownKey) || !strings.Contains(err.Error(), `"v1"`) {
		t.Errorf("unknown id: err = %v", err)
	}
}

func TestCodecPassesThroughUnencrypted(t *testing.T) {
	in := plainPayloads(t)
	dec, err := NewCodec(ring(t, b64(1))).Decode(in)
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(dec[0], in[0]) {
		t.Error("plain payload changed by Decode")
	}
}

package attach

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strconv"
	"testing"
	"time"
)

// Sample files of each accepted type, made the way a phone or scanner would.
func samplePNG(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func sampleJPEG(t testing.TB) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var (
	sampleWebP = append([]byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00"), make([]byte, 24)...)
	samplePDF  = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
)

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string
		err  error
	}{
		{"png", samplePNG(t), PNG, nil},
		{"jpeg", sampleJPEG(t), JPEG, nil},
		{"webp", sampleWebP, WebP, nil},
		{"pdf", samplePDF, PDF, nil},
		{"empty", nil, "", ErrEmpty},
		{"html", []byte("<html><script>alert(1)</script></html>"), "", ErrUnsupported},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "", ErrUnsupported},
		{"gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "", ErrUnsupported},
		{"zip named pdf", []byte("PK\x03\x04 not a pdf"), "", ErrUnsupported},
		{"riff not webp", append([]byte("RIFF\x24\x00\x00\x00WAVEfmt "), make([]byte, 24)...), "", ErrUnsupported},
		{"too large", append(samplePNG(t), make([]byte, MaxBytes)...), "", ErrTooLarge},
	} {
		got, err := Sniff(tc.data)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("%s: %q %v, want %q %v", tc.name, got, err, tc.want, tc.err)
		}
	}
	if Kind(PDF) != "document" || Kind(PNG) != "image" {
		t.Fatal("kind")
	}
}

func TestSigner(t *testing.T) {
	s := Signer{Key: []byte("k1"), TTL: time.Minute}
	now := time.Unix(1_800_000_000, 0)
	exp, sig := s.Sign("at_a", now)
	if err := s.Verify("at_a", itoa(exp), sig, now.Add(30*time.Second)); err != nil {
		t.Fatalf("fresh link: %v", err)
	}
	for _, tc := range []struct {
		name, id, exp, sig string
		at                 time.Time
		want               error
	}{
		{"expired", "at_a", itoa(exp), sig, now.Add(time.Minute), ErrExpiredLink},
		{"other attachment", "at_b", itoa(exp), sig, now, ErrBadLink},
		{"extended expiry", "at_a", itoa(exp + 3600), sig, now, ErrBadLink},
		{"no signature", "at_a", itoa(exp), "", now, ErrBadLink},
		{"bad expiry", "at_a", "soon", sig, now, ErrBadLink},
	} {
		if err := s.Verify(tc.id, tc.exp, tc.sig, tc.at); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if err := (Signer{Key: []byte("k2")}).Verify("at_a", itoa(exp), sig, now); !errors.Is(err, ErrBadLink) {
		t.Errorf("another deployment's key: %v", err)
	}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

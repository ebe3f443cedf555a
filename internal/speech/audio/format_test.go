package audio

import "testing"

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    []byte
		want Format
	}{
		{"wav", []byte("RIFF\x24\x00\x00\x00WAVEfmt "), WAV},
		{"rf64", []byte("RF64\xff\xff\xff\xffWAVEds64"), WAV},
		{"riff avi", []byte("RIFF\x24\x00\x00\x00AVI LIST"), Unknown},
		{"ogg opus", []byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00"), Ogg},
		{"mp3 id3", []byte("ID3\x04\x00\x00\x00\x00"), MP3},
		{"mp3 frame", []byte{0xFF, 0xFB, 0x90, 0x64}, MP3},
		{"aac adts", []byte{0xFF, 0xF1, 0x50, 0x80}, AAC},
		{"m4a", []byte("\x00\x00\x00\x20ftypM4A \x00\x00"), MP4},
		{"webm", []byte{0x1A, 0x45, 0xDF, 0xA3, 0x9F}, WebM},
		{"flac", []byte("fLaC\x00\x00\x00\x22"), FLAC},
		{"amr", []byte("#!AMR\n"), AMR},
		{"caf", []byte("caff\x00\x01"), CAF},
		{"aiff", []byte("FORM\x00\x00\x00\x00AIFF"), AIFF},
		{"text", []byte("hello world"), Unknown},
		{"empty", nil, Unknown},
		{"single ff", []byte{0xFF}, Unknown},
	} {
		if got := Sniff(tc.b); got != tc.want {
			t.Errorf("%s: Sniff = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestFormatFromMIME(t *testing.T) {
	for mt, want := range map[string]Format{
		"audio/ogg; codecs=opus":   Ogg,
		"audio/OGG":                Ogg,
		"audio/wav":                WAV,
		"audio/x-wav":              WAV,
		"audio/mpeg":               MP3,
		"audio/mp4":                MP4,
		"audio/x-m4a":              MP4,
		"audio/webm;codecs=opus":   WebM,
		"audio/aac":                AAC,
		"audio/amr":                AMR,
		"audio/flac":               FLAC,
		"audio/x-aiff":             AIFF,
		"application/octet-stream": Unknown,
		"":                         Unknown,
		";;;":                      Unknown,
	} {
		if got := FormatFromMIME(mt); got != want {
			t.Errorf("FormatFromMIME(%q) = %q, want %q", mt, got, want)
		}
	}
}

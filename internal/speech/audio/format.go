package audio

import (
	"bytes"
	"mime"
	"strings"
)

// Format is an audio container recognised from magic bytes or a MIME type.
type Format string

// Known containers. Unknown means neither the bytes nor the MIME type said.
const (
	Unknown Format = ""
	WAV     Format = "wav"
	Ogg     Format = "ogg"  // WhatsApp voice notes: Ogg/Opus
	MP3     Format = "mp3"  // with or without an ID3 tag
	MP4     Format = "mp4"  // M4A/AAC, iPhone voice memos
	WebM    Format = "webm" // browser MediaRecorder, Matroska family
	FLAC    Format = "flac"
	AAC     Format = "aac" // raw ADTS stream
	AMR     Format = "amr" // older Android voice notes
	CAF     Format = "caf"
	AIFF    Format = "aiff"
)

// Sniff recognises the container from its first bytes. It never looks at the
// MIME type: channels mislabel voice notes (WhatsApp sends Ogg as
// "audio/ogg; codecs=opus", browsers send "application/octet-stream").
func Sniff(b []byte) Format {
	switch {
	case len(b) >= 12 && bytes.Equal(b[:4], []byte("RIFF")) && bytes.Equal(b[8:12], []byte("WAVE")),
		len(b) >= 12 && bytes.Equal(b[:4], []byte("RF64")) && bytes.Equal(b[8:12], []byte("WAVE")):
		return WAV
	case bytes.HasPrefix(b, []byte("OggS")):
		return Ogg
	case bytes.HasPrefix(b, []byte("ID3")):
		return MP3
	case len(b) >= 12 && bytes.Equal(b[4:8], []byte("ftyp")):
		return MP4
	case bytes.HasPrefix(b, []byte{0x1A, 0x45, 0xDF, 0xA3}):
		return WebM
	case bytes.HasPrefix(b, []byte("fLaC")):
		return FLAC
	case bytes.HasPrefix(b, []byte("#!AMR")):
		return AMR
	case bytes.HasPrefix(b, []byte("caff")):
		return CAF
	case len(b) >= 12 && bytes.Equal(b[:4], []byte("FORM")) &&
		(bytes.Equal(b[8:12], []byte("AIFF")) || bytes.Equal(b[8:12], []byte("AIFC"))):
		return AIFF
	case len(b) >= 2 && b[0] == 0xFF && b[1]&0xF6 == 0xF0:
		// ADTS sync word 0xFFF with layer bits 00.
		return AAC
	case len(b) >= 2 && b[0] == 0xFF && b[1]&0xE0 == 0xE0 && b[1]&0x06 != 0:
		// MPEG audio frame sync (11 bits) with a non-zero layer.
		return MP3
	}
	return Unknown
}

// FormatFromMIME maps a MIME type (parameters allowed) to a container;
// Unknown for anything that is not a recognised audio type.
func FormatFromMIME(mimeType string) Format {
	mt, _, err := mime.ParseMediaType(mimeType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(mimeType))
	}
	switch mt {
	case "audio/wav", "audio/wave", "audio/x-wav", "audio/vnd.wave":
		return WAV
	case "audio/ogg", "application/ogg", "audio/opus":
		return Ogg
	case "audio/mpeg", "audio/mp3", "audio/mpeg3", "audio/x-mpeg-3":
		return MP3
	case "audio/mp4", "audio/m4a", "audio/x-m4a", "video/mp4":
		return MP4
	case "audio/webm", "video/webm":
		return WebM
	case "audio/flac", "audio/x-flac":
		return FLAC
	case "audio/aac", "audio/aacp":
		return AAC
	case "audio/amr", "audio/3gpp":
		return AMR
	case "audio/aiff", "audio/x-aiff":
		return AIFF
	}
	return Unknown
}

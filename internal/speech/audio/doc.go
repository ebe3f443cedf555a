// Package audio owns the customer's voice note as sound: it recognises the
// container a channel delivered (WAV, OGG/Opus, MP3, M4A, WebM, ...) from its
// magic bytes, decodes it to the 16 kHz mono PCM that speech engines and the
// acoustic analysis expect, enforces the intake limits (size, duration) with
// typed errors the API maps to 413/422, and encodes clips back to 16-bit WAV.
//
// WAV is decoded in pure Go; every other container goes through the ffmpeg
// CLI when it is on PATH, otherwise the caller gets ErrUnsupportedFormat.
package audio

package audio

import (
	"encoding/binary"
	"fmt"
	"math"
)

// The WAV reader is hand-rolled: the served Go modules have no WAV decoder,
// and the format is small enough to parse defensively here (every length is
// checked against the buffer, so hostile headers give ErrCorrupt, never a
// panic or a huge allocation; see FuzzParseWAV).

const (
	wavPCM        = 0x0001
	wavFloat      = 0x0003
	wavExtensible = 0xFFFE
)

// wavHeader is what the fmt and data chunks say.
type wavHeader struct {
	format     uint16
	channels   int
	rate       int
	bits       int
	blockAlign int
	data       []byte // the data chunk, clipped to the bytes present
}

// frames is the number of whole sample frames in the data chunk.
func (h wavHeader) frames() int { return len(h.data) / h.blockAlign }

// parseWAVHeader walks the RIFF chunks. A data chunk that claims more bytes
// than were sent (streamed recorders write 0 or 0xFFFFFFFF) is clipped to
// what is present.
func parseWAVHeader(b []byte) (wavHeader, error) {
	var h wavHeader
	if len(b) < 12 || Sniff(b) != WAV {
		return h, fmt.Errorf("%w: not a RIFF/WAVE file", ErrCorrupt)
	}
	haveFmt, haveData := false, false
	for off := 12; off+8 <= len(b) && !haveData; {
		id := string(b[off : off+4])
		size := int64(binary.LittleEndian.Uint32(b[off+4 : off+8]))
		body := int64(off + 8)
		end := body + size
		if end > int64(len(b)) {
			if id != "data" {
				return h, fmt.Errorf("%w: chunk %q overruns the file", ErrCorrupt, sanitizeID(id))
			}
			end = int64(len(b))
		}
		switch id {
		case "fmt ":
			if err := h.parseFmt(b[body:end]); err != nil {
				return h, err
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return h, fmt.Errorf("%w: data chunk before fmt chunk", ErrCorrupt)
			}
			h.data = b[body:end]
			haveData = true
		}
		off = int(end + size&1) // chunks are padded to even sizes
	}
	switch {
	case !haveFmt:
		return h, fmt.Errorf("%w: no fmt chunk", ErrCorrupt)
	case !haveData:
		return h, fmt.Errorf("%w: no data chunk", ErrCorrupt)
	}
	return h, nil
}

func (h *wavHeader) parseFmt(c []byte) error {
	if len(c) < 16 {
		return fmt.Errorf("%w: fmt chunk too short", ErrCorrupt)
	}
	h.format = binary.LittleEndian.Uint16(c[0:2])
	h.channels = int(binary.LittleEndian.Uint16(c[2:4]))
	h.rate = int(binary.LittleEndian.Uint32(c[4:8]))
	h.blockAlign = int(binary.LittleEndian.Uint16(c[12:14]))
	h.bits = int(binary.LittleEndian.Uint16(c[14:16]))
	if h.format == wavExtensible {
		if len(c) < 26 {
			return fmt.Errorf("%w: extensible fmt chunk too short", ErrCorrupt)
		}
		// The sub-format GUID starts with the plain format tag.
		h.format = binary.LittleEndian.Uint16(c[24:26])
	}
	switch {
	case h.format != wavPCM && h.format != wavFloat:
		return fmt.Errorf("%w: WAV encoding 0x%04x (only PCM and float are read natively)", ErrUnsupportedFormat, h.format)
	case h.channels < 1 || h.channels > 32:
		return fmt.Errorf("%w: %d channels", ErrCorrupt, h.channels)
	case h.rate < 1000 || h.rate > 768000:
		return fmt.Errorf("%w: sample rate %d Hz", ErrCorrupt, h.rate)
	}
	valid := map[uint16][]int{wavPCM: {8, 16, 24, 32}, wavFloat: {32, 64}}[h.format]
	ok := false
	for _, v := range valid {
		ok = ok || v == h.bits
	}
	if !ok {
		return fmt.Errorf("%w: %d-bit samples in encoding 0x%04x", ErrUnsupportedFormat, h.bits, h.format)
	}
	// Trust the sample size over a wrong blockAlign: many writers get it wrong.
	h.blockAlign = h.channels * h.bits / 8
	return nil
}

// sample reads frame i, channel ch as a float in [-1, 1].
func (h wavHeader) sample(i, ch int) float32 {
	p := h.data[i*h.blockAlign+ch*h.bits/8:]
	switch {
	case h.format == wavFloat && h.bits == 32:
		return clampUnit(math.Float32frombits(binary.LittleEndian.Uint32(p)))
	case h.format == wavFloat:
		return clampUnit(float32(math.Float64frombits(binary.LittleEndian.Uint64(p))))
	case h.bits == 8: // unsigned, offset binary
		return (float32(p[0]) - 128) / 128
	case h.bits == 16:
		return float32(int16(binary.LittleEndian.Uint16(p))) / 32768
	case h.bits == 24:
		v := int32(uint32(p[0])<<8|uint32(p[1])<<16|uint32(p[2])<<24) >> 8
		return float32(v) / 8388608
	default:
		return float32(float64(int32(binary.LittleEndian.Uint32(p))) / 2147483648)
	}
}

// clampUnit keeps float samples in [-1, 1] and turns NaN/Inf into silence/clip.
func clampUnit(v float32) float32 {
	switch {
	case v != v:
		return 0
	case v > 1:
		return 1
	case v < -1:
		return -1
	}
	return v
}

// mono downmixes the data chunk by averaging channels.
func (h wavHeader) mono() []float32 {
	n := h.frames()
	out := make([]float32, n)
	inv := 1 / float32(h.channels)
	for i := range n {
		var s float32
		for ch := range h.channels {
			s += h.sample(i, ch)
		}
		out[i] = s * inv
	}
	return out
}

// sanitizeID keeps chunk ids printable in error strings.
func sanitizeID(id string) string {
	b := []byte(id)
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '?'
		}
	}
	return string(b)
}

// EncodeWAV writes samples (mono, in [-1, 1]) as a 16-bit PCM WAV at rate.
// Engines receive voice notes in this form: 16 kHz mono 16-bit is what
// whisper.cpp's server, pocketsphinx and OpenAI all accept.
func EncodeWAV(samples []float32, rate int) []byte {
	dataLen := len(samples) * 2
	b := make([]byte, 44+dataLen)
	copy(b[0:], "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+dataLen))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], wavPCM)
	binary.LittleEndian.PutUint16(b[22:], 1)
	binary.LittleEndian.PutUint32(b[24:], uint32(rate))
	binary.LittleEndian.PutUint32(b[28:], uint32(rate*2))
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(dataLen))
	for i, s := range samples {
		binary.LittleEndian.PutUint16(b[44+2*i:], uint16(ToInt16(s)))
	}
	return b
}

// ToInt16 converts a [-1, 1] sample to 16-bit PCM with clipping.
func ToInt16(s float32) int16 {
	v := math.Round(float64(s) * 32768)
	switch {
	case v != v:
		return 0
	case v > 32767:
		return 32767
	case v < -32768:
		return -32768
	}
	return int16(v)
}

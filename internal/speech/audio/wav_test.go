package audio

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"math"
	"testing"
	"time"
)

// wavBytes builds a WAV file by hand, independently of EncodeWAV, so the
// parser is tested against every encoding it claims to read.
func wavBytes(format uint16, channels, rate, bits int, frames [][]float64) []byte {
	var data bytes.Buffer
	for _, fr := range frames {
		for ch := range channels {
			v := fr[ch%len(fr)]
			switch {
			case format == wavFloat && bits == 32:
				_ = binary.Write(&data, binary.LittleEndian, float32(v))
			case format == wavFloat:
				_ = binary.Write(&data, binary.LittleEndian, v)
			case bits == 8:
				data.WriteByte(byte(int(math.Round(v*127)) + 128))
			case bits == 16:
				_ = binary.Write(&data, binary.LittleEndian, int16(math.Round(v*32767)))
			case bits == 24:
				x := int32(math.Round(v * 8388607))
				data.Write([]byte{byte(x), byte(x >> 8), byte(x >> 16)})
			default:
				_ = binary.Write(&data, binary.LittleEndian, int32(math.Round(v*2147483647)))
			}
		}
	}
	var b bytes.Buffer
	b.WriteString("RIFF")
	_ = binary.Write(&b, binary.LittleEndian, uint32(4+8+16+8+data.Len()+12))
	b.WriteString("WAVE")
	b.WriteString("JUNK") // an unrelated odd-sized chunk before fmt, padded
	_ = binary.Write(&b, binary.LittleEndian, uint32(3))
	b.Write([]byte{'a', 'b', 'c', 0})
	b.WriteString("fmt ")
	_ = binary.Write(&b, binary.LittleEndian, uint32(16))
	_ = binary.Write(&b, binary.LittleEndian, format)
	_ = binary.Write(&b, binary.LittleEndian, uint16(channels))
	_ = binary.Write(&b, binary.LittleEndian, uint32(rate))
	_ = binary.Write(&b, binary.LittleEndian, uint32(rate*channels*bits/8))
	_ = binary.Write(&b, binary.LittleEndian, uint16(channels*bits/8))
	_ = binary.Write(&b, binary.LittleEndian, uint16(bits))
	b.WriteString("data")
	_ = binary.Write(&b, binary.LittleEndian, uint32(data.Len()))
	b.Write(data.Bytes())
	return b.Bytes()
}

func tone(freq float64, rate int, dur time.Duration, amp float64) [][]float64 {
	n := int(dur.Seconds() * float64(rate))
	out := make([][]float64, n)
	for i := range out {
		out[i] = []float64{amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate))}
	}
	return out
}

func rms(s []float32) float64 {
	var sum float64
	for _, v := range s {
		sum += float64(v) * float64(v)
	}
	return math.Sqrt(sum / float64(len(s)))
}

func TestDecodeWAVEncodings(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		format               uint16
		channels, rate, bits int
	}{
		{"pcm8 mono 8k", wavPCM, 1, 8000, 8},
		{"pcm16 mono 16k", wavPCM, 1, 16000, 16},
		{"pcm16 stereo 44.1k", wavPCM, 2, 44100, 16},
		{"pcm24 stereo 48k", wavPCM, 2, 48000, 24},
		{"pcm32 mono 22.05k", wavPCM, 1, 22050, 32},
		{"float32 mono 48k", wavFloat, 1, 48000, 32},
		{"float64 stereo 32k", wavFloat, 2, 32000, 64},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := wavBytes(tc.format, tc.channels, tc.rate, tc.bits, tone(440, tc.rate, time.Second, 0.5))
			clip, err := Decode(context.Background(), data, "application/octet-stream")
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if clip.Source != WAV {
				t.Errorf("Source = %q", clip.Source)
			}
			if d := clip.Duration(); d < 990*time.Millisecond || d > time.Second {
				t.Errorf("Duration = %s, want ~1s", d)
			}
			// A 0.5-amplitude sine has RMS 0.354; resampling and 8-bit
			// quantisation may move it a little, the edges a little more.
			if r := rms(clip.Samples[800 : len(clip.Samples)-800]); math.Abs(r-0.3536) > 0.01 {
				t.Errorf("RMS = %.4f, want 0.354", r)
			}
		})
	}
}

func TestDecodeDownmixAverages(t *testing.T) {
	// Left +0.5, right -0.5 cancel; left 0.5, right 0.3 average to 0.4.
	frames := [][]float64{}
	for range 1600 {
		frames = append(frames, []float64{0.5, 0.3})
	}
	clip, err := Decode(context.Background(), wavBytes(wavPCM, 2, 16000, 16, frames), "audio/wav")
	if err != nil {
		t.Fatal(err)
	}
	if got := clip.Samples[800]; math.Abs(float64(got)-0.4) > 0.001 {
		t.Errorf("downmixed sample = %v, want 0.4", got)
	}
}

func TestResamplePreservesToneAndRemovesAlias(t *testing.T) {
	const from = 48000
	in := make([]float32, from)
	alias := make([]float32, from)
	for i := range in {
		in[i] = float32(0.5 * math.Sin(2*math.Pi*1000*float64(i)/from))
		alias[i] = float32(0.5 * math.Sin(2*math.Pi*12000*float64(i)/from)) // above 8 kHz Nyquist
	}
	out := Resample(in, from, 16000)
	if len(out) != 16000 {
		t.Fatalf("len = %d, want 16000", len(out))
	}
	if r := rms(out[200 : len(out)-200]); math.Abs(r-0.3536) > 0.01 {
		t.Errorf("1 kHz tone RMS after resampling = %.4f, want 0.354", r)
	}
	if r := rms(Resample(alias, from, 16000)[200 : 16000-200]); r > 0.02 {
		t.Errorf("12 kHz tone leaked into 16 kHz output with RMS %.4f", r)
	}
	up := Resample(in[:8000], 8000, 16000)
	if len(up) != 16000 {
		t.Errorf("upsampled len = %d, want 16000", len(up))
	}
	if same := Resample(in, 16000, 16000); &same[0] != &in[0] {
		t.Error("equal rates should return the input")
	}
}

func TestEncodeWAVRoundTrip(t *testing.T) {
	samples := []float32{0, 0.5, -0.5, 1, -1, 2, -2, 0.25}
	b := EncodeWAV(samples, 16000)
	if len(b) != 44+2*len(samples) || Sniff(b) != WAV {
		t.Fatalf("EncodeWAV: %d bytes, format %q", len(b), Sniff(b))
	}
	clip, err := Decode(context.Background(), b, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{0, 0.5, -0.5, 1, -1, 1, -1, 0.25}
	for i, w := range want {
		if math.Abs(float64(clip.Samples[i]-w)) > 1e-4 {
			t.Errorf("sample %d = %v, want %v", i, clip.Samples[i], w)
		}
	}
	if pcm := clip.PCM16(); pcm[1] != 16384 || pcm[3] != 32767 || pcm[4] != -32768 {
		t.Errorf("PCM16 = %v", pcm)
	}
	if !bytes.Equal(clip.WAV(), b) {
		t.Error("Clip.WAV differs from EncodeWAV of the same samples")
	}
}

func TestDecodeErrors(t *testing.T) {
	good := wavBytes(wavPCM, 1, 16000, 16, tone(300, 16000, 2*time.Second, 0.3))
	silence := wavBytes(wavPCM, 1, 16000, 16, tone(300, 16000, time.Second, 0))
	noData := good[:len(good)-64000]
	noData = noData[:bytes.Index(noData, []byte("data"))]
	zeroFrames := wavBytes(wavPCM, 1, 16000, 16, nil)
	alaw := wavBytes(wavPCM, 1, 8000, 16, tone(300, 8000, time.Second, 0.3))
	binary.LittleEndian.PutUint16(alaw[bytes.Index(alaw, []byte("fmt "))+8:], 6) // A-law
	badRate := bytes.Clone(good)
	binary.LittleEndian.PutUint32(badRate[bytes.Index(badRate, []byte("fmt "))+12:], 7)
	badBits := bytes.Clone(good)
	binary.LittleEndian.PutUint16(badBits[bytes.Index(badBits, []byte("fmt "))+22:], 12)
	noChannels := bytes.Clone(good)
	binary.LittleEndian.PutUint16(noChannels[bytes.Index(noChannels, []byte("fmt "))+10:], 0)
	overrun := bytes.Clone(good[:40])
	binary.LittleEndian.PutUint32(overrun[16:], 1<<30) // LIST chunk claims 1 GiB
	dataFirst := []byte("RIFF\x00\x00\x00\x00WAVEdata\x02\x00\x00\x00\x01\x02")
	shortFmt := []byte("RIFF\x00\x00\x00\x00WAVEfmt \x04\x00\x00\x00\x01\x00\x01\x00")

	for _, tc := range []struct {
		name string
		dec  Decoder
		data []byte
		mime string
		want error
	}{
		{"no bytes", Decoder{}, nil, "audio/wav", ErrEmpty},
		{"too large", Decoder{MaxBytes: 1000}, good, "audio/wav", ErrTooLarge},
		{"too long", Decoder{MaxDuration: time.Second}, good, "audio/wav", ErrTooLong},
		{"all zero bytes labelled wav", Decoder{}, make([]byte, 6), "audio/wav", ErrCorrupt},
		{"unknown bytes, no mime", Decoder{}, []byte("hello there, not audio"), "text/plain", ErrUnsupportedFormat},
		{"digital silence", Decoder{}, silence, "audio/wav", ErrEmpty},
		{"zero frames", Decoder{}, zeroFrames, "audio/wav", ErrEmpty},
		{"no data chunk", Decoder{}, noData, "audio/wav", ErrCorrupt},
		{"data before fmt", Decoder{}, dataFirst, "audio/wav", ErrCorrupt},
		{"short fmt", Decoder{}, shortFmt, "audio/wav", ErrCorrupt},
		{"truncated header", Decoder{}, good[:11], "audio/wav", ErrCorrupt},
		{"chunk overruns", Decoder{}, overrun, "audio/wav", ErrCorrupt},
		{"a-law", Decoder{}, alaw, "audio/wav", ErrUnsupportedFormat},
		{"bad rate", Decoder{}, badRate, "audio/wav", ErrCorrupt},
		{"12-bit", Decoder{}, badBits, "audio/wav", ErrUnsupportedFormat},
		{"zero channels", Decoder{}, noChannels, "audio/wav", ErrCorrupt},
		{"ogg without ffmpeg", Decoder{FFmpegPath: "/nonexistent/ffmpeg"}, []byte("OggS\x00\x02rest"), "audio/ogg", ErrUnsupportedFormat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.dec.Decode(context.Background(), tc.data, tc.mime)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestDecodeTruncatedDataIsClipped(t *testing.T) {
	// Streaming recorders leave the data size at 0xFFFFFFFF.
	b := wavBytes(wavPCM, 1, 16000, 16, tone(300, 16000, time.Second, 0.3))
	i := bytes.Index(b, []byte("data"))
	binary.LittleEndian.PutUint32(b[i+4:], 0xFFFFFFFF)
	b = b[:len(b)-1] // and an odd byte cut off the end
	clip, err := Decode(context.Background(), b, "audio/wav")
	if err != nil {
		t.Fatal(err)
	}
	if len(clip.Samples) != 15999 {
		t.Errorf("samples = %d, want 15999", len(clip.Samples))
	}
}

func TestHTTPStatus(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, 0},
		{ErrTooLarge, 413},
		{ErrTooLong, 422},
		{ErrCorrupt, 422},
		{ErrEmpty, 422},
		{ErrUnsupportedFormat, 422},
		{context.Canceled, 0},
	} {
		if got := HTTPStatus(tc.err); got != tc.want {
			t.Errorf("HTTPStatus(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}

func FuzzParseWAV(f *testing.F) {
	f.Add(wavBytes(wavPCM, 2, 44100, 24, tone(440, 44100, 10*time.Millisecond, 0.5)))
	f.Add(wavBytes(wavFloat, 1, 8000, 64, tone(440, 8000, 10*time.Millisecond, 0.5)))
	f.Add([]byte("RIFF\xff\xff\xff\xffWAVEfmt \x10\x00\x00\x00"))
	f.Add(EncodeWAV([]float32{0.1, -0.1}, 16000))
	f.Fuzz(func(t *testing.T, b []byte) {
		clip, err := Decoder{MaxDuration: 2 * time.Second, FFmpegPath: "/nonexistent"}.Decode(context.Background(), b, "audio/wav")
		if err == nil && len(clip.Samples) == 0 {
			t.Fatal("no error and no samples")
		}
		if err != nil && HTTPStatus(err) == 0 {
			t.Fatalf("untyped error %v", err)
		}
		for _, s := range clip.Samples {
			if s != s || s > 1 || s < -1 {
				t.Fatalf("sample %v outside [-1, 1]", s)
			}
		}
	})
}

package audio

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"time"
)

// SampleRate is the rate of every decoded Clip: what speech engines expect.
const SampleRate = speechRate

// Default intake limits.
const (
	DefaultMaxBytes      = 10 << 20
	DefaultMaxDuration   = 5 * time.Minute
	DefaultFFmpegTimeout = 30 * time.Second
)

// Clip is a decoded voice note: 16 kHz mono samples in [-1, 1].
type Clip struct {
	Samples []float32
	Source  Format // the container it arrived in
}

// Duration is the length of the clip.
func (c Clip) Duration() time.Duration {
	return time.Duration(len(c.Samples)) * time.Second / SampleRate
}

// WAV encodes the clip as a 16 kHz mono 16-bit WAV file.
func (c Clip) WAV() []byte { return EncodeWAV(c.Samples, SampleRate) }

// PCM16 returns the samples as 16-bit integers.
func (c Clip) PCM16() []int16 {
	out := make([]int16, len(c.Samples))
	for i, s := range c.Samples {
		out[i] = ToInt16(s)
	}
	return out
}

// Decoder turns uploaded bytes into a Clip within its limits. The zero value
// uses the defaults and looks up ffmpeg on PATH.
type Decoder struct {
	MaxBytes      int64         // default DefaultMaxBytes
	MaxDuration   time.Duration // default DefaultMaxDuration
	FFmpegPath    string        // default: "ffmpeg" looked up on PATH
	FFmpegTimeout time.Duration // default DefaultFFmpegTimeout
}

// Decode decodes with the default limits.
func Decode(ctx context.Context, data []byte, mimeType string) (Clip, error) {
	return Decoder{}.Decode(ctx, data, mimeType)
}

func (d Decoder) maxBytes() int64 {
	if d.MaxBytes > 0 {
		return d.MaxBytes
	}
	return DefaultMaxBytes
}

func (d Decoder) maxDuration() time.Duration {
	if d.MaxDuration > 0 {
		return d.MaxDuration
	}
	return DefaultMaxDuration
}

// Decode recognises the container from the bytes (the MIME type is only a
// hint for bytes that match no signature), decodes it to 16 kHz mono and
// checks the limits. Errors wrap ErrTooLarge, ErrTooLong, ErrCorrupt,
// ErrEmpty or ErrUnsupportedFormat, or are the context's error.
func (d Decoder) Decode(ctx context.Context, data []byte, mimeType string) (Clip, error) {
	if len(data) == 0 {
		return Clip{}, fmt.Errorf("%w: no bytes", ErrEmpty)
	}
	if int64(len(data)) > d.maxBytes() {
		return Clip{}, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), d.maxBytes())
	}
	f := Sniff(data)
	var (
		samples []float32
		err     error
	)
	switch {
	case f == WAV:
		samples, err = d.decodeWAV(data)
	case f != Unknown:
		samples, err = d.decodeFFmpeg(ctx, data)
	case FormatFromMIME(mimeType) != Unknown:
		// Labelled as audio, but the bytes match no audio signature.
		return Clip{}, fmt.Errorf("%w: bytes do not match the %s signature", ErrCorrupt, FormatFromMIME(mimeType))
	default:
		return Clip{}, fmt.Errorf("%w: unrecognised bytes", ErrUnsupportedFormat)
	}
	if err != nil {
		return Clip{}, err
	}
	if len(samples) == 0 {
		return Clip{}, fmt.Errorf("%w: no samples", ErrEmpty)
	}
	if silent(samples) {
		return Clip{}, fmt.Errorf("%w: digital silence", ErrEmpty)
	}
	return Clip{Samples: samples, Source: f}, nil
}

func (d Decoder) decodeWAV(data []byte) ([]float32, error) {
	h, err := parseWAVHeader(data)
	if err != nil {
		return nil, err
	}
	// Check the duration from the header before allocating anything.
	if dur := time.Duration(h.frames()) * time.Second / time.Duration(h.rate); dur > d.maxDuration() {
		return nil, fmt.Errorf("%w: %s, limit %s", ErrTooLong, dur.Round(time.Second), d.maxDuration())
	}
	return Resample(h.mono(), h.rate, SampleRate), nil
}

// decodeFFmpeg pipes the bytes through ffmpeg to 16 kHz mono s16le. Output
// beyond MaxDuration is not read: ffmpeg is stopped and ErrTooLong returned.
// ffmpeg's own messages are not put in errors: they can echo metadata tags
// (titles, artist names) that may be personal.
func (d Decoder) decodeFFmpeg(ctx context.Context, data []byte) ([]float32, error) {
	bin := d.FFmpegPath
	if bin == "" {
		bin = "ffmpeg"
	}
	path, err := exec.LookPath(bin)
	if err != nil {
		return nil, fmt.Errorf("%w: %s needs ffmpeg, which is not installed", ErrUnsupportedFormat, Sniff(data))
	}
	timeout := d.FFmpegTimeout
	if timeout <= 0 {
		timeout = DefaultFFmpegTimeout
	}
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(runCtx, path, "-nostdin", "-hide_banner", "-loglevel", "error",
		"-i", "pipe:0", "-vn", "-f", "s16le", "-acodec", "pcm_s16le", "-ac", "1", "-ar", "16000", "pipe:1")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("audio: ffmpeg pipe: %w", err)
	}
	if err := cmd.Start(); err != nil {
		if cerr := runErr(ctx, runCtx, timeout); cerr != nil {
			return nil, cerr
		}
		return nil, fmt.Errorf("%w: ffmpeg did not start", ErrUnsupportedFormat)
	}
	limit := int64(d.maxDuration()/time.Second)*SampleRate*2 + SampleRate*2 // +1 s of slack
	pcm, readErr := io.ReadAll(io.LimitReader(out, limit+1))
	tooLong := int64(len(pcm)) > limit
	if tooLong {
		_ = cmd.Process.Kill()
	}
	waitErr := cmd.Wait()
	switch {
	case tooLong:
		return nil, fmt.Errorf("%w: over %s", ErrTooLong, d.maxDuration())
	case runErr(ctx, runCtx, timeout) != nil:
		return nil, runErr(ctx, runCtx, timeout)
	case readErr != nil || waitErr != nil:
		return nil, fmt.Errorf("%w: ffmpeg could not decode the %s stream", ErrCorrupt, Sniff(data))
	}
	samples := make([]float32, len(pcm)/2)
	for i := range samples {
		samples[i] = float32(int16(uint16(pcm[2*i])|uint16(pcm[2*i+1])<<8)) / 32768
	}
	if dur := time.Duration(len(samples)) * time.Second / SampleRate; dur > d.maxDuration() {
		return nil, fmt.Errorf("%w: %s, limit %s", ErrTooLong, dur.Round(time.Second), d.maxDuration())
	}
	return samples, nil
}

// silent reports digital silence: every sample exactly zero.
func silent(s []float32) bool {
	for _, v := range s {
		if v != 0 {
			return false
		}
	}
	return true
}

// runErr is the caller's context error, or a timeout of ffmpeg's own run.
// A timeout is not ErrCorrupt: a loaded machine is a reason to retry.
func runErr(ctx, runCtx context.Context, timeout time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if runCtx.Err() != nil {
		return fmt.Errorf("audio: ffmpeg timed out after %s: %w", timeout, context.DeadlineExceeded)
	}
	return nil
}

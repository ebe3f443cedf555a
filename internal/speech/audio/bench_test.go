package audio

import (
	"context"
	"testing"
	"time"
)

// BenchmarkDecodeWAV48kStereo: 30 s (5.8 MB, near the 10 MiB limit) of 48 kHz stereo 16-bit (what a
// desktop browser records) to 16 kHz mono. RTF = seconds per audio second.
func BenchmarkDecodeWAV48kStereo(b *testing.B) {
	data := wavBytes(wavPCM, 2, 48000, 16, tone(440, 48000, 30*time.Second, 0.5))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(context.Background(), data, "audio/wav"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/30, "RTF")
}

// BenchmarkDecodeOggOpus: one minute of a WhatsApp-style Ogg/Opus voice note
// through ffmpeg.
func BenchmarkDecodeOggOpus(b *testing.B) {
	data := encodeWith(b, wavBytes(wavPCM, 1, 48000, 16, tone(440, 48000, time.Minute, 0.5)), "-c:a", "libopus", "-b:a", "24k", "-f", "ogg")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(context.Background(), data, "audio/ogg"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/60, "RTF")
}

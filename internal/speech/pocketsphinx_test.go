package speech

import (
	"context"
	"errors"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/harbordesk/harbordesk/internal/speech/audio"
)

// espeakClip synthesises English with espeak-ng and decodes it.
func espeakClip(t testing.TB, text string) Audio {
	t.Helper()
	bin, err := exec.LookPath("espeak-ng")
	if err != nil {
		t.Skip("espeak-ng not installed (Debian package espeak-ng): no English speech to test pocketsphinx on")
	}
	wav, err := exec.Command(bin, "-v", "en-us", "-s", "120", "--stdout", text).Output()
	if err != nil {
		t.Fatalf("espeak-ng: %v", err)
	}
	clip, err := audio.Decode(context.Background(), wav, "audio/wav")
	if err != nil {
		t.Fatalf("decode espeak output: %v", err)
	}
	return clip
}

func newSphinx(t testing.TB) *PocketSphinx {
	t.Helper()
	ps, err := NewPocketSphinx(0)
	if errors.Is(err, ErrPocketSphinxMissing) {
		t.Skip("pocketsphinx CLI not installed (Debian packages pocketsphinx, pocketsphinx-en-us): offline English path not exercised")
	}
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// TestPocketSphinxOnSyntheticEnglish is deliberately loose: pocketsphinx's
// general English model is weak on espeak-ng's synthetic voice (it hears
// "one two three ..." as "won two three little robot ..."), so it only
// asserts that at least three of the ten number words come back, counting
// homophones ("won", "to", "for", "ate") since the model writes by sound.
func TestPocketSphinxOnSyntheticEnglish(t *testing.T) {
	ps := newSphinx(t)
	numbers := []string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
	clip := espeakClip(t, strings.Join(numbers, " "))
	tr, err := ps.Transcribe(context.Background(), clip, "en-US")
	if err != nil {
		t.Fatalf("Transcribe: %v", err)
	}
	homophones := map[string]bool{"won": true, "to": true, "too": true, "for": true, "ate": true}
	hits := 0
	for _, w := range strings.Fields(tr.Text) {
		if homophones[w] || slices.Contains(numbers, w) {
			hits++
		}
	}
	t.Logf("pocketsphinx heard %q (%d/10 number words)", tr.Text, hits)
	if hits < 3 {
		t.Errorf("only %d number words recognised in %q", hits, tr.Text)
	}
	if tr.Engine != "pocketsphinx" || tr.Language != "en" || tr.Duration != clip.Duration() {
		t.Errorf("transcript = %+v", tr)
	}
}

func TestPocketSphinxErrors(t *testing.T) {
	ps := newSphinx(t)
	if _, err := ps.Transcribe(context.Background(), testClip(), "yue"); !errors.Is(err, ErrNoEngine) {
		t.Errorf("cantonese: err = %v, want ErrNoEngine", err)
	}
	// A pure tone has no words in it.
	if _, err := ps.Transcribe(context.Background(), testClip(), ""); !errors.Is(err, ErrNoSpeech) {
		t.Errorf("tone: err = %v, want ErrNoSpeech", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ps.Transcribe(ctx, testClip(), "en"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

func TestParseSphinxOutput(t *testing.T) {
	for _, tc := range []struct {
		out  string
		json bool
		want string
	}{
		{"hello world\n\nmy parcel\n", false, "hello world my parcel"},
		{"", false, ""},
		{`{"b":0.0,"d":1.2,"p":1,"t":"hello world","w":[]}` + "\n" + `{"t":"again"}` + "\nnot json\n", true, "hello world again"},
		{`{"t":""}`, true, ""},
	} {
		if got := parseSphinxOutput([]byte(tc.out), tc.json); got != tc.want {
			t.Errorf("parseSphinxOutput(%q) = %q, want %q", tc.out, got, tc.want)
		}
	}
}

func BenchmarkPocketSphinx(b *testing.B) {
	ps := newSphinx(b)
	clip := espeakClip(b, "hello, I would like to return a damaged package, please call me back tomorrow")
	b.ResetTimer()
	for b.Loop() {
		if _, err := ps.Transcribe(context.Background(), clip, "en"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/clip.Duration().Seconds(), "RTF")
}

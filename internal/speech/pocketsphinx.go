package speech

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// PocketSphinx is the offline English fallback. It runs the CLI of the
// Debian packages pocketsphinx + pocketsphinx-en-us: 0.8/5prealpha ships
// pocketsphinx_continuous (hypotheses on stdout), 5.x ships
// `pocketsphinx single` (one JSON object per utterance). Binding it through
// cgo would tie the build to one library version; the CLI works with both.
//
// English only; accuracy is modest on clear speech and poor on synthetic
// speech, so it is used only when nothing better is configured.
type PocketSphinx struct {
	bin     string
	single  bool // 5.x CLI
	timeout time.Duration
}

// ErrPocketSphinxMissing: neither CLI was found on PATH.
var ErrPocketSphinxMissing = errors.New("speech: pocketsphinx is not installed (Debian packages pocketsphinx, pocketsphinx-en-us)")

// NewPocketSphinx finds the CLI on PATH. timeout bounds one run (0 → 2 min).
func NewPocketSphinx(timeout time.Duration) (*PocketSphinx, error) {
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	if p, err := exec.LookPath("pocketsphinx_continuous"); err == nil {
		return &PocketSphinx{bin: p, timeout: timeout}, nil
	}
	if p, err := exec.LookPath("pocketsphinx"); err == nil {
		return &PocketSphinx{bin: p, single: true, timeout: timeout}, nil
	}
	return nil, ErrPocketSphinxMissing
}

// Name identifies the engine in the contact status.
func (p *PocketSphinx) Name() string { return "pocketsphinx" }

// Languages is what it can transcribe.
func (p *PocketSphinx) Languages() []string { return []string{"en"} }

// Transcribe writes the clip to a private temp file and runs the CLI on it.
// A non-English hint is ErrNoEngine; an empty hint is taken as English.
func (p *PocketSphinx) Transcribe(ctx context.Context, a Audio, languageHint string) (Transcript, error) {
	if l := NormalizeLanguage(languageHint); l != "" && l != "en" {
		return Transcript{}, fmt.Errorf("pocketsphinx: %w %q", ErrNoEngine, l)
	}
	dir, err := os.MkdirTemp("", "harbordesk-sphinx-")
	if err != nil {
		return Transcript{}, fmt.Errorf("pocketsphinx: temp dir: %w", err)
	}
	defer os.RemoveAll(dir) // the voice note is personal data: never left behind
	wav := filepath.Join(dir, "voice.wav")
	if err := os.WriteFile(wav, a.WAV(), 0o600); err != nil {
		return Transcript{}, fmt.Errorf("pocketsphinx: temp file: %w", err)
	}
	runCtx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	args := []string{"-infile", wav, "-logfn", os.DevNull}
	if p.single {
		args = []string{"-loglevel", "FATAL", "single", wav}
	}
	cmd := exec.CommandContext(runCtx, p.bin, args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return Transcript{}, ctx.Err()
		}
		if runCtx.Err() != nil {
			return Transcript{}, fmt.Errorf("pocketsphinx: timed out after %s: %w", p.timeout, context.DeadlineExceeded)
		}
		return Transcript{}, fmt.Errorf("pocketsphinx: run failed: %w", err)
	}
	text := parseSphinxOutput(out.Bytes(), p.single)
	if text == "" {
		return Transcript{}, fmt.Errorf("pocketsphinx: %w", ErrNoSpeech)
	}
	return Transcript{Text: text, Language: "en", Duration: a.Duration(), Engine: p.Name()}, nil
}

// parseSphinxOutput joins the utterance hypotheses: plain lines from
// pocketsphinx_continuous, {"t": "..."} JSON lines from 5.x.
func parseSphinxOutput(out []byte, jsonLines bool) string {
	var words []string
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if jsonLines {
			var u struct {
				T string `json:"t"`
			}
			if json.Unmarshal([]byte(line), &u) != nil {
				continue
			}
			line = strings.TrimSpace(u.T)
		}
		if line != "" {
			words = append(words, line)
		}
	}
	return strings.Join(words, " ")
}

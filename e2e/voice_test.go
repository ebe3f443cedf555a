package e2e

import (
	"bytes"
	"encoding/base64"
	endian "encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/dingtalk"
	"github.com/harbordesk/harbordesk/internal/speech/whisper/whispertest"
)

// Voice notes end to end: the real binary, a fake OpenAI-compatible
// transcription server and a fake DingTalk robot, both speaking the
// documented protocols (multipart POST {base}/audio/transcriptions;
// robot/send with timestamp+sign).

const elevenPM = "我收到嘅貨爛咗，我要賠償"

// voiceBodyLimit restores the production request limit (the harness sets
// 64 KiB; a 2 s WAV is 87 KB in base64), so the 10 MiB audio limit is what
// answers 413. exec.Cmd keeps the last of duplicate variables.
const voiceBodyLimit = "HARBORDESK_MAX_BODY_BYTES=16777216"

// --- audio -----------------------------------------------------------------

// wavClip is a PCM WAV of a 220 Hz tone with a 4 Hz syllable-like envelope:
// loud enough to pass the silence check, small enough to post.
func wavClip(seconds float64, rate, bits int) []byte {
	n := int(seconds * float64(rate))
	bytesPer := bits / 8
	data := make([]byte, n*bytesPer)
	for i := range n {
		t := float64(i) / float64(rate)
		v := 0.4 * math.Sin(2*math.Pi*220*t) * (0.6 + 0.4*math.Sin(2*math.Pi*4*t))
		switch bits {
		case 8:
			data[i] = byte(128 + int(v*127))
		default:
			endian.LittleEndian.PutUint16(data[i*2:], uint16(int16(v*32767)))
		}
	}
	h := make([]byte, 44)
	copy(h, "RIFF")
	endian.LittleEndian.PutUint32(h[4:], uint32(36+len(data)))
	copy(h[8:], "WAVEfmt ")
	endian.LittleEndian.PutUint32(h[16:], 16)
	endian.LittleEndian.PutUint16(h[20:], 1) // PCM
	endian.LittleEndian.PutUint16(h[22:], 1) // mono
	endian.LittleEndian.PutUint32(h[24:], uint32(rate))
	endian.LittleEndian.PutUint32(h[28:], uint32(rate*bytesPer))
	endian.LittleEndian.PutUint16(h[32:], uint16(bytesPer))
	endian.LittleEndian.PutUint16(h[34:], uint16(bits))
	copy(h[36:], "data")
	endian.LittleEndian.PutUint32(h[40:], uint32(len(data)))
	return append(h, data...)
}

// wavInfo reads channels and rate from a canonical WAV header.
func wavInfo(b []byte) (ok bool, channels, rate int) {
	if len(b) < 44 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return false, 0, 0
	}
	return true, int(endian.LittleEndian.Uint16(b[22:])), int(endian.LittleEndian.Uint32(b[24:]))
}

// --- fake transcription server ---------------------------------------------

type asrRequest struct {
	Model, Format, Language, FileName string
	WAV                               bool
	Channels, Rate, Status            int
}

// fakeASR is an OpenAI-compatible transcription server. Its script says
// what the next requests get: statuses in order, then text with 200, or
// refuse (a status for every request).
type fakeASR struct {
	srv *httptest.Server

	mu     sync.Mutex
	text   string
	fail   []int
	refuse int
	reqs   []asrRequest
}

func newFakeASR(t *testing.T) *fakeASR {
	f := &fakeASR{}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeASR) baseURL() string { return f.srv.URL + "/v1" }

func (f *fakeASR) script(text string, refuse int, fail ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.text, f.refuse, f.fail, f.reqs = text, refuse, fail, nil
}

func (f *fakeASR) requests() []asrRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.reqs)
}

func openAIError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": "invalid_request_error"}})
}

func (f *fakeASR) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/audio/transcriptions" {
		openAIError(w, http.StatusNotFound, "unknown route")
		return
	}
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		openAIError(w, http.StatusBadRequest, "want multipart/form-data")
		return
	}
	req := asrRequest{Model: r.FormValue("model"), Format: r.FormValue("response_format"), Language: r.FormValue("language")}
	file, hdr, err := r.FormFile("file")
	if err == nil {
		req.FileName = hdr.Filename
		b, _ := io.ReadAll(file)
		file.Close()
		req.WAV, req.Channels, req.Rate = wavInfo(b)
	}
	f.mu.Lock()
	switch {
	case err != nil || req.Model == "":
		req.Status = http.StatusBadRequest // what OpenAI answers for a missing file or model
	case f.refuse != 0:
		req.Status = f.refuse
	case len(f.fail) > 0:
		req.Status, f.fail = f.fail[0], f.fail[1:]
	default:
		req.Status = http.StatusOK
	}
	f.reqs = append(f.reqs, req)
	text := f.text
	f.mu.Unlock()
	if req.Status != http.StatusOK {
		openAIError(w, req.Status, "scripted failure")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"text": text})
}

// --- fake DingTalk custom robot ----------------------------------------------

type robotPush struct {
	Valid   bool
	MsgType string
	Text    string
}

// fakeRobot verifies timestamp+sign as DingTalk does and records pushes.
type fakeRobot struct {
	srv    *httptest.Server
	secret string
	mu     sync.Mutex
	pushes []robotPush
}

func newFakeRobot(t *testing.T, secret string) *fakeRobot {
	f := &fakeRobot{secret: secret}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		ts, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
		skew := time.Since(time.UnixMilli(ts)).Abs()
		valid := err == nil && q.Get("access_token") == "tok" && q.Get("sign") == dingtalk.Sign(f.secret, ts) && skew < dingtalk.MaxSkew
		var body struct {
			MsgType  string `json:"msgtype"`
			Markdown struct{ Title, Text string }
			Text     struct{ Content string }
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		f.mu.Lock()
		f.pushes = append(f.pushes, robotPush{Valid: valid, MsgType: body.MsgType,
			Text: body.Markdown.Title + "\n" + body.Markdown.Text + body.Text.Content})
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if !valid {
			_, _ = io.WriteString(w, `{"errcode":310000,"errmsg":"sign not match"}`)
			return
		}
		_, _ = io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeRobot) webhook() string { return f.srv.URL + "/robot/send?access_token=tok" }

func (f *fakeRobot) all() []robotPush {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.pushes)
}

// --- API helpers -------------------------------------------------------------

type voiceView struct {
	ContactID  string `json:"contact_id"`
	State      string `json:"state"`
	Language   string `json:"language"`
	Intent     string `json:"intent"`
	Negative   bool   `json:"negative"`
	Priority   string `json:"priority"`
	Transcript []struct {
		MessageID string `json:"message_id"`
		Kind      string `json:"kind"`
		Text      string `json:"text"`
		Engine    string `json:"engine"`
	} `json:"transcript"`
	Ticket *struct {
		ID, Kind, Priority, Status string
	} `json:"ticket"`
	Handoff *struct {
		ID, State string
	} `json:"handoff"`
	Replies []reply `json:"replies"`
}

type reply struct{ Author, Kind string }

// voice returns the transcript entry of message id, if recorded.
func (v voiceView) voice(id string) (kind, text, engine string, ok bool) {
	for _, m := range v.Transcript {
		if m.MessageID == id {
			return m.Kind, m.Text, m.Engine, true
		}
	}
	return "", "", "", false
}

type postAnswer struct {
	ContactID string `json:"contact_id"`
	Error     struct {
		Code, Message string
	} `json:"error"`
}

func (in *instance) postVoice(conv, msgID string, wav []byte) (int, postAnswer) {
	in.t.Helper()
	var a postAnswer
	code := in.call("POST", "/v1/contacts", adminKey, map[string]string{"channel": "api", "customer_id": "c-" + conv,
		"conversation_id": conv, "message_id": msgID, "audio_base64": base64.StdEncoding.EncodeToString(wav),
		"audio_mime": "audio/wav"}, &a)
	return code, a
}

// pollVoice polls the contact every 20 ms (fine enough to time the voice
// path) until cond holds.
func (in *instance) pollVoice(t *testing.T, id string, timeout time.Duration, cond func(voiceView) bool) voiceView {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var v voiceView
	for time.Now().Before(deadline) {
		v = voiceView{}
		if in.call("GET", "/v1/contacts/"+id, adminKey, nil, &v) == http.StatusOK && cond(v) {
			return v
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("contact %s: condition not met within %s; last %+v", id, timeout, v)
	return v
}

func (in *instance) handoffReason(t *testing.T, contactID string) string {
	t.Helper()
	var q struct {
		Items []struct {
			ContactID string `json:"contact_id"`
			Reason    string `json:"reason"`
		} `json:"items"`
	}
	if code := in.call("GET", "/v1/handoffs?state=open", adminKey, nil, &q); code != http.StatusOK {
		t.Fatalf("GET /v1/handoffs = %d", code)
	}
	for _, h := range q.Items {
		if h.ContactID == contactID {
			return h.Reason
		}
	}
	return ""
}

func recorded(id string) func(voiceView) bool {
	return func(v voiceView) bool { _, _, _, ok := v.voice(id); return ok }
}

// --- tests -------------------------------------------------------------------

// TestVoiceElevenPMComplaint: the seed's showcase and the transcription
// server's failure modes, on one instance (the fake's script is switched
// between steps, so the steps run in order).
func TestVoiceElevenPMComplaint(t *testing.T) {
	t.Parallel()
	asr := newFakeASR(t)
	robot := newFakeRobot(t, "SECvoice-e2e")
	in := start(t, "HARBORDESK_ASR_URL="+asr.baseURL(),
		"HARBORDESK_DINGTALK_WEBHOOK="+robot.webhook(), "HARBORDESK_DINGTALK_SECRET=SECvoice-e2e", voiceBodyLimit)
	clip := wavClip(2, 16000, 16)

	t.Run("cantonese damaged item becomes a P1 ticket and a signed push", func(t *testing.T) {
		asr.script(elevenPM, 0)
		code, a := in.postVoice("k-11pm", "m-11pm", clip)
		if code != http.StatusAccepted {
			t.Fatalf("POST voice = %d %+v", code, a.Error)
		}
		v := in.pollVoice(t, a.ContactID, 30*time.Second, func(v voiceView) bool {
			_, _, _, ok := v.voice("m-11pm")
			return ok && v.Ticket != nil && v.Priority != ""
		})
		kind, text, engine, _ := v.voice("m-11pm")
		if kind != "voice" || !strings.Contains(text, "爛咗") || engine != "http:whisper-1" {
			t.Errorf("transcript = %s %q by %q, want voice with 爛咗 by http:whisper-1", kind, text, engine)
		}
		if v.Language != "yue" || v.Intent != "damaged_item" || !v.Negative || v.Priority != "P1" || v.Ticket.Priority != "P1" {
			t.Errorf("reading = %s/%s negative=%v priority=%s ticket=%s, want yue/damaged_item/true/P1/P1",
				v.Language, v.Intent, v.Negative, v.Priority, v.Ticket.Priority)
		}
		reqs := asr.requests()
		if len(reqs) != 1 {
			t.Fatalf("transcription requests = %d, want 1", len(reqs))
		}
		if r := reqs[0]; !r.WAV || r.Channels != 1 || r.Rate != 16000 || r.Model != "whisper-1" ||
			!strings.HasSuffix(r.FileName, ".wav") || r.Format == "" {
			t.Errorf("upload = %+v, want a 16 kHz mono WAV file with model whisper-1 and a response_format", r)
		}
		deadline := time.Now().Add(20 * time.Second)
		var pushes []robotPush
		for time.Now().Before(deadline) {
			if pushes = robot.all(); slices.ContainsFunc(pushes, func(p robotPush) bool { return p.Valid }) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if len(pushes) == 0 {
			t.Fatal("no supervisor push for the P1 voice complaint")
		}
		for _, p := range pushes {
			if !p.Valid || p.MsgType == "" || !strings.Contains(p.Text, "P1") {
				t.Errorf("push valid=%v msgtype=%q mentions P1=%v, want a signed push about a P1", p.Valid, p.MsgType, strings.Contains(p.Text, "P1"))
			}
		}
	})

	t.Run("real-time factor of the voice path", func(t *testing.T) {
		// post → transcript recorded, with an instant transcription server:
		// what the desk itself adds (intake check, vault, workflow, decode,
		// upload, understanding, PostgreSQL). Logged, not asserted.
		asr.script("唔該，我想問下張單幾時到", 0)
		var rtf []float64
		for i := range 5 {
			id := fmt.Sprintf("m-rtf-%d", i)
			t0 := time.Now()
			code, a := in.postVoice(fmt.Sprintf("k-rtf-%d", i), id, clip)
			if code != http.StatusAccepted {
				t.Fatalf("POST voice = %d", code)
			}
			in.pollVoice(t, a.ContactID, 30*time.Second, recorded(id))
			rtf = append(rtf, time.Since(t0).Seconds()/2)
		}
		slices.Sort(rtf)
		t.Logf("voice path real-time factor, 2 s clip, fake ASR: min %.3f median %.3f max %.3f (n=%d)", rtf[0], rtf[len(rtf)/2], rtf[len(rtf)-1], len(rtf))
	})

	t.Run("server errors are retried until it recovers", func(t *testing.T) {
		asr.script("你哋幾點收舖？", 0, 500, 500, 503)
		code, a := in.postVoice("k-5xx", "m-5xx", clip)
		if code != http.StatusAccepted {
			t.Fatalf("POST voice = %d", code)
		}
		v := in.pollVoice(t, a.ContactID, 60*time.Second, recorded("m-5xx"))
		kind, text, engine, _ := v.voice("m-5xx")
		if kind != "voice" || !strings.Contains(text, "收舖") || engine != "http:whisper-1" || v.Handoff != nil {
			t.Errorf("after recovery: %s %q by %q, handoff %+v; want the transcript and no handoff", kind, text, engine, v.Handoff)
		}
		// 3 failures then success: 4 requests, whether the retries happen
		// inside one activity attempt or across attempts.
		reqs := asr.requests()
		if len(reqs) != 4 || reqs[3].Status != http.StatusOK {
			t.Errorf("requests = %+v, want 3 failures then one success", reqs)
		}
	})

	t.Run("a refusal (400) is not retried and goes to a human", func(t *testing.T) {
		asr.script("never", http.StatusBadRequest)
		code, a := in.postVoice("k-400", "m-400", clip)
		if code != http.StatusAccepted {
			t.Fatalf("POST voice = %d", code)
		}
		// Wait for both: the status is read in several queries, so a poll
		// racing the turn's commit can see the handoff before the message.
		v := in.pollVoice(t, a.ContactID, 30*time.Second, func(v voiceView) bool { return recorded("m-400")(v) && v.Handoff != nil })
		reason := in.handoffReason(t, a.ContactID)
		if !strings.HasPrefix(reason, "voice_") || reason == "voice_no_engine" {
			t.Errorf("handoff reason = %q, want voice_* (the server refused)", reason)
		}
		if kind, _, _, ok := v.voice("m-400"); !ok || kind != "voice" {
			t.Errorf("voice message recorded as %+v", v.Transcript)
		}
		time.Sleep(2 * time.Second) // a retry would come after ≥ 1 s
		if n := len(asr.requests()); n != 1 {
			t.Errorf("refused request sent %d times, want 1", n)
		}
	})

	t.Run("unusable audio is refused at intake", func(t *testing.T) {
		asr.script("never", 0)
		truncated := wavClip(2, 16000, 16)[:30] // header cut inside fmt
		silent := wavClip(2, 16000, 16)
		for i := 44; i < len(silent); i++ {
			silent[i] = 0
		}
		for _, tc := range []struct {
			name    string
			audio   []byte
			code    int
			errCode string
		}{
			{"corrupt bytes", []byte{0, 0, 0, 0, 0, 0}, 422, "invalid_audio"},
			{"truncated WAV", truncated, 422, "invalid_audio"},
			{"digital silence", silent, 422, "invalid_audio"},
			{"not audio", []byte(strings.Repeat("hello, this is text not audio ", 20)), 422, "invalid_audio"},
			{"over 5 minutes", wavClip(6*60, 8000, 8), 422, "invalid_audio"},
			{"over 10 MiB", make([]byte, 10<<20+1024), 413, "too_large"},
		} {
			code, a := in.postVoice("k-bad", "m-bad-"+strings.ReplaceAll(tc.name, " ", "-"), tc.audio)
			if code != tc.code || a.Error.Code != tc.errCode || a.Error.Message == "" || a.ContactID != "" {
				t.Errorf("%s: %d %+v, want %d %s", tc.name, code, a, tc.code, tc.errCode)
			}
			if tc.code == 413 && !strings.Contains(a.Error.Message, "audio") {
				t.Errorf("%s: message %q, want the audio limit (not the body limit)", tc.name, a.Error.Message)
			}
		}
		if n := len(asr.requests()); n != 0 {
			t.Errorf("refused audio reached the transcription server %d times", n)
		}
		if code := in.call("GET", "/healthz", "", nil, nil); code != http.StatusOK {
			t.Errorf("healthz after bad audio = %d", code)
		}
	})
}

// TestVoiceNoEngine: with no ASR server and no whisper model, a voice note
// in a Cantonese conversation is handed to a human with reason
// voice_no_engine. The only local engine, pocketsphinx, is English-only, so
// this holds whether or not it is installed; an English conversation's
// voice note reaches pocketsphinx when it is installed.
func TestVoiceNoEngine(t *testing.T) {
	t.Parallel()
	in := start(t, voiceBodyLimit)
	clip := wavClip(2, 16000, 16)

	answered := func(v voiceView) bool {
		return slices.ContainsFunc(v.Replies, func(r reply) bool { return r.Kind == "answer" || r.Kind == "handoff" })
	}
	voiceDone := func(v voiceView) bool {
		_, _, engine, ok := v.voice("m-voice")
		return ok && (engine != "" || v.Handoff != nil)
	}

	a := in.post("api", "c-yue", "k-yue", "m-text", "你哋幾點收舖？")
	if v := in.pollVoice(t, a.ContactID, 20*time.Second, answered); v.Language != "yue" || v.Handoff != nil {
		t.Fatalf("Cantonese text: language %q, handoff %+v; want yue answered by the bot", v.Language, v.Handoff)
	}
	if code, _ := in.postVoice("k-yue", "m-voice", clip); code != http.StatusAccepted {
		t.Fatalf("POST voice = %d", code)
	}
	v := in.pollVoice(t, a.ContactID, 30*time.Second, voiceDone)
	if r := in.handoffReason(t, a.ContactID); r != "voice_no_engine" {
		t.Errorf("handoff reason = %q, want voice_no_engine", r)
	}
	if kind, _, engine, _ := v.voice("m-voice"); kind != "voice" || engine != "" {
		t.Errorf("voice message recorded as %q by %q, want kind voice, no engine", kind, engine)
	}
	// Nothing can ever transcribe it: the audio is deleted, not kept for the
	// retention period.
	if n := waitAudioBlobs(t, in, a.ContactID, 0, 10*time.Second); n != 0 {
		t.Errorf("%d voice notes kept for a contact whose audio no engine can read", n)
	}

	_, errSphinx := exec.LookPath("pocketsphinx_continuous")
	if errSphinx != nil {
		_, errSphinx = exec.LookPath("pocketsphinx")
	}
	e := in.post("api", "c-en", "k-en", "m-text", "Hello, what time do you open today?")
	if ev := in.pollVoice(t, e.ContactID, 20*time.Second, answered); ev.Language != "en" || ev.Handoff != nil {
		t.Logf("English text: language %q, handoff %+v; English voice route not checked", ev.Language, ev.Handoff)
		return
	}
	if code, _ := in.postVoice("k-en", "m-voice", clip); code != http.StatusAccepted {
		t.Fatalf("POST voice = %d", code)
	}
	ev := in.pollVoice(t, e.ContactID, 60*time.Second, voiceDone)
	_, _, engine, _ := ev.voice("m-voice")
	reason := ""
	if ev.Handoff != nil {
		reason = in.handoffReason(t, e.ContactID)
	}
	switch {
	case errSphinx == nil && (reason == "voice_no_engine" || (engine != "" && engine != "pocketsphinx")):
		t.Errorf("pocketsphinx installed but English voice note: engine %q, handoff reason %q", engine, reason)
	case errSphinx != nil && reason != "voice_no_engine":
		t.Errorf("no pocketsphinx: English voice note handoff reason %q, want voice_no_engine", reason)
	default:
		// A tone is not speech: pocketsphinx hears nothing (voice_bad_audio) or noise.
		t.Logf("English voice note (pocketsphinx installed: %v): engine %q, handoff reason %q", errSphinx == nil, engine, reason)
	}
}

// TestVoiceManagedWhisper: HARBORDESK_WHISPER_MODEL makes `harbordesk dev`
// start and supervise the whisper-server built by `make whisper`, and voice
// notes are transcribed by it.
func TestVoiceManagedWhisper(t *testing.T) {
	t.Parallel()
	bin, _ := filepath.Abs(filepath.Join("..", ".tools", "whisper", "bin", "whisper-server"))
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("whisper-server not built (%s missing; run make whisper): managed whisper.cpp path not exercised", bin)
	}
	model := filepath.Join(t.TempDir(), "ggml-tiny-one-token.bin")
	if err := whispertest.WriteOneTokenTiny(model, 'a'); err != nil {
		t.Fatal(err)
	}
	in := start(t, "HARBORDESK_WHISPER_MODEL="+model, "HARBORDESK_WHISPER_BIN="+bin, voiceBodyLimit)

	pids := processesWith(model)
	if len(pids) != 1 {
		t.Fatalf("whisper-server processes running the model: %v, want 1", pids)
	}
	t.Cleanup(func() { // a leaked server is a failure, then removed
		for _, pid := range processesWith(model) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	})

	t0 := time.Now()
	code, a := in.postVoice("k-whisper", "m-whisper", wavClip(2, 16000, 16))
	if code != http.StatusAccepted {
		t.Fatalf("POST voice = %d", code)
	}
	v := in.pollVoice(t, a.ContactID, 90*time.Second, func(v voiceView) bool {
		_, _, _, ok := v.voice("m-whisper")
		return ok
	})
	kind, text, engine, _ := v.voice("m-whisper")
	if kind != "voice" || engine != "whisper.cpp" || !strings.Contains(text, "aaaa") {
		t.Errorf("transcript = %s %q by %q (handoff %+v), want the model's a…a by whisper.cpp", kind, text, engine, v.Handoff)
	}
	t.Logf("managed whisper.cpp (one-token tiny model, 32-token text context): 2 s clip post → transcript %s", time.Since(t0).Round(time.Millisecond))

	in.stop()
	deadline := time.Now().Add(15 * time.Second)
	for len(processesWith(model)) > 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if left := processesWith(model); len(left) > 0 {
		t.Errorf("whisper-server %v still running after harbordesk stopped", left)
	}
}

// processesWith lists the pids whose command line mentions s (unique per
// test: a temp path).
func processesWith(s string) []int {
	dirs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	var pids []int
	for _, p := range dirs {
		b, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(b, []byte(s)) || !bytes.Contains(b, []byte("whisper-server")) {
			continue
		}
		if pid, err := strconv.Atoi(filepath.Base(filepath.Dir(p))); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

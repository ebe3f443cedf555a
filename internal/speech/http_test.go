package speech

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/speech/audio"
)

func testClip() Audio {
	s := make([]float32, audio.SampleRate) // 1 s of 220 Hz
	for i := range s {
		s[i] = float32(0.25 * math.Sin(2*math.Pi*220*float64(i)/audio.SampleRate))
	}
	return Audio{Samples: s, Source: audio.WAV}
}

// fakeASR speaks the OpenAI transcription protocol and checks the form the
// way a real server parses it.
type fakeASR struct {
	t        *testing.T
	statuses []int // answered in turn; 200 after the list runs out
	body     string
	delay    time.Duration
	calls    atomic.Int32
	lastForm map[string]string
	lastAuth string
	fileWAV  bool
}

func (f *fakeASR) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := int(f.calls.Add(1))
	if r.Method != http.MethodPost || r.URL.Path != "/v1/audio/transcriptions" {
		http.Error(w, `{"error":{"message":"not found"}}`, http.StatusNotFound)
		return
	}
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		http.Error(w, `{"error":{"message":"bad form"}}`, http.StatusBadRequest)
		return
	}
	f.lastAuth = r.Header.Get("Authorization")
	f.lastForm = map[string]string{}
	for k, v := range r.MultipartForm.Value {
		f.lastForm[k] = v[0]
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		http.Error(w, `{"error":{"message":"file is required"}}`, http.StatusBadRequest)
		return
	}
	data, _ := io.ReadAll(file)
	dec, derr := audio.Decode(context.Background(), data, hdr.Header.Get("Content-Type"))
	f.fileWAV = derr == nil && dec.Source == audio.WAV && strings.HasSuffix(hdr.Filename, ".wav")
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-r.Context().Done():
			return
		}
	}
	if n <= len(f.statuses) && f.statuses[n-1] != 200 {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(f.statuses[n-1])
		_, _ = w.Write([]byte(`{"error":{"message":"model busy","type":"server_error"}}`))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(f.body))
}

func serve(t *testing.T, f *fakeASR) string {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return srv.URL + "/v1"
}

func TestHTTPSendsOpenAIForm(t *testing.T) {
	for _, tc := range []struct {
		name       string
		hint       string
		opts       []HTTPOption
		body       string
		wantForm   map[string]string
		wantLang   string
		noLanguage bool
	}{
		{
			name:     "cantonese json",
			hint:     "zh-HK",
			body:     `{"text":"我收到嘅貨爛咗，我要賠償"}`,
			wantForm: map[string]string{"model": "whisper-1", "response_format": "json", "language": "yue"},
			wantLang: "yue",
		},
		{
			name:     "verbose json reports language name",
			hint:     "",
			opts:     []HTTPOption{WithResponseFormat("verbose_json")},
			body:     `{"task":"transcribe","language":"english","duration":1.0,"text":" Hello, my parcel is broken. "}`,
			wantForm: map[string]string{"model": "whisper-1", "response_format": "verbose_json"},
			wantLang: "en", noLanguage: true,
		},
		{
			name:     "language map for servers without yue",
			hint:     "yue",
			opts:     []HTTPOption{WithLanguageMap(map[string]string{"yue": "zh"})},
			body:     `{"text":"我要賠償"}`,
			wantForm: map[string]string{"model": "whisper-1", "response_format": "json", "language": "zh"},
			wantLang: "yue",
		},
		{
			name:     "mapped to auto-detect",
			hint:     "yue",
			opts:     []HTTPOption{WithLanguageMap(map[string]string{"yue": ""})},
			body:     `{"text":"我要賠償"}`,
			wantForm: map[string]string{"model": "whisper-1", "response_format": "json"},
			wantLang: "yue", noLanguage: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeASR{t: t, body: tc.body}
			e := NewHTTP(serve(t, f)+"/", "whisper-1", "sk-test", tc.opts...)
			tr, err := e.Transcribe(context.Background(), testClip(), tc.hint)
			if err != nil {
				t.Fatalf("Transcribe: %v", err)
			}
			for k, v := range tc.wantForm {
				if f.lastForm[k] != v {
					t.Errorf("form %s = %q, want %q", k, f.lastForm[k], v)
				}
			}
			if _, has := f.lastForm["language"]; has == tc.noLanguage {
				t.Errorf("language field present = %v", has)
			}
			if !f.fileWAV {
				t.Error("file part is not a decodable 16 kHz WAV named *.wav")
			}
			if f.lastAuth != "Bearer sk-test" {
				t.Errorf("Authorization = %q", f.lastAuth)
			}
			if tr.Language != tc.wantLang || tr.Engine != "http:whisper-1" || tr.Duration != time.Second {
				t.Errorf("transcript = %+v", tr)
			}
			var want struct{ Text string }
			_ = json.Unmarshal([]byte(tc.body), &want)
			if tr.Text != strings.TrimSpace(want.Text) {
				t.Errorf("text = %q", tr.Text)
			}
		})
	}
}

func TestHTTPRetriesAndErrors(t *testing.T) {
	for _, tc := range []struct {
		name      string
		fake      *fakeASR
		opts      []HTTPOption
		base      string
		wantCalls int32
		wantErr   error
		permanent bool
		ok        bool
	}{
		{"503 then ok", &fakeASR{statuses: []int{503}, body: `{"text":"ok"}`}, nil, "", 2, nil, false, true},
		{"429 then ok", &fakeASR{statuses: []int{429}, body: `{"text":"ok"}`}, nil, "", 2, nil, false, true},
		{"500 twice is retryable", &fakeASR{statuses: []int{500, 500}}, nil, "", 2, nil, false, false},
		{"400 is permanent, not retried", &fakeASR{statuses: []int{400}}, nil, "", 1, nil, true, false},
		{"401 is permanent", &fakeASR{statuses: []int{401}}, nil, "", 1, nil, true, false},
		{"not json is permanent", &fakeASR{body: `<html>`}, nil, "", 1, nil, true, false},
		{"empty text is no speech", &fakeASR{body: `{"text":"  "}`}, nil, "", 1, ErrNoSpeech, true, false},
		{"timeout is retryable", &fakeASR{delay: time.Second, body: `{"text":"late"}`},
			[]HTTPOption{WithTimeout(50 * time.Millisecond), WithRetries(2, time.Millisecond)}, "", 2, context.DeadlineExceeded, false, false},
		{"wrong path is 404 permanent", &fakeASR{body: `{"text":"x"}`}, nil, "/v2", 1, nil, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.fake
			opts := append([]HTTPOption{WithRetries(2, time.Millisecond)}, tc.opts...)
			base := serve(t, f)
			if tc.base != "" {
				base = strings.TrimSuffix(base, "/v1") + tc.base
			}
			_, err := NewHTTP(base, "m", "", opts...).Transcribe(context.Background(), testClip(), "en")
			if got := f.calls.Load(); got != tc.wantCalls {
				t.Errorf("calls = %d, want %d", got, tc.wantCalls)
			}
			if tc.ok {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			if IsPermanent(err) != tc.permanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, IsPermanent(err), tc.permanent)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
		})
	}
}

func TestHTTPConnectionRefusedIsRetryable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL + "/v1"
	srv.Close()
	_, err := NewHTTP(base, "m", "", WithRetries(1, 0)).Transcribe(context.Background(), testClip(), "")
	if err == nil || IsPermanent(err) {
		t.Fatalf("err = %v, want a retryable error", err)
	}
	_, err = NewHTTP("::not a url", "m", "").Transcribe(context.Background(), testClip(), "")
	if !IsPermanent(err) {
		t.Fatalf("bad URL err = %v, want permanent", err)
	}
}

func TestHTTPCancelledWhileBackingOff(t *testing.T) {
	f := &fakeASR{statuses: []int{503, 503, 503}}
	ctx, cancel := context.WithCancel(context.Background())
	e := NewHTTP(serve(t, f), "m", "", WithRetries(3, time.Hour))
	go func() {
		for f.calls.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err := e.Transcribe(ctx, testClip(), "")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestNormalizeLanguage(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "yue": "yue", "yue-Hant-HK": "yue", "zh-HK": "yue", "zh_Hant_HK": "yue", "zh-MO": "yue",
		"zh": "zh", "zh-CN": "zh", "zh-Hans": "zh", "cmn": "zh", "EN-gb": "en", "english": "en",
		"Cantonese": "yue", "chinese": "zh", "tl": "tl",
	} {
		if got := NormalizeLanguage(in); got != want {
			t.Errorf("NormalizeLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsPermanent(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("boom"), false},
		{context.DeadlineExceeded, false},
		{Permanent(errors.New("bad request")), true},
		{ErrNoEngine, true},
		{ErrNoSpeech, true},
		{audio.ErrCorrupt, true},
		{audio.ErrTooLarge, true},
	} {
		if got := IsPermanent(tc.err); got != tc.want {
			t.Errorf("IsPermanent(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
	if Permanent(nil) != nil {
		t.Error("Permanent(nil) != nil")
	}
}

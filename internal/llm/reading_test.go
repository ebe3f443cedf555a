package llm

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

const goodReading = `{"language":"yue","script":"Hant","intent":"return_policy","negative":false,"sentiment":0,"priority":"P4","confidence":0.93}`

func TestOpenAIRead(t *testing.T) {
	want := Reading{Language: "yue", Script: "Hant", Intent: "return_policy", Sentiment: 0, Priority: "P4", Confidence: 0.93}
	tests := []struct {
		name       string
		reply      func(chatWire) (int, any)
		want       Reading
		wantErr    error
		wantStatus int
	}{
		{name: "reading", reply: ok(goodReading), want: want},
		{name: "fenced", reply: ok("```json\n" + goodReading + "\n```"), want: want},
		{name: "prose", reply: ok("The customer asks about returns."), wantErr: ErrBadReading},
		{name: "prose around JSON", reply: ok("Sure! " + goodReading), wantErr: ErrBadReading},
		{name: "two objects", reply: ok(goodReading + goodReading), wantErr: ErrBadReading},
		{name: "unknown intent", reply: ok(strings.Replace(goodReading, "return_policy", "returns", 1)), wantErr: ErrBadReading},
		{name: "missing field", reply: ok(`{"language":"yue","script":"Hant","intent":"return_policy","negative":false,"sentiment":0,"priority":"P4"}`), wantErr: ErrBadReading},
		{name: "extra field", reply: ok(strings.Replace(goodReading, `{`, `{"name":"[NAME]",`, 1)), wantErr: ErrBadReading},
		{name: "sentiment out of range", reply: ok(strings.Replace(goodReading, `"sentiment":0`, `"sentiment":-3`, 1)), wantErr: ErrBadReading},
		{name: "priority not a label", reply: ok(strings.Replace(goodReading, `"P4"`, `"urgent"`, 1)), wantErr: ErrBadReading},
		{name: "negative as string", reply: ok(strings.Replace(goodReading, `"negative":false`, `"negative":"no"`, 1)), wantErr: ErrBadReading},
		{name: "English in Han script", reply: ok(strings.Replace(goodReading, `"yue"`, `"en"`, 1)), wantErr: ErrBadReading},
		{name: "truncated", reply: func(chatWire) (int, any) { return http.StatusOK, completion(`{"language":"yue",`, "length") }, wantErr: ErrTruncated},
		{name: "server error", reply: func(chatWire) (int, any) { return http.StatusInternalServerError, apiError("server_error", "") }, wantStatus: 500},
		{name: "slow", reply: func(chatWire) (int, any) { return 0, nil }, wantErr: context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakeChat{key: "sk-test", reply: tt.reply}
			srv := httptest.NewServer(fake)
			defer srv.Close()
			o := NewOpenAI(srv.URL+"/v1", "test-model", "sk-test", WithReadTimeout(300*time.Millisecond))
			start := time.Now()
			got, err := o.Read(t.Context(), "我想退貨，我電話係 91234567")
			if time.Since(start) > 2*time.Second {
				t.Errorf("read took %v, past its timeout", time.Since(start))
			}
			var se *StatusError
			switch {
			case tt.wantStatus != 0:
				if !errors.As(err, &se) || se.Status != tt.wantStatus {
					t.Fatalf("err = %v, want HTTP %d", err, tt.wantStatus)
				}
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
			default:
				if err != nil || got != tt.want {
					t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
				}
			}
			if err != nil && strings.Contains(err.Error(), "退貨") {
				t.Errorf("error leaks customer text: %v", err)
			}
			reqs := fake.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want exactly 1 (no retries)", len(reqs))
			}
			for _, m := range reqs[0].Messages {
				if strings.Contains(m.Content, "91234567") {
					t.Fatalf("raw phone number sent to the model: %q", m.Content)
				}
			}
			if !strings.Contains(reqs[0].Messages[len(reqs[0].Messages)-1].Content, "[PHONE]") {
				t.Errorf("masked text not sent: %+v", reqs[0].Messages)
			}
		})
	}
}

// TestReadingSchema checks the response_format the server receives: a
// strict JSON schema whose enums are the contract's labels.
func TestReadingSchema(t *testing.T) {
	fake := &fakeChat{reply: ok(goodReading)}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	if _, err := NewOpenAI(srv.URL+"/v1", "m", "").Read(t.Context(), "幾點開門"); err != nil {
		t.Fatal(err)
	}
	var rf struct {
		Type       string `json:"type"`
		JSONSchema struct {
			Name   string `json:"name"`
			Strict bool   `json:"strict"`
			Schema struct {
				Required   []string `json:"required"`
				Additional bool     `json:"additionalProperties"`
				Properties map[string]struct {
					Enum []string `json:"enum"`
				} `json:"properties"`
			} `json:"schema"`
		} `json:"json_schema"`
	}
	if err := json.Unmarshal(fake.requests()[0].ResponseFormat, &rf); err != nil {
		t.Fatal(err)
	}
	if rf.Type != "json_schema" || !rf.JSONSchema.Strict || rf.JSONSchema.Schema.Additional {
		t.Fatalf("response_format = %+v", rf)
	}
	for _, f := range []string{"language", "script", "intent", "negative", "sentiment", "priority"} {
		if !slices.Contains(rf.JSONSchema.Schema.Required, f) {
			t.Errorf("%s not required", f)
		}
	}
	if got := rf.JSONSchema.Schema.Properties["intent"].Enum; len(got) != 14 || !slices.Contains(got, "other") {
		t.Errorf("intent enum = %v", got)
	}
}

func TestReadEmptyText(t *testing.T) {
	fake := &fakeChat{reply: ok(goodReading)}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	if _, err := NewOpenAI(srv.URL+"/v1", "m", "").Read(t.Context(), "  "); !errors.Is(err, ErrEmpty) {
		t.Fatalf("err = %v", err)
	}
	if n := len(fake.requests()); n != 0 {
		t.Fatalf("%d requests for an empty message", n)
	}
}

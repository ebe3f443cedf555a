package nlu

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestRunClassify(t *testing.T) {
	long := `{"text":"` + strings.Repeat("a", MaxLineBytes) + `"}`
	in := strings.Join([]string{
		`{"text":"出糧先落單"}`,
		`{"text":"   "}`,
		`not json`,
		`{"txt":"hi"}`,
		`{"text":"` + strings.Repeat("好", MaxRunes+1) + `"}`,
		"{\"text\":\"bad \xff\xfe\"}",
		`{"text":"bin\u0000ary"}`,
		long,
		``,
		`{"text":"are u guys open on public holidays"}`,
	}, "\n")
	var out bytes.Buffer
	if err := RunClassify(strings.NewReader(in), &out, Default()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{"place_order", "empty_text", "malformed_json", "malformed_json", "too_long", "not_utf8", "binary", "too_long", "business_hours"}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), out.String())
	}
	for i, l := range lines {
		var v struct {
			Intent string `json:"intent"`
			Error  *struct{ Code, Message string }
		}
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("line %d not JSON: %v", i+1, err)
		}
		got := v.Intent
		if v.Error != nil {
			got = v.Error.Code
			if v.Error.Message == "" {
				t.Errorf("line %d: empty error message", i+1)
			}
		}
		if got != want[i] {
			t.Errorf("line %d = %s, want %s", i+1, got, want[i])
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

type failReader struct{}

func (failReader) Read([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestRunClassifyIOErrors(t *testing.T) {
	if err := RunClassify(strings.NewReader(`{"text":"hi"}`+"\n"), failWriter{}, Default()); err == nil {
		t.Error("write error not returned")
	}
	if err := RunClassify(failReader{}, &bytes.Buffer{}, Default()); err == nil {
		t.Error("read error not returned")
	}
}

package dingtalkbot

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/dingtalk"
)

func TestVerifyAndParse(t *testing.T) {
	now := time.UnixMilli(1774080994334)
	ts := now.UnixMilli()
	good := dingtalk.Sign("app-secret", ts)
	tests := []struct {
		name    string
		body    string
		ts      string
		sign    string
		now     time.Time
		wantErr error
	}{
		{"signed", textCallback, strconv.FormatInt(ts, 10), good, now, nil},
		{"wrong sign", textCallback, strconv.FormatInt(ts, 10), "AAAA", now, dingtalk.ErrBadSignature},
		{"missing headers", textCallback, "", "", now, dingtalk.ErrMissingSignature},
		{"stale", textCallback, strconv.FormatInt(ts, 10), good, now.Add(2 * time.Hour), dingtalk.ErrStaleTimestamp},
		{"signed but malformed body", `{"msgId":""}`, strconv.FormatInt(ts, 10), good, now, ErrMalformedCallback},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := VerifyAndParse([]byte(tt.body), "app-secret", tt.ts, tt.sign, tt.now)
			if tt.wantErr == nil {
				if err != nil || c.MsgID == "" {
					t.Fatalf("got %+v, %v", c, err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

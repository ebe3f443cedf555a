package dingtalk

import (
	"crypto/subtle"
	"errors"
	"strconv"
	"time"
)

// Errors of VerifyCallback; the API maps them all to 401 without detail.
var (
	ErrMissingSignature = errors.New("dingtalk: callback timestamp or sign header missing")
	ErrBadTimestamp     = errors.New("dingtalk: callback timestamp is not milliseconds since the epoch")
	ErrStaleTimestamp   = errors.New("dingtalk: callback timestamp more than 1h from now")
	ErrBadSignature     = errors.New("dingtalk: callback signature does not match")
	ErrNoAppSecret      = errors.New("dingtalk: app secret is empty")
)

// VerifyCallback checks the timestamp and sign headers DingTalk sends with a
// robot callback (outgoing robot messages to our endpoint): the timestamp
// must be within MaxSkew of now and sign must equal Sign(appSecret,
// timestamp), compared in constant time.
func VerifyCallback(appSecret, timestampHeader, signHeader string, now time.Time) error {
	if appSecret == "" {
		return ErrNoAppSecret
	}
	if timestampHeader == "" || signHeader == "" {
		return ErrMissingSignature
	}
	ts, err := strconv.ParseInt(timestampHeader, 10, 64)
	if err != nil || ts <= 0 {
		return ErrBadTimestamp
	}
	skew := now.Sub(time.UnixMilli(ts))
	if skew > MaxSkew || skew < -MaxSkew {
		return ErrStaleTimestamp
	}
	want := Sign(appSecret, ts)
	if subtle.ConstantTimeCompare([]byte(want), []byte(signHeader)) != 1 {
		return ErrBadSignature
	}
	return nil
}

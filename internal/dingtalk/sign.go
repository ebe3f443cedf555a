package dingtalk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"strconv"
	"time"
)

// MaxSkew is how far a signed timestamp may be from the receiver's clock,
// DingTalk's own rule for both directions.
const MaxSkew = time.Hour

// Sign returns Base64(HmacSHA256(key=secret, msg=timestampMs+"\n"+secret)),
// not URL-encoded.
func Sign(secret string, timestampMs int64) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(timestampMs, 10)))
	mac.Write([]byte{'\n'})
	mac.Write([]byte(secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Errors of SignedURL. They never include the URL: its access_token is a
// credential.
var (
	ErrNoSecret       = errors.New("dingtalk: signing secret is empty")
	ErrBadWebhook     = errors.New("dingtalk: webhook is not an absolute http(s) URL")
	ErrNoAccessToken  = errors.New("dingtalk: webhook has no access_token query parameter")
	ErrBadWebhookBase = errors.New("dingtalk: webhook URL cannot be parsed")
)

// SignedURL returns webhook with timestamp (ms of now) and sign (URL-encoded)
// query parameters set, replacing any earlier ones.
func SignedURL(webhook, secret string, now time.Time) (string, error) {
	if secret == "" {
		return "", ErrNoSecret
	}
	u, err := url.Parse(webhook)
	if err != nil {
		return "", ErrBadWebhookBase
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", ErrBadWebhook
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return "", ErrBadWebhookBase
	}
	if q.Get("access_token") == "" {
		return "", ErrNoAccessToken
	}
	ts := now.UnixMilli()
	q.Set("timestamp", strconv.FormatInt(ts, 10))
	q.Set("sign", Sign(secret, ts))
	u.RawQuery = q.Encode()
	return u.String(), nil
}

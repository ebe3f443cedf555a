package dingtalkbot

import (
	"time"

	"github.com/harbordesk/harbordesk/internal/dingtalk"
)

// VerifyAndParse checks the callback's timestamp and sign headers with
// dingtalk.VerifyCallback (stale or wrong → its error, answer 401) and only
// then parses the body.
func VerifyAndParse(body []byte, appSecret, timestampHeader, signHeader string, now time.Time) (Callback, error) {
	if err := dingtalk.VerifyCallback(appSecret, timestampHeader, signHeader, now); err != nil {
		return Callback{}, err
	}
	return ParseCallback(body)
}

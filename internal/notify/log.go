package notify

import (
	"context"
	"log/slog"
)

// LogNotifier records notifications in the log when no pusher is
// configured. It logs only non-personal metadata: key, priority, level and
// contact link — never the title, summary or mentions.
type LogNotifier struct{ Log *slog.Logger }

// Notify implements Notifier; it never fails.
func (l LogNotifier) Notify(ctx context.Context, n Notification) error {
	log := l.Log
	if log == nil {
		log = slog.Default()
	}
	log.InfoContext(ctx, "supervisor notification (no pusher configured)",
		"key", n.Key, "priority", n.Priority, "level", n.Level,
		"reason", LevelLabel(n.Level), "contact_url", n.ContactURL, "mentions", len(n.Mentions))
	return nil
}

// FromConfig returns the DingTalk notifier when webhook is set (with the
// signing secret, which may be empty) and a LogNotifier otherwise; the
// second result says which, for the start-up "feature off" line.
func FromConfig(webhook, secret string, log *slog.Logger, opts ...Option) (Notifier, string) {
	if log == nil {
		log = slog.Default()
	}
	if webhook == "" {
		return LogNotifier{Log: log}, "log"
	}
	return NewDingTalk(webhook, secret, append([]Option{WithLogger(log)}, opts...)...), "dingtalk"
}

package pii

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
)

// NewSlogHandler wraps h so that the message and every string attribute of
// each record (including groups, errors, Stringers and LogValuers) is masked
// before h sees it. It is defence in depth: code should log masked values in
// the first place; this catches the raw value that slips through. Attribute
// values of other kinds (numbers, times, structs) pass unchanged.
func NewSlogHandler(h slog.Handler) slog.Handler { return &slogHandler{next: h, levels: h} }

// slogHandler masks records on their way to next. Attributes bound with
// WithAttrs are masked lazily, at the first record the derived handler
// handles: Temporal's SDK binds workflow and activity attributes to a new
// logger for every task, and almost none of those loggers ever log, so
// masking eagerly ran the detectors once per task for nothing.
type slogHandler struct {
	levels slog.Handler // answers Enabled (binding attributes never changes it)

	once    sync.Once
	next    slog.Handler // set at construction, or by once from parent
	parent  *slogHandler // lazy: the handler the attributes bind to
	pending []slog.Attr  // lazy: the attributes, not yet masked
}

func (h *slogHandler) handler() slog.Handler {
	h.once.Do(func() {
		if h.parent == nil {
			return
		}
		masked := make([]slog.Attr, len(h.pending))
		for i, a := range h.pending {
			masked[i] = redactAttr(a)
		}
		h.next = h.parent.handler().WithAttrs(masked)
		h.parent, h.pending = nil, nil
	})
	return h.next
}

func (h *slogHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.levels.Enabled(ctx, l)
}

func (h *slogHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Redact(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a))
		return true
	})
	return h.handler().Handle(ctx, out)
}

func (h *slogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	return &slogHandler{levels: h.levels, parent: h, pending: attrs}
}

func (h *slogHandler) WithGroup(name string) slog.Handler {
	next := h.handler().WithGroup(name)
	return &slogHandler{next: next, levels: next}
}

func redactAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Redact(v.String()))
	case slog.KindGroup:
		g := v.Group()
		masked := make([]slog.Attr, len(g))
		for i, ga := range g {
			masked[i] = redactAttr(ga)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(masked...)}
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, Redact(x.Error()))
		case fmt.Stringer:
			return slog.String(a.Key, Redact(x.String()))
		case []byte:
			return slog.String(a.Key, Redact(string(x)))
		case []string:
			masked := make([]string, len(x))
			for i, s := range x {
				masked[i] = Redact(s)
			}
			return slog.Any(a.Key, masked)
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

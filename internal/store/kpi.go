package store

import (
	"context"
	"time"

	"github.com/harbordesk/harbordesk/internal/kpi"
)

// KPIEvents reads the KPI facts of contacts received in [from, to).
func (s *Store) KPIEvents(ctx context.Context, from, to time.Time) ([]kpi.Event, error) {
	rows, err := s.Pool.Query(ctx, `
		SELECT e.contact_id, e.kind, e.at, e.arm, e.language, e.channel, e.after_hours, e.score, e.bot
		FROM kpi_events e
		WHERE e.contact_id IN (SELECT contact_id FROM kpi_events WHERE kind = 'received' AND at >= $1 AND at < $2)
		ORDER BY e.at`, from, to)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []kpi.Event
	for rows.Next() {
		var e kpi.Event
		if err := rows.Scan(&e.ContactID, &e.Kind, &e.At, &e.Arm, &e.Language, &e.Channel, &e.AfterHours, &e.Score, &e.Bot); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, e)
	}
	return out, mapErr(rows.Err())
}

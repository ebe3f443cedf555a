package kpis

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/harbordesk/harbordesk/internal/hkcal"
	"github.com/harbordesk/harbordesk/internal/kpi"
)

// DB is what the store runs on: *pgxpool.Pool, *pgx.Conn and pgx.Tx all
// satisfy it.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, rows pgx.CopyFromSource) (int64, error)
}

// Store reads and seeds KPI facts.
type Store struct {
	db DB
}

// New returns the KPI store on db.
func New(db DB) *Store { return &Store{db: db} }

// Report aggregates the contacts received in [from, to) into a Report with
// the splits in by (see kpi.ParseBy). Whole Hong Kong days come from the
// day cells and only the partial days at the edges from the per-contact
// rows; an hourly trend reads the per-contact rows of the whole window.
// First-response quantiles and the Mann–Whitney test work on times
// quantized by kpi.Quantize (exact below 64 ms, < 3.2% low above).
func (s *Store) Report(ctx context.Context, from, to time.Time, by []string) (kpi.Report, error) {
	if len(by) == 0 {
		by = kpi.DefaultBy
	}
	bucket := ""
	for _, b := range by {
		if b == kpi.ByHour || b == kpi.ByDay {
			bucket = b
		}
	}
	dayFrom, dayTo := wholeDays(from, to)
	if bucket == kpi.ByHour {
		dayFrom = dayTo // no whole-day shortcut: hours need the contacts
	}
	cellBucket, contactBucket := "NULL::timestamptz", "NULL::timestamptz"
	switch bucket {
	case kpi.ByDay:
		cellBucket = "(day::timestamp AT TIME ZONE 'Asia/Hong_Kong')"
		contactBucket = cellBucket
	case kpi.ByHour:
		contactBucket = "date_trunc('hour', received_at, 'Asia/Hong_Kong')"
	}
	q := `
		SELECT arm, language, channel, q, ` + cellBucket + ` AS bucket,
			sum(contacts), sum(bot_first), sum(after_hours), sum(night_hits), sum(handed_off),
			sum(resolved), sum(fcr_hits), sum(reopened), sum(sla_breaches), sum(scored),
			sum(score_sum), sum(satisfied)
		FROM kpi_day_cells
		WHERE day >= $3 AND day < $4
		GROUP BY 1, 2, 3, 4, 5
		HAVING sum(contacts) > 0
		UNION ALL
		SELECT arm, language, channel, COALESCE(first_response_q, -1), ` + contactBucket + `,
			count(*), count(*) FILTER (WHERE bot_first), count(*) FILTER (WHERE after_hours),
			count(*) FILTER (WHERE after_hours AND first_response_ms <= 30000),
			count(*) FILTER (WHERE handed_off), count(*) FILTER (WHERE resolved),
			count(*) FILTER (WHERE resolved AND NOT reopened), count(*) FILTER (WHERE reopened),
			COALESCE(sum(sla_breaches), 0), count(score), COALESCE(sum(score), 0),
			count(*) FILTER (WHERE score >= 4)
		FROM kpi_contacts
		WHERE received_at >= $1 AND received_at < $2 AND NOT (day >= $3 AND day < $4)
		GROUP BY 1, 2, 3, 4, 5`
	rows, err := s.db.Query(ctx, q, from, to, dayFrom, dayTo)
	if err != nil {
		return kpi.Report{}, fmt.Errorf("kpi report: %w", err)
	}
	defer rows.Close()
	var cells []kpi.Cell
	for rows.Next() {
		var (
			c                                                                  kpi.Cell
			ms                                                                 int64
			b                                                                  *time.Time
			n, bot, night, ho, res, fcr, reop, sla, scored, sum, satisfied, ah int64
		)
		if err := rows.Scan(&c.Arm, &c.Language, &c.Channel, &ms, &b,
			&n, &bot, &ah, &night, &ho, &res, &fcr, &reop, &sla, &scored, &sum, &satisfied); err != nil {
			return kpi.Report{}, fmt.Errorf("kpi report: %w", err)
		}
		c.Answered, c.FirstResponseMS = ms >= 0, max(ms, 0)
		if b != nil {
			c.Bucket = b.In(hkcal.HK)
		}
		c.Contacts, c.BotFirst, c.AfterHours, c.NightHits = int(n), int(bot), int(ah), int(night)
		c.HandedOff, c.Resolved, c.FCRHits, c.Reopened = int(ho), int(res), int(fcr), int(reop)
		c.SLABreaches, c.Scored, c.ScoreSum, c.Satisfied = int(sla), int(scored), int(sum), int(satisfied)
		cells = append(cells, c)
	}
	if err := rows.Err(); err != nil {
		return kpi.Report{}, fmt.Errorf("kpi report: %w", err)
	}
	return kpi.FromCells(cells, by), nil
}

// wholeDays is the Hong Kong days lying wholly inside [from, to), as
// [dayFrom, dayTo) dates at midnight UTC (pgx sends them as dates).
func wholeDays(from, to time.Time) (time.Time, time.Time) {
	f, t := from.In(hkcal.HK), to.In(hkcal.HK)
	first := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, time.UTC)
	if !f.Equal(time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, hkcal.HK)) {
		first = first.AddDate(0, 0, 1)
	}
	last := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	if last.Before(first) {
		last = first
	}
	return first, last
}

// Events reads the KPI facts of the contacts received in [from, to): the
// input of kpi.Compute, the in-memory reference the SQL figures are tested
// against.
func (s *Store) Events(ctx context.Context, from, to time.Time) ([]kpi.Event, error) {
	rows, err := s.db.Query(ctx, `
		SELECT e.contact_id, e.kind, e.at, e.arm, e.language, e.channel, e.after_hours, e.score, e.bot
		FROM kpi_events e
		WHERE e.contact_id IN (SELECT contact_id FROM kpi_events WHERE kind = 'received' AND at >= $1 AND at < $2)
		ORDER BY e.at`, from, to)
	if err != nil {
		return nil, fmt.Errorf("kpi events: %w", err)
	}
	defer rows.Close()
	var out []kpi.Event
	for rows.Next() {
		var e kpi.Event
		if err := rows.Scan(&e.ContactID, &e.Kind, &e.At, &e.Arm, &e.Language, &e.Channel, &e.AfterHours, &e.Score, &e.Bot); err != nil {
			return nil, fmt.Errorf("kpi events: %w", err)
		}
		e.At = e.At.In(hkcal.HK)
		out = append(out, e)
	}
	return out, rows.Err()
}

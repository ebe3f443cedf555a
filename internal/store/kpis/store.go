package kpis

import (
	"context"
	"fmt"
	"time"

	"github.com/harbordesk/harbordesk/internal/hkcal"
	"github.com/harbordesk/harbordesk/internal/kpi"
	"github.com/harbordesk/harbordesk/internal/store/db"
)

// DB is what the store runs on: *pgxpool.Pool, *pgx.Conn and pgx.Tx all
// satisfy it.
type DB = db.DB

// Store reads and seeds KPI facts.
type Store struct {
	db DB
}

// New returns the KPI store on db.
func New(db DB) *Store { return &Store{db: db} }

// Report folds the facts not yet folded, then aggregates the contacts
// received in [from, to) into a Report with the splits in by (see
// kpi.ParseBy). Whole Hong Kong days come from the
// day cells and only the partial days at the edges from the per-contact
// rows; an hourly trend reads the per-contact rows of the whole window.
// First-response quantiles and the Mann–Whitney test work on times
// quantized by kpi.Quantize (exact below 32 ms, < 6.25% low above).
func (s *Store) Report(ctx context.Context, from, to time.Time, by []string) (kpi.Report, error) {
	if len(by) == 0 {
		by = kpi.DefaultBy
	}
	// facts committed since the worker's last fold count too
	if _, err := s.Fold(ctx); err != nil {
		return kpi.Report{}, fmt.Errorf("kpi report: %w", err)
	}
	bucket := ""
	for _, b := range by {
		if b == kpi.ByHour || b == kpi.ByDay {
			bucket = b
		}
	}
	dayFrom, dayTo, err := s.cellDays(ctx, from, to)
	if err != nil {
		return kpi.Report{}, fmt.Errorf("kpi report: %w", err)
	}
	if bucket == kpi.ByHour {
		dayFrom = dayTo // hours need the contacts themselves
	}
	cellBucket, contactBucket := "NULL::timestamptz", "NULL::timestamptz"
	switch bucket {
	case kpi.ByDay:
		cellBucket = "(day::timestamp AT TIME ZONE 'Asia/Hong_Kong')"
		contactBucket = cellBucket
	case kpi.ByHour:
		contactBucket = "date_trunc('hour', received_at, 'Asia/Hong_Kong')"
	}
	// Counter rows carry answered = 0; histogram rows carry only answered.
	q := `
		SELECT arm, language, channel, -1::bigint, ` + cellBucket + ` AS bucket,
			sum(contacts), sum(bot_first), sum(after_hours), sum(night_hits), sum(handed_off),
			sum(resolved), sum(fcr_hits), sum(reopened), sum(sla_breaches), sum(scored),
			sum(score_sum), sum(satisfied), 0::bigint
		FROM kpi_day_cells
		WHERE day >= $3 AND day < $4
		GROUP BY 1, 2, 3, 4, 5
		HAVING sum(contacts) > 0
		UNION ALL
		SELECT arm, language, channel, q, ` + cellBucket + `,
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sum(answered)
		FROM kpi_day_latency
		WHERE day >= $3 AND day < $4
		GROUP BY 1, 2, 3, 4, 5
		HAVING sum(answered) > 0
		UNION ALL
		SELECT arm, language, channel, COALESCE(first_response_q, -1), ` + contactBucket + `,
			count(*), count(*) FILTER (WHERE bot_first), count(*) FILTER (WHERE after_hours),
			count(*) FILTER (WHERE after_hours AND first_response_ms <= 30000),
			count(*) FILTER (WHERE handed_off), count(*) FILTER (WHERE resolved),
			count(*) FILTER (WHERE resolved AND NOT reopened), count(*) FILTER (WHERE reopened),
			COALESCE(sum(sla_breaches), 0), count(score), COALESCE(sum(score), 0),
			count(*) FILTER (WHERE score >= 4), count(first_response_q)
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
			c                                                                            kpi.Cell
			ms                                                                           int64
			b                                                                            *time.Time
			n, bot, night, ho, res, fcr, reop, sla, scored, sum, satisfied, ah, answered int64
		)
		if err := rows.Scan(&c.Arm, &c.Language, &c.Channel, &ms, &b,
			&n, &bot, &ah, &night, &ho, &res, &fcr, &reop, &sla, &scored, &sum, &satisfied, &answered); err != nil {
			return kpi.Report{}, fmt.Errorf("kpi report: %w", err)
		}
		c.Answers, c.FirstResponseMS = int(answered), max(ms, 0)
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

// cellDays is the Hong Kong days [dayFrom, dayTo) whose contacts all lie
// in [from, to), read from the day cells (dates at midnight UTC, as pgx
// sends dates). Days wholly inside the window always qualify; a day the
// window cuts qualifies when none of its contacts fall outside the window —
// the usual case of a window ending now (nobody was received later today).
// Each such check is one probe of an index.
func (s *Store) cellDays(ctx context.Context, from, to time.Time) (time.Time, time.Time, error) {
	hkMidnight := func(d time.Time) time.Time {
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, hkcal.HK)
	}
	date := func(t time.Time) time.Time {
		t = t.In(hkcal.HK)
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	startDay, endDay := date(from), date(to)
	probe := func(sql string, day time.Time) (*time.Time, error) {
		var t *time.Time
		err := s.db.QueryRow(ctx, sql, hkMidnight(day), hkMidnight(day.AddDate(0, 0, 1))).Scan(&t)
		return t, err
	}
	startCut, endCut := !hkMidnight(startDay).Equal(from), !hkMidnight(endDay).Equal(to)
	startOK, endOK := !startCut, !endCut
	if startCut {
		earliest, err := probe(`SELECT min(received_at) FROM kpi_contacts WHERE received_at >= $1 AND received_at < $2`, startDay)
		if err != nil {
			return startDay, startDay, err
		}
		startOK = earliest == nil || !earliest.Before(from)
	}
	if endCut {
		latest, err := probe(`SELECT max(received_at) FROM kpi_contacts WHERE received_at >= $1 AND received_at < $2`, endDay)
		if err != nil {
			return startDay, startDay, err
		}
		endOK = latest == nil || latest.Before(to)
	}
	dayFrom, dayTo := startDay, endDay
	if startCut && !startOK {
		dayFrom = startDay.AddDate(0, 0, 1)
	}
	if endCut && endOK {
		dayTo = endDay.AddDate(0, 0, 1)
	}
	if startDay.Equal(endDay) && !(startOK && endOK) {
		dayFrom, dayTo = startDay, startDay // one day cut on a side that matters
	}
	if dayTo.Before(dayFrom) {
		dayTo = dayFrom
	}
	return dayFrom, dayTo, nil
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

package documents

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/profile"
	"github.com/harbordesk/harbordesk/internal/store"
)

// ProfileVersion describes one imported business profile.
type ProfileVersion struct {
	Version    int64
	Name       string // the business's name in that version
	Author     string
	ImportedAt time.Time
	Active     bool
}

// ProfileRevision is a counter that grows with every committed profile
// change (import or activation); 0 means the shipped profile was never
// replaced.
func (s *Store) ProfileRevision(ctx context.Context) (int64, error) {
	return store.Revision(ctx, s.db, "profile")
}

// ImportProfile validates doc (YAML or JSON) with profile.Parse and stores
// it as a new version, audited; with activate it becomes the profile in
// force. An invalid document is store.ErrInvalidDocument carrying the parser's
// message, which names the field at fault.
func (s *Store) ImportProfile(ctx context.Context, doc []byte, activate bool, by store.Editor) (ProfileVersion, error) {
	p, err := profile.Parse(doc)
	if err != nil {
		return ProfileVersion{}, fmt.Errorf("%w: %s", store.ErrInvalidDocument, err.Error())
	}
	canon, err := json.Marshal(p.Document())
	if err != nil {
		return ProfileVersion{}, err
	}
	var version int64
	err = store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := store.BumpRevision(ctx, tx, "profile"); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO profile_versions (document, author) VALUES ($1, $2) RETURNING version`,
			canon, by.Identity).Scan(&version); err != nil {
			return err
		}
		if err := store.AuditTx(ctx, tx, by, "profile.import", fmt.Sprint(version), map[string]any{"business": p.Name()}); err != nil {
			return err
		}
		if activate {
			return activateProfileTx(ctx, tx, version, by)
		}
		return nil
	})
	if err != nil {
		return ProfileVersion{}, store.MapErr(err)
	}
	return s.profileVersion(ctx, version)
}

func activateProfileTx(ctx context.Context, tx pgx.Tx, version int64, by store.Editor) error {
	var already bool
	if err := tx.QueryRow(ctx, `SELECT active FROM profile_versions WHERE version = $1`, version).Scan(&already); err != nil {
		return err // ErrNoRows → store.ErrNotFound
	}
	if already {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE profile_versions SET active = false WHERE active`); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE profile_versions SET active = true WHERE version = $1`, version); err != nil {
		return err
	}
	return store.AuditTx(ctx, tx, by, "profile.activate", fmt.Sprint(version), nil)
}

// ActivateProfile puts an imported version in force (e.g. to roll back).
// store.ErrNotFound for a version never imported.
func (s *Store) ActivateProfile(ctx context.Context, version int64, by store.Editor) error {
	return store.MapErr(store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := store.BumpRevision(ctx, tx, "profile"); err != nil {
			return err
		}
		return activateProfileTx(ctx, tx, version, by)
	}))
}

const profileCols = `version, document->'business'->>'name', author, imported_at, active`

func scanProfileVersion(row pgx.Row) (ProfileVersion, error) {
	var v ProfileVersion
	err := row.Scan(&v.Version, &v.Name, &v.Author, &v.ImportedAt, &v.Active)
	return v, store.MapErr(err)
}

func (s *Store) profileVersion(ctx context.Context, version int64) (ProfileVersion, error) {
	return scanProfileVersion(s.db.QueryRow(ctx, `SELECT `+profileCols+` FROM profile_versions WHERE version = $1`, version))
}

// ProfileVersions lists the imported versions, newest first.
func (s *Store) ProfileVersions(ctx context.Context) ([]ProfileVersion, error) {
	rows, err := s.db.Query(ctx, `SELECT `+profileCols+` FROM profile_versions ORDER BY version DESC`)
	if err != nil {
		return nil, store.MapErr(err)
	}
	defer rows.Close()
	out := []ProfileVersion{}
	for rows.Next() {
		v, err := scanProfileVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, store.MapErr(rows.Err())
}

// ActiveProfile returns the profile in force and its version: the active
// imported version (version > 0) or the shipped default (version 0).
func (s *Store) ActiveProfile(ctx context.Context) (*profile.Profile, int64, error) {
	var version int64
	var doc []byte
	err := s.db.QueryRow(ctx, `SELECT version, document FROM profile_versions WHERE active`).Scan(&version, &doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return profile.Default(), 0, nil
	}
	if err != nil {
		return nil, 0, store.MapErr(err)
	}
	p, err := decodeProfile(doc)
	return p, version, err
}

// Profile returns an imported version; store.ErrNotFound if it was never imported.
func (s *Store) Profile(ctx context.Context, version int64) (*profile.Profile, error) {
	var doc []byte
	if err := s.db.QueryRow(ctx, `SELECT document FROM profile_versions WHERE version = $1`, version).Scan(&doc); err != nil {
		return nil, store.MapErr(err)
	}
	return decodeProfile(doc)
}

func decodeProfile(doc []byte) (*profile.Profile, error) {
	var d profile.Document
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("stored profile: %w", err)
	}
	p, err := profile.New(d)
	if err != nil {
		return nil, fmt.Errorf("stored profile: %w", err)
	}
	return p, nil
}

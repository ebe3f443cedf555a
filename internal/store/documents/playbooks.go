package documents

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/playbook"
	"github.com/harbordesk/harbordesk/internal/store"
)

// PlaybookVersion describes one imported playbook set.
type PlaybookVersion struct {
	Version    string
	Author     string
	ImportedAt time.Time
	Active     bool
}

// PlaybooksRevision is a counter that grows with every committed playbook
// change (import or activation); 0 means the shipped playbooks were never
// replaced.
func (s *Store) PlaybooksRevision(ctx context.Context) (int64, error) {
	return store.Revision(ctx, s.db, "playbooks")
}

// ImportPlaybooks validates doc with playbook.Parse and stores it, as sent
// (comments kept), under the version it declares; with activate it becomes
// the set in force. Re-importing a version with the same playbooks changes
// nothing but the activation (created false); the same version with other
// playbooks is store.ErrConflict, because versions are immutable and running
// contacts' audit trails name them. An invalid document is
// store.ErrInvalidDocument carrying the parser's message.
func (s *Store) ImportPlaybooks(ctx context.Context, doc []byte, activate bool, by store.Editor) (PlaybookVersion, bool, error) {
	set, err := playbook.Parse(doc)
	if err != nil {
		return PlaybookVersion{}, false, fmt.Errorf("%w: %s", store.ErrInvalidDocument, err.Error())
	}
	var created bool
	err = store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := store.BumpRevision(ctx, tx, "playbooks"); err != nil {
			return err
		}
		var existing string
		err := tx.QueryRow(ctx, `SELECT document FROM playbook_versions WHERE version = $1`, set.Version).Scan(&existing)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			created = true
			if _, err := tx.Exec(ctx, `INSERT INTO playbook_versions (version, document, author) VALUES ($1,$2,$3)`,
				set.Version, string(doc), by.Identity); err != nil {
				return err
			}
			if err := store.AuditTx(ctx, tx, by, "playbooks.import", set.Version, map[string]any{"playbooks": len(set.Playbooks())}); err != nil {
				return err
			}
		case err != nil:
			return err
		case !samePlaybooks(existing, doc, set):
			return fmt.Errorf("%w: playbook version %s already exists with other playbooks; import it under a new version", store.ErrConflict, set.Version)
		}
		if activate {
			return activatePlaybooksTx(ctx, tx, set.Version, by)
		}
		return nil
	})
	if err != nil {
		return PlaybookVersion{}, false, err
	}
	v, err := s.playbookVersion(ctx, set.Version)
	return v, created, err
}

// samePlaybooks reports whether a stored document and an incoming one
// define the same playbooks: byte-identical, or differing only in layout
// and comments.
func samePlaybooks(stored string, doc []byte, set *playbook.Set) bool {
	if bytes.Equal([]byte(stored), doc) {
		return true
	}
	was, err := playbook.Parse([]byte(stored))
	return err == nil && reflect.DeepEqual(was, set)
}

func activatePlaybooksTx(ctx context.Context, tx pgx.Tx, version string, by store.Editor) error {
	var already bool
	if err := tx.QueryRow(ctx, `SELECT active FROM playbook_versions WHERE version = $1`, version).Scan(&already); err != nil {
		return err // ErrNoRows → store.ErrNotFound
	}
	if already {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE playbook_versions SET active = false WHERE active`); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE playbook_versions SET active = true WHERE version = $1`, version); err != nil {
		return err
	}
	return store.AuditTx(ctx, tx, by, "playbooks.activate", version, nil)
}

// ActivatePlaybooks puts an imported version in force (e.g. to roll back).
// store.ErrNotFound for a version never imported.
func (s *Store) ActivatePlaybooks(ctx context.Context, version string, by store.Editor) error {
	return store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := store.BumpRevision(ctx, tx, "playbooks"); err != nil {
			return err
		}
		return activatePlaybooksTx(ctx, tx, version, by)
	})
}

const playbookCols = `version, author, imported_at, active`

func scanPlaybookVersion(row pgx.Row) (PlaybookVersion, error) {
	var v PlaybookVersion
	err := row.Scan(&v.Version, &v.Author, &v.ImportedAt, &v.Active)
	return v, store.MapErr(err)
}

func (s *Store) playbookVersion(ctx context.Context, version string) (PlaybookVersion, error) {
	return scanPlaybookVersion(s.db.QueryRow(ctx, `SELECT `+playbookCols+` FROM playbook_versions WHERE version = $1`, version))
}

// PlaybookVersions lists the imported versions, newest import first.
func (s *Store) PlaybookVersions(ctx context.Context) ([]PlaybookVersion, error) {
	rows, err := s.db.Query(ctx, `SELECT `+playbookCols+` FROM playbook_versions ORDER BY imported_at DESC, version DESC`)
	if err != nil {
		return nil, store.MapErr(err)
	}
	defer rows.Close()
	out := []PlaybookVersion{}
	for rows.Next() {
		v, err := scanPlaybookVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, store.MapErr(rows.Err())
}

// ActivePlaybookDocument returns the YAML of the set in force: the active
// imported version (fromDB true) or the shipped default.
func (s *Store) ActivePlaybookDocument(ctx context.Context) ([]byte, bool, error) {
	var doc string
	err := s.db.QueryRow(ctx, `SELECT document FROM playbook_versions WHERE active`).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return playbook.DefaultYAML(), false, nil
	}
	if err != nil {
		return nil, false, store.MapErr(err)
	}
	return []byte(doc), true, nil
}

// ActivePlaybooks returns the playbook set in force: the active imported
// version (fromDB true) or the shipped default.
func (s *Store) ActivePlaybooks(ctx context.Context) (*playbook.Set, bool, error) {
	doc, fromDB, err := s.ActivePlaybookDocument(ctx)
	if err != nil {
		return nil, false, err
	}
	if !fromDB {
		return playbook.Default(), false, nil
	}
	set, err := playbook.Parse(doc)
	if err != nil {
		return nil, false, fmt.Errorf("stored playbooks: %w", err)
	}
	return set, true, nil
}

// PlaybookDocument returns the stored YAML of an imported version;
// store.ErrNotFound if it was never imported.
func (s *Store) PlaybookDocument(ctx context.Context, version string) ([]byte, error) {
	var doc string
	if err := s.db.QueryRow(ctx, `SELECT document FROM playbook_versions WHERE version = $1`, version).Scan(&doc); err != nil {
		return nil, store.MapErr(err)
	}
	return []byte(doc), nil
}

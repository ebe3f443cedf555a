package documents

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/lexicon"
	"github.com/harbordesk/harbordesk/internal/store"
)

// LexiconVersion describes one imported lexicon version.
type LexiconVersion struct {
	Version    string
	Entries    int
	Author     string
	ImportedAt time.Time
	Active     bool
}

// LexiconRevision is a counter that grows with every committed lexicon
// change (import or activation); 0 means the shipped default was never
// replaced.
func (s *Store) LexiconRevision(ctx context.Context) (int64, error) {
	return store.Revision(ctx, s.db, "lexicon")
}

// canonicalLexicon validates lex by reading its YAML back with
// lexicon.Parse and returns that YAML, the stored form.
func canonicalLexicon(lex *lexicon.Lexicon) ([]byte, *lexicon.Lexicon, error) {
	if lex == nil {
		return nil, nil, fmt.Errorf("%w: no lexicon", store.ErrInvalidDocument)
	}
	doc, err := lex.Marshal()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s", store.ErrInvalidDocument, err.Error())
	}
	parsed, err := lexicon.Parse(doc)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s", store.ErrInvalidDocument, err.Error())
	}
	return doc, parsed, nil
}

// ImportLexicon stores lex as a new version and, with activate, makes it the
// one in force. Re-importing a version with the same entries changes nothing
// but the activation (created false); the same version with other entries is
// store.ErrConflict, because versions are immutable.
func (s *Store) ImportLexicon(ctx context.Context, lex *lexicon.Lexicon, activate bool, by store.Editor) (LexiconVersion, bool, error) {
	doc, parsed, err := canonicalLexicon(lex)
	if err != nil {
		return LexiconVersion{}, false, err
	}
	var created bool
	err = store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := store.BumpRevision(ctx, tx, "lexicon"); err != nil {
			return err
		}
		var existing string
		err := tx.QueryRow(ctx, `SELECT document FROM lexicon_versions WHERE version = $1`, parsed.Version).Scan(&existing)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			created = true
			if _, err := tx.Exec(ctx, `INSERT INTO lexicon_versions (version, document, entries, author) VALUES ($1,$2,$3,$4)`,
				parsed.Version, string(doc), len(parsed.Entries), by.Identity); err != nil {
				return err
			}
			if err := store.AuditTx(ctx, tx, by, "lexicon.import", parsed.Version, map[string]any{"entries": len(parsed.Entries)}); err != nil {
				return err
			}
		case err != nil:
			return err
		case existing != string(doc):
			return fmt.Errorf("%w: lexicon version %s already exists with other entries; import it under a new version", store.ErrConflict, parsed.Version)
		}
		if activate {
			return activateTx(ctx, tx, parsed.Version, by)
		}
		return nil
	})
	if err != nil {
		return LexiconVersion{}, false, err
	}
	v, err := s.lexiconVersion(ctx, parsed.Version)
	return v, created, err
}

func activateTx(ctx context.Context, tx pgx.Tx, version string, by store.Editor) error {
	var already bool
	if err := tx.QueryRow(ctx, `SELECT active FROM lexicon_versions WHERE version = $1`, version).Scan(&already); err != nil {
		return err // ErrNoRows → store.ErrNotFound
	}
	if already {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE lexicon_versions SET active = false WHERE active`); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE lexicon_versions SET active = true WHERE version = $1`, version); err != nil {
		return err
	}
	return store.AuditTx(ctx, tx, by, "lexicon.activate", version, nil)
}

// ActivateLexicon puts an imported version in force (e.g. to roll back).
// store.ErrNotFound for a version never imported.
func (s *Store) ActivateLexicon(ctx context.Context, version string, by store.Editor) error {
	return store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := store.BumpRevision(ctx, tx, "lexicon"); err != nil {
			return err
		}
		return activateTx(ctx, tx, version, by)
	})
}

const lexiconCols = `version, entries, author, imported_at, active`

func scanLexiconVersion(row pgx.Row) (LexiconVersion, error) {
	var v LexiconVersion
	err := row.Scan(&v.Version, &v.Entries, &v.Author, &v.ImportedAt, &v.Active)
	return v, store.MapErr(err)
}

func (s *Store) lexiconVersion(ctx context.Context, version string) (LexiconVersion, error) {
	return scanLexiconVersion(s.db.QueryRow(ctx, `SELECT `+lexiconCols+` FROM lexicon_versions WHERE version = $1`, version))
}

// LexiconVersions lists the imported versions, newest import first.
func (s *Store) LexiconVersions(ctx context.Context) ([]LexiconVersion, error) {
	rows, err := s.db.Query(ctx, `SELECT `+lexiconCols+` FROM lexicon_versions ORDER BY imported_at DESC, version DESC`)
	if err != nil {
		return nil, store.MapErr(err)
	}
	defer rows.Close()
	out := []LexiconVersion{}
	for rows.Next() {
		v, err := scanLexiconVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, store.MapErr(rows.Err())
}

// ActiveLexicon returns the lexicon in force: the active imported version
// (fromDB true) or the shipped default.
func (s *Store) ActiveLexicon(ctx context.Context) (*lexicon.Lexicon, bool, error) {
	var doc string
	err := s.db.QueryRow(ctx, `SELECT document FROM lexicon_versions WHERE active`).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return lexicon.Default(), false, nil
	}
	if err != nil {
		return nil, false, store.MapErr(err)
	}
	lex, err := lexicon.Parse([]byte(doc))
	if err != nil {
		return nil, false, fmt.Errorf("stored lexicon: %w", err)
	}
	return lex, true, nil
}

// LexiconDocument returns the stored YAML of an imported version;
// store.ErrNotFound if it was never imported.
func (s *Store) LexiconDocument(ctx context.Context, version string) ([]byte, error) {
	var doc string
	if err := s.db.QueryRow(ctx, `SELECT document FROM lexicon_versions WHERE version = $1`, version).Scan(&doc); err != nil {
		return nil, store.MapErr(err)
	}
	return []byte(doc), nil
}

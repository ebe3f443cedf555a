package articles

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/kb"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/db"
)

// Store reads and writes the knowledge base's articles and their versions.
type Store struct {
	db db.TxDB
}

// New returns the KB article store on d: the pool, or a caller's
// transaction (a write then runs in a savepoint of it).
func New(d db.TxDB) *Store { return &Store{db: d} }

// ArticleRecord is an article's current version. Source is "database", or
// "default" while the KB table is empty and the shipped articles are served.
type ArticleRecord struct {
	Article   kb.Article
	Version   int
	Deleted   bool
	Author    string
	UpdatedAt time.Time // zero for defaults
	Source    string
}

// ArticleVersion is one stored version of an article.
type ArticleVersion struct {
	Version   int
	Article   kb.Article
	Author    string
	CreatedAt time.Time
}

// KBImport says what an import changed, by article ID.
type KBImport struct {
	Created, Updated, Unchanged []string
}

// KBRevision is a counter that grows with every committed KB change; 0 means
// the KB was never written and the shipped defaults are in force.
func (s *Store) KBRevision(ctx context.Context) (int64, error) {
	return store.Revision(ctx, s.db, "kb")
}

func invalidArticle(err error) error {
	return fmt.Errorf("%w: %s", store.ErrInvalidDocument, err.Error())
}

// canonical is the article as stored (JSON); equal documents mean no change.
func canonical(a kb.Article) ([]byte, error) { return json.Marshal(a) }

func decodeArticle(doc []byte) (kb.Article, error) {
	var a kb.Article
	if err := json.Unmarshal(doc, &a); err != nil {
		return a, fmt.Errorf("kb article document: %w", err)
	}
	return a, nil
}

func (s *Store) kbEmpty(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}) (bool, error) {
	var exists bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM kb_articles)`).Scan(&exists)
	return !exists, err
}

func defaultRecords() []ArticleRecord {
	arts := kb.DefaultArticles()
	slices.SortFunc(arts, func(a, b kb.Article) int { return strings.Compare(a.ID, b.ID) })
	recs := make([]ArticleRecord, len(arts))
	for i, a := range arts {
		recs[i] = ArticleRecord{Article: a, Version: 1, Author: store.DefaultAuthor, Source: store.SourceDefault}
	}
	return recs
}

// Articles returns the live articles for the answer index: the database's
// current, not deleted versions (fromDB true), or the shipped defaults while
// the KB table is empty.
func (s *Store) Articles(ctx context.Context) ([]kb.Article, bool, error) {
	recs, err := s.ListArticles(ctx, "", 0)
	if err != nil {
		return nil, false, err
	}
	arts := make([]kb.Article, len(recs))
	for i, r := range recs {
		arts[i] = r.Article
	}
	if len(recs) > 0 {
		return arts, recs[0].Source == store.SourceDatabase, nil
	}
	// Every article deleted: the database still decides (an empty KB).
	empty, err := s.kbEmpty(ctx, s.db)
	if err != nil {
		return nil, false, store.MapErr(err)
	}
	return arts, !empty, nil
}

// ListArticles returns current, not deleted articles ordered by ID, after the
// ID after, at most limit (0 = all).
func (s *Store) ListArticles(ctx context.Context, after string, limit int) ([]ArticleRecord, error) {
	empty, err := s.kbEmpty(ctx, s.db)
	if err != nil {
		return nil, store.MapErr(err)
	}
	if empty {
		var out []ArticleRecord
		for _, r := range defaultRecords() {
			if r.Article.ID > after && (limit <= 0 || len(out) < limit) {
				out = append(out, r)
			}
		}
		return out, nil
	}
	q := `SELECT a.current_version, a.updated_at, v.author, v.document FROM kb_articles a
		JOIN kb_article_versions v ON v.article_id = a.id AND v.version = a.current_version
		WHERE NOT a.deleted AND a.id > $1 ORDER BY a.id`
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := s.db.Query(ctx, q, after)
	if err != nil {
		return nil, store.MapErr(err)
	}
	defer rows.Close()
	var out []ArticleRecord
	for rows.Next() {
		r := ArticleRecord{Source: store.SourceDatabase}
		var doc []byte
		if err := rows.Scan(&r.Version, &r.UpdatedAt, &r.Author, &doc); err != nil {
			return nil, store.MapErr(err)
		}
		if r.Article, err = decodeArticle(doc); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, store.MapErr(rows.Err())
}

// Article returns an article's current version; store.ErrNotFound if it does not
// exist or was deleted.
func (s *Store) Article(ctx context.Context, id string) (ArticleRecord, error) {
	empty, err := s.kbEmpty(ctx, s.db)
	if err != nil {
		return ArticleRecord{}, store.MapErr(err)
	}
	if empty {
		for _, r := range defaultRecords() {
			if r.Article.ID == id {
				return r, nil
			}
		}
		return ArticleRecord{}, store.ErrNotFound
	}
	return articleRecord(ctx, s.db, id, false)
}

func articleRecord(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, id string, withDeleted bool) (ArticleRecord, error) {
	r := ArticleRecord{Source: store.SourceDatabase}
	var doc []byte
	err := q.QueryRow(ctx, `SELECT a.current_version, a.deleted, a.updated_at, v.author, v.document FROM kb_articles a
		JOIN kb_article_versions v ON v.article_id = a.id AND v.version = a.current_version WHERE a.id = $1`, id).
		Scan(&r.Version, &r.Deleted, &r.UpdatedAt, &r.Author, &doc)
	if err != nil {
		return r, store.MapErr(err)
	}
	if r.Deleted && !withDeleted {
		return r, store.ErrNotFound
	}
	r.Article, err = decodeArticle(doc)
	return r, err
}

// ArticleHistory lists every version of an article, newest first, deleted
// articles included; store.ErrNotFound for an unknown ID.
func (s *Store) ArticleHistory(ctx context.Context, id string) ([]ArticleVersion, error) {
	empty, err := s.kbEmpty(ctx, s.db)
	if err != nil {
		return nil, store.MapErr(err)
	}
	if empty {
		r, err := s.Article(ctx, id)
		if err != nil {
			return nil, err
		}
		return []ArticleVersion{{Version: r.Version, Article: r.Article, Author: r.Author}}, nil
	}
	rows, err := s.db.Query(ctx, `SELECT version, author, created_at, document FROM kb_article_versions
		WHERE article_id = $1 ORDER BY version DESC`, id)
	if err != nil {
		return nil, store.MapErr(err)
	}
	defer rows.Close()
	var out []ArticleVersion
	for rows.Next() {
		var v ArticleVersion
		var doc []byte
		if err := rows.Scan(&v.Version, &v.Author, &v.CreatedAt, &doc); err != nil {
			return nil, store.MapErr(err)
		}
		if v.Article, err = decodeArticle(doc); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, store.MapErr(err)
	}
	if len(out) == 0 {
		return nil, store.ErrNotFound
	}
	return out, nil
}

// kbWrite runs fn in a transaction that holds the KB writer lock, after
// materialising the shipped defaults as version 1 if the KB is still empty,
// so that the first edit never makes the other articles disappear.
func (s *Store) kbWrite(ctx context.Context, fn func(pgx.Tx) error) error {
	return store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := store.BumpRevision(ctx, tx, "kb"); err != nil {
			return err
		}
		empty, err := s.kbEmpty(ctx, tx)
		if err != nil {
			return err
		}
		if empty {
			for _, r := range defaultRecords() {
				if err := putVersion(ctx, tx, r.Article, 1, store.DefaultAuthor, true); err != nil {
					return err
				}
			}
		}
		return fn(tx)
	})
}

// putVersion stores version n of a and makes it current.
func putVersion(ctx context.Context, tx pgx.Tx, a kb.Article, n int, author string, fresh bool) error {
	doc, err := canonical(a)
	if err != nil {
		return err
	}
	if fresh {
		_, err = tx.Exec(ctx, `INSERT INTO kb_articles (id, current_version) VALUES ($1, $2)`, a.ID, n)
	} else {
		_, err = tx.Exec(ctx, `UPDATE kb_articles SET current_version = $2, deleted = false, updated_at = now() WHERE id = $1`, a.ID, n)
	}
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO kb_article_versions (article_id, version, document, author) VALUES ($1, $2, $3, $4)`,
		a.ID, n, doc, author)
	return err
}

// upsert writes a as a new version when it differs from the current one and
// reports "created", "updated" or "unchanged". mustExist and mustNotExist
// give PUT and POST their 404 and 409.
func upsert(ctx context.Context, tx pgx.Tx, a kb.Article, by store.Editor, mustExist, mustNotExist bool) (ArticleRecord, string, error) {
	cur, err := articleRecord(ctx, tx, a.ID, true)
	switch {
	case errors.Is(err, store.ErrNotFound):
		if mustExist {
			return cur, "", store.ErrNotFound
		}
		if err := putVersion(ctx, tx, a, 1, by.Identity, true); err != nil {
			return cur, "", err
		}
		rec, err := articleRecord(ctx, tx, a.ID, false)
		return rec, "created", err
	case err != nil:
		return cur, "", err
	}
	if cur.Deleted && mustExist {
		return cur, "", store.ErrNotFound
	}
	if !cur.Deleted && mustNotExist {
		return cur, "", fmt.Errorf("%w: article %s already exists", store.ErrConflict, a.ID)
	}
	was, err := canonical(cur.Article)
	if err != nil {
		return cur, "", err
	}
	now, err := canonical(a)
	if err != nil {
		return cur, "", err
	}
	if !cur.Deleted && bytes.Equal(was, now) {
		return cur, "unchanged", nil
	}
	if err := putVersion(ctx, tx, a, cur.Version+1, by.Identity, false); err != nil {
		return cur, "", err
	}
	rec, err := articleRecord(ctx, tx, a.ID, false)
	if cur.Deleted {
		return rec, "created", err
	}
	return rec, "updated", err
}

func (s *Store) writeArticle(ctx context.Context, a kb.Article, by store.Editor, mustExist, mustNotExist bool) (ArticleRecord, string, error) {
	if err := a.Validate(); err != nil {
		return ArticleRecord{}, "", invalidArticle(err)
	}
	var rec ArticleRecord
	var what string
	err := s.kbWrite(ctx, func(tx pgx.Tx) error {
		var err error
		if rec, what, err = upsert(ctx, tx, a, by, mustExist, mustNotExist); err != nil || what == "unchanged" {
			return err
		}
		return store.AuditTx(ctx, tx, by, "kb.article."+map[string]string{"created": "create", "updated": "update"}[what],
			a.ID, map[string]any{"version": rec.Version})
	})
	return rec, what, err
}

// CreateArticle stores a new article as version 1 (or revives a deleted
// one as its next version). store.ErrConflict if it exists, store.ErrInvalidDocument if
// it fails kb validation.
func (s *Store) CreateArticle(ctx context.Context, a kb.Article, by store.Editor) (ArticleRecord, error) {
	rec, _, err := s.writeArticle(ctx, a, by, false, true)
	return rec, err
}

// UpdateArticle stores a as the article's next version; an identical
// document changes nothing. store.ErrNotFound if the article does not exist.
func (s *Store) UpdateArticle(ctx context.Context, a kb.Article, by store.Editor) (ArticleRecord, error) {
	rec, _, err := s.writeArticle(ctx, a, by, true, false)
	return rec, err
}

// DeleteArticle soft-deletes an article (its history stays). store.ErrNotFound if
// it does not exist or is already deleted.
func (s *Store) DeleteArticle(ctx context.Context, id string, by store.Editor) error {
	return s.kbWrite(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE kb_articles SET deleted = true, updated_at = now() WHERE id = $1 AND NOT deleted`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		return store.AuditTx(ctx, tx, by, "kb.article.delete", id, nil)
	})
}

// ImportArticles upserts every article in one transaction: new IDs become
// version 1, changed ones a new version, identical ones stay. Articles not in
// arts are left alone.
func (s *Store) ImportArticles(ctx context.Context, arts []kb.Article, by store.Editor) (KBImport, error) {
	var res KBImport
	if len(arts) == 0 {
		return res, fmt.Errorf("%w: no articles", store.ErrInvalidDocument)
	}
	if err := kb.ValidateAll(arts); err != nil {
		return res, invalidArticle(err)
	}
	err := s.kbWrite(ctx, func(tx pgx.Tx) error {
		res = KBImport{}
		for _, a := range arts {
			_, what, err := upsert(ctx, tx, a, by, false, false)
			if err != nil {
				return err
			}
			switch what {
			case "created":
				res.Created = append(res.Created, a.ID)
			case "updated":
				res.Updated = append(res.Updated, a.ID)
			default:
				res.Unchanged = append(res.Unchanged, a.ID)
			}
		}
		return store.AuditTx(ctx, tx, by, "kb.import", "", map[string]any{
			"created": res.Created, "updated": res.Updated, "unchanged": len(res.Unchanged)})
	})
	return res, err
}

package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/harbordesk/harbordesk/internal/kb"
	"github.com/harbordesk/harbordesk/internal/lexicon"
	"github.com/harbordesk/harbordesk/internal/playbook"
	"github.com/harbordesk/harbordesk/internal/profile"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/articles"
	"github.com/harbordesk/harbordesk/internal/store/documents"
)

// DefaultReloadInterval is how often the Reloader polls when Interval is 0:
// a few cheap indexed reads, so admin changes are in force well within 5 s.
const DefaultReloadInterval = 2 * time.Second

// Reloader hot-reloads admin-edited content: it polls the store's KB,
// lexicon, playbook and profile revisions (one cheap indexed read each) and, when one
// moved, swaps in a rebuilt KB index or hands the newly active lexicon to
// OnLexicon and the newly active playbook set to OnPlaybooks. Until
// anything is written to the database the shipped defaults stay in force and
// nothing is rebuilt.
type Reloader struct {
	Store     *store.Store
	KB        *kb.Live
	Log       *slog.Logger
	Interval  time.Duration
	OnLexicon func(*lexicon.Lexicon) // nil: lexicon changes are ignored
	// OnPlaybooks receives the playbook set newly in force (the shipped one
	// again if the database has none active); nil: playbook changes are
	// ignored.
	OnPlaybooks func(*playbook.Set)
	// OnProfile receives the business profile newly in force (the shipped
	// one again if the database has none active); nil: profile changes are
	// ignored.
	OnProfile func(*profile.Profile)

	mu         sync.Mutex
	kbRev      int64  // revision the KB index was built at; 0 = defaults
	lexRev     int64  // lexicon revision last looked at; 0 = defaults
	lexVersion string // version handed to OnLexicon; "" = shipped default
	pbRev      int64  // playbook revision last looked at; 0 = defaults
	pbVersion  string // version handed to OnPlaybooks; "" = shipped default
	prRev      int64  // profile revision last looked at; 0 = defaults
	prVersion  int64  // version handed to OnProfile; 0 = shipped default
	failing    bool
}

// Run checks at once and then every Interval until ctx ends. Failures are
// logged and retried at the next tick; the content in force stays.
func (r *Reloader) Run(ctx context.Context) {
	every := r.Interval
	if every <= 0 {
		every = DefaultReloadInterval
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		r.tick(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (r *Reloader) tick(ctx context.Context) {
	err := r.Check(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case err != nil && ctx.Err() == nil && !r.failing:
		r.failing = true
		r.log().Warn("content reload failed; serving the content in force", "err", err.Error())
	case err == nil && r.failing:
		r.failing = false
		r.log().Info("content reload recovered")
	}
}

func (r *Reloader) log() *slog.Logger {
	if r.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Log
}

// Check polls once and applies any change; the lead may call it before the
// worker starts so the first contact already sees the database content.
func (r *Reloader) Check(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	kbErr := r.checkKB(ctx)
	lexErr := r.checkLexicon(ctx)
	pbErr := r.checkPlaybooks(ctx)
	prErr := r.checkProfile(ctx)
	return errors.Join(kbErr, lexErr, pbErr, prErr)
}

func (r *Reloader) checkProfile(ctx context.Context) error {
	if r.OnProfile == nil {
		return nil
	}
	rev, err := documents.New(r.Store.Pool).ProfileRevision(ctx)
	if err != nil {
		return fmt.Errorf("profile revision: %w", err)
	}
	if rev == r.prRev {
		return nil
	}
	p, version, err := documents.New(r.Store.Pool).ActiveProfile(ctx)
	if err != nil {
		return fmt.Errorf("active profile: %w", err)
	}
	r.prRev = rev
	// Imports staged without activation move the revision but not the
	// profile in force; versions are immutable.
	if version == r.prVersion {
		return nil
	}
	r.OnProfile(p)
	r.prVersion = version
	r.log().Info("profile reloaded", "version", version, "revision", rev)
	return nil
}

func (r *Reloader) checkKB(ctx context.Context) error {
	if r.KB == nil {
		return nil
	}
	// Read the revision before the articles: a write landing in between
	// shows up as a newer revision next time, so no change is missed.
	rev, err := articles.New(r.Store.Pool).KBRevision(ctx)
	if err != nil {
		return fmt.Errorf("kb revision: %w", err)
	}
	if rev == r.kbRev {
		return nil
	}
	arts, _, err := articles.New(r.Store.Pool).Articles(ctx)
	if err != nil {
		return fmt.Errorf("kb articles: %w", err)
	}
	r.KB.Replace(arts)
	r.kbRev = rev
	r.log().Info("kb reloaded", "articles", len(arts), "revision", rev)
	return nil
}

func (r *Reloader) checkLexicon(ctx context.Context) error {
	if r.OnLexicon == nil {
		return nil
	}
	rev, err := documents.New(r.Store.Pool).LexiconRevision(ctx)
	if err != nil {
		return fmt.Errorf("lexicon revision: %w", err)
	}
	if rev == r.lexRev {
		return nil
	}
	lex, fromDB, err := documents.New(r.Store.Pool).ActiveLexicon(ctx)
	if err != nil {
		return fmt.Errorf("active lexicon: %w", err)
	}
	r.lexRev = rev
	version := ""
	if fromDB {
		version = lex.Version
	}
	// Imports staged without activation move the revision but not the
	// lexicon in force: no rebuild for those.
	if version == r.lexVersion {
		return nil
	}
	r.OnLexicon(lex)
	r.lexVersion = version
	r.log().Info("lexicon reloaded", "version", lex.Version, "entries", len(lex.Entries), "revision", rev)
	return nil
}

func (r *Reloader) checkPlaybooks(ctx context.Context) error {
	if r.OnPlaybooks == nil {
		return nil
	}
	rev, err := documents.New(r.Store.Pool).PlaybooksRevision(ctx)
	if err != nil {
		return fmt.Errorf("playbooks revision: %w", err)
	}
	if rev == r.pbRev {
		return nil
	}
	set, fromDB, err := documents.New(r.Store.Pool).ActivePlaybooks(ctx)
	if err != nil {
		return fmt.Errorf("active playbooks: %w", err)
	}
	r.pbRev = rev
	version := ""
	if fromDB {
		version = set.Version
	}
	// Staged imports and no-op re-imports move the revision but not the
	// set in force. Versions are immutable, so the same version is the
	// same set.
	if version == r.pbVersion {
		return nil
	}
	r.OnPlaybooks(set)
	r.pbVersion = version
	r.log().Info("playbooks reloaded", "version", set.Version, "revision", rev)
	return nil
}

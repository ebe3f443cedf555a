package main

import (
	"context"
	"errors"

	"github.com/harbordesk/harbordesk/internal/kb"
	"github.com/harbordesk/harbordesk/internal/lexicon"
)

var errNoAdminStore = errors.New("importing into the database arrives with the KB/lexicon admin store")

func importLexicon(ctx context.Context, lex *lexicon.Lexicon) error { return errNoAdminStore }

func importKB(ctx context.Context, arts []kb.Article) error { return errNoAdminStore }

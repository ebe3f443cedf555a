package pii

import (
	"regexp"
	"strings"
)

// E-mail addresses, including plus-addressing and subdomains.
var reEmail = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}`)

func findEmails(text string, add func(Match)) {
	if !strings.Contains(text, "@") {
		return
	}
	for _, loc := range reEmail.FindAllStringIndex(text, -1) {
		add(Match{Kind: KindEmail, Start: loc[0], End: loc[1]})
	}
}

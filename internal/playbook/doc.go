// Package playbook owns the per-intent playbooks of the desk: for each of the
// fourteen intents, what the bot does with a message (answer from the
// knowledge base, ask for or look up an order, reply with small talk, hand
// off to a person), which ticket kind it opens, the priority floor, the
// conditions that send it to a person, and the per-locale message
// templates. A Set is versioned; the default Set is YAML embedded in the
// binary (default/playbooks.yaml) and an override is read with Parse.
//
// The package is pure: Decide depends only on its Input, so a decision taken
// inside a Temporal local activity is recorded in history and a later
// playbook change never alters a running contact's replay.
package playbook

// Package console owns the agent and supervisor console: a single-page app
// (plain HTML, CSS and ES-module JavaScript, no build step) embedded in the
// binary and served under /console/. The page talks only to the public HTTP
// API (/v1/...) with the API key the user types in; this package has no API
// logic of its own.
package console

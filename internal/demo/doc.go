// Package demo owns the demo day: a realistic, reproducible mix of customer
// contacts (Cantonese, Mandarin in both scripts, English; knowledge-base
// questions, order chasing, complaints, damaged goods, requests for a person,
// smalltalk) played against a running Harbordesk over its public HTTP API,
// with agents working a share of the handoffs and customers answering the
// satisfaction survey, so the console and the KPI dashboard show real
// figures on first run.
//
// The API stamps every message when it arrives, so the "simulated day" is
// the mix and the order of the contacts (quiet nights, lunch and evening
// peaks), not back-dated timestamps: everything lands within the minutes
// the demo runs.
package demo

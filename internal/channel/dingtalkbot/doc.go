// Package dingtalkbot is the desk's DingTalk enterprise-internal robot
// channel: it parses the robot's outgoing callback (a customer or staff
// member writing to the robot) and replies through the callback's
// short-lived sessionWebhook.
//
// Verifying the callback's timestamp and sign headers is not done here; it
// belongs to package internal/dingtalk, which owns DingTalk signing for both
// callbacks and supervisor pushes. Callers must verify before parsing.
package dingtalkbot

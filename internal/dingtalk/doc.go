// Package dingtalk owns DingTalk's request signing ("加签"): the HMAC-SHA256
// signature a custom group robot's webhook URL carries on every push we send,
// and the same signature DingTalk puts in the timestamp/sign headers of the
// robot callbacks it sends us.
//
// Algorithm (DingTalk open platform, custom robot security settings):
// stringToSign = timestamp + "\n" + secret, sign = Base64(HmacSHA256(key =
// secret, stringToSign)) over UTF-8, timestamp in milliseconds since the Unix
// epoch, and a timestamp more than one hour away from the receiver's clock is
// rejected. On the webhook URL the sign is additionally URL-encoded; in the
// callback header it is the plain Base64 string.
//
// Nothing here reads the wall clock: callers pass now.
package dingtalk

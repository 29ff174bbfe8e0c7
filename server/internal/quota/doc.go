// Package quota is claudemock's rate-limit engine: continuously refilled
// token buckets and an all-or-nothing limiter over them.
//
// The real API "uses the token bucket algorithm": a bucket's capacity is
// "continuously replenished up to your maximum limit, rather than being
// reset at fixed intervals". Every limit the mock enforces (requests,
// input and output tokens per minute, tokens per day, requests per month,
// for organizations and workspaces, per model family) is one bucket here,
// named by a Key and shaped by a Limit. The per-minute ones refill
// continuously; daily and monthly quotas, which the tables that have them
// describe as resetting, are calendar windows (UTC) that do not refill but
// are full again at each 00:00 UTC or each 1st of the month (Calendar).
//
// The package never reads a clock: every method takes the instant it acts
// at, so tests and the server's virtual clock decide what time it is.
// Hitting a limit is a result (a Decision), not an error.
//
// Arithmetic is in float64 tokens and seconds. Two rules keep it exact
// enough for retry-after: a level within a few float roundings of a whole
// number is that whole number (so a bucket that has regained exactly k
// tokens holds k, not k-1e-15), and every wait is the first nanosecond at
// which the bucket, as this package computes it, really holds what is
// asked (see Decision.RetryAfter).
package quota

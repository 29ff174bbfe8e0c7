// Package batch is the Message Batches API's domain: the create body's
// envelope (requests, custom_id, each request's params validated as a
// Messages request), the batches of one test namespace (Store), and the
// state of a batch at any virtual time.
//
// A batch never runs in the background. Its requests are answered when it
// is created (their messages composed, their errors and expiries decided
// by the scenario), each is given a processing time, and everything a
// client can see — processing_status, request_counts, ended_at, the
// results — is a function of the creation time, those durations, a
// cancellation time and now. So on a manual clock a batch ends exactly
// when the clock is advanced past its last request, and on scaled:N in
// the scaled seconds, with no goroutine and no timer.
//
// As the real API documents, request_counts show every request as
// processing until the whole batch has ended, and results exist only then.
// Like every domain package it takes the time as an argument and never
// imports net/http or echo.
package batch

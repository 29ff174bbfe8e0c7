// Package wire is the response side of the Messages API as bytes on the
// wire: the Message object and its usage in the real API's key order, the
// content blocks, the error envelopes, and a reply as the sequence of
// server-sent events a stream sends. It decides shapes, key order and
// which keys are left out (strict clients break on a null the real API
// omits), so that the server package only chooses what to send and when.
// It knows nothing of HTTP or of how events are paced or cut.
package wire

// Package compose makes the Message a validated request is answered with:
// the generated reply (package generate) with the tool tool_choice or the
// auto-tools rule calls, or the reply a scenario scripts, wrapped in the
// wire shape with its usage. All randomness comes from the request's own
// source, drawn in a fixed order (message id, tool choice, generated
// reply, scripted reply), so the same seed and request sequence give the
// same bytes. It decides what is said, never whether the request is let
// in, what it costs, or how it is delivered.
package compose

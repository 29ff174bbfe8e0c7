// Package request turns the body of a Messages or count_tokens request
// into a validated Request, or into the refusal the real API would send,
// an *apierror.Error whose message names the offending field in the API's
// (pydantic's) words: "messages.0.content.1.tool_use.input: Field
// required".
//
// It checks what the real API checks, in the order the API reports it, so
// a body with several faults is refused for the same one:
//
//  1. the JSON itself (CheckSyntax's words; package jsonscan checks it in
//     the same pass that reads it): an empty body, a syntax fault with
//     its line, column and character, a lone UTF-16 surrogate, invalid
//     UTF-8, a body that is no object;
//  2. the keys of the endpoint (count_tokens takes no max_tokens, stream,
//     sampling or metadata), unknown ones refused, keys visited in sorted
//     order (as DecodeObject does; the Messages body is read by its own
//     walk, decode.go, in one pass over one string copy of it);
//  3. the required fields (model, messages, max_tokens), then the simple
//     values, the tools and tool_choice, the system prompt, each message
//     and its blocks, tool_use/tool_result pairing, the placement of
//     mid-conversation system messages, output_config, the top-level
//     cache_control, context_management and the 4-breakpoint limit;
//  4. last, what depends on the model: it must exist and not be retired
//     at the request's time (the only not_found_error), max_tokens must
//     fit its output, prefill, thinking and the effort level must be
//     supported, and the prompt must fit its context window.
//
// The anthropic-beta values that change what a body may carry are named
// here (betas.go); every other beta is accepted and ignored.
//
// The package knows nothing of HTTP: it never reads a request, a header or
// a status line, only the body's bytes, the betas and the instant it was
// received. Rendering a refusal is the server package's business.
package request

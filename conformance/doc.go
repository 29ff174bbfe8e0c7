// Package conformance only holds the conformance specs: Ginkgo specs that
// drive the official Go SDK (github.com/anthropics/anthropic-sdk-go) against
// an in-process claudemock server, a spec that runs the TypeScript
// (node/check.mjs) and Python (python/test_sdk.py) checks against one, and
// the real-client specs, which run the Vercel AI SDK, LangChain (JS and
// Python), litellm and the Claude Code CLI (clients/) against the claudemock
// command. It has no importable code.
package conformance

// Package conformance only holds the SDK conformance specs: Ginkgo specs
// that drive the official Go SDK (github.com/anthropics/anthropic-sdk-go)
// against an in-process claudemock server, and a spec that runs the
// TypeScript (node/check.mjs) and Python (python/test_sdk.py) checks against
// one. It has no importable code.
package conformance

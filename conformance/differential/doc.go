// Package differential holds the differential suite: Ginkgo specs that
// replay requests extracted from publicly recorded real Anthropic API
// exchanges against an in-process claudemock and compare the shapes of the
// answers (key paths, JSON types, enumerated values, SSE event order,
// header names) with the recorded ones. It has no importable code; the
// extracted shapes are in testdata/ and README.md describes their format.
package differential

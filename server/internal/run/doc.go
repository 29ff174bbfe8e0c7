// Package run is one run of claudemock: the scenario loaded with its seed,
// and the namespaces of the tests taking part, each with its own buckets,
// prompt cache, journal and scenario engine.
//
// It keeps the bookkeeping of those namespaces: creating one on a test's
// first request, finding one by name, the rules a test name obeys, the
// bound on how many tests a run keeps apart and on how many journal
// entries they keep together, where the longest journal gives way.
//
// It knows nothing of HTTP: which header names a test, which query selects
// one, and how a refused name is worded on the wire are the server's
// business. Its refusals are plain errors for the server to word.
package run

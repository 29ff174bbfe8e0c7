//go:build race

package server_test

// racePlain and raceStream are what the race detector adds to a request:
// sync.Pool drops one Put in four under it, so pooled buffers are
// sometimes allocated anew (measured: 3 and 7 on average), plus one.
const racePlain, raceStream = 4, 8

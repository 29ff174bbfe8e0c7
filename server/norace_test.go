//go:build !race

package server_test

// Without the race detector the guard's bounds are the figures themselves.
const racePlain, raceStream = 0, 0

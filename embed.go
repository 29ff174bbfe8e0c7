// Package claudemock holds the files claudemock ships inside its binary: the
// built-in model catalogue (tiers.yaml) and the ready scenarios. The server
// itself lives in package server.
package claudemock

import "embed"

// Tiers is the built-in catalogue, used when no --tiers file is given.
//
//go:embed tiers.yaml
var Tiers []byte

// Scenarios holds the ready scenario files under scenarios/.
//
//go:embed scenarios
var Scenarios embed.FS

package server

import (
	"slices"

	"github.com/claudemock/claudemock/server/internal/generate"
)

// AutoToolsNamed is the default of Options.AutoTools.
const AutoToolsNamed = string(generate.AutoNamed)

// AutoToolsModes lists the values Options.AutoTools (and the flag
// --auto-tools) takes, in documentation order.
var AutoToolsModes = slices.Clone(generate.AutoToolsModes)

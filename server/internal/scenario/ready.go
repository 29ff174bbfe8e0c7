package scenario

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/claudemock/claudemock"
)

// Ready finds one of the ready scenarios embedded from scenarios/ by name
// ("burst-429" or "burst-429.yaml"), and returns its name for messages and
// its content. A name with a path separator is never a ready scenario, so
// a caller cannot reach beyond the embedded directory.
func Ready(name string) (string, []byte, error) {
	base := strings.TrimSuffix(name, ".yaml") + ".yaml"
	if !strings.ContainsAny(name, `/\`) {
		if data, err := fs.ReadFile(claudemock.Scenarios, "scenarios/"+base); err == nil {
			return "scenarios/" + base + " (embedded)", data, nil
		}
	}
	return "", nil, fmt.Errorf("scenario %q: no ready scenario of that name (have %s)", name, strings.Join(ReadyNames(), ", "))
}

// ReadyNames lists the names of the embedded ready scenarios, in file
// order.
func ReadyNames() []string {
	entries, _ := fs.ReadDir(claudemock.Scenarios, "scenarios")
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, n)
		}
	}
	return names
}

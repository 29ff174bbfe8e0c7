package config

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/claudemock/claudemock"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/orgs"
	"github.com/claudemock/claudemock/server/internal/scenario"
	"github.com/claudemock/claudemock/server/internal/yamlfile"
)

// Organizations reads an organizations file (nil data: none) against the
// catalogue; file names it in errors, "organizations.yaml" when empty.
func Organizations(cat *catalog.Catalog, file string, data []byte) ([]orgs.Organization, error) {
	if data == nil {
		return nil, nil
	}
	cfg, err := orgs.Load(cmp.Or(file, "organizations.yaml"), data, cat)
	if err != nil {
		return nil, err
	}
	return cfg.Organizations, nil
}

// DefaultTier is the tier named (the default organization's), else the
// catalogue's own default; an unknown name lists the tiers there are.
func DefaultTier(cat *catalog.Catalog, name string) (*catalog.Tier, error) {
	if name == "" {
		return cat.DefaultTier(), nil
	}
	tier, ok := cat.Tier(name)
	if !ok {
		var names []string
		for _, t := range cat.Tiers() {
			names = append(names, t.Name)
		}
		return nil, fmt.Errorf("tier %q: no such tier in the catalogue (have %s)", name, strings.Join(names, ", "))
	}
	return tier, nil
}

// Validate checks a tiers file, an organizations file or a scenario file
// without starting a server. They are told apart by their top-level keys:
// a scenario has any key only a scenario has (name, faults, expect, …),
// an organizations file only "organizations"; both are checked against
// the embedded catalogue. The error names the file, line, field path and
// bad value of each fault.
func Validate(file string, data []byte) error {
	top := topKeys(data)
	isOrgs := top["organizations"]
	isScenario := slices.ContainsFunc(scenarioKeys, func(k string) bool { return top[k] })
	if !isScenario && !isOrgs {
		if len(top) > 0 && !slices.ContainsFunc(tiersKeys, func(k string) bool { return top[k] }) {
			return unknownKind(file, top)
		}
		_, err := catalog.Load(file, data)
		return err
	}
	cat, err := catalog.Load("tiers.yaml (embedded)", claudemock.Tiers)
	if err != nil {
		return err
	}
	if isScenario {
		_, err = scenario.Load(file, data, cat)
	} else {
		_, err = orgs.Load(file, data, cat)
	}
	return err
}

// topKeys is the set of a YAML mapping's top-level keys; empty when data
// is no mapping. It reads the node tree rather than decoding every value
// into Go maps, which would double what a large file costs.
func topKeys(data []byte) map[string]bool {
	keys := map[string]bool{}
	root, err := yamlfile.Parse("", data, "")
	if err != nil || len(root.Content) == 0 {
		return keys
	}
	top := yamlfile.Resolve(root.Content[0])
	for i := 0; top.Kind == yaml.MappingNode && i < len(top.Content); i += 2 {
		keys[top.Content[i].Value] = true
	}
	return keys
}

// tiersKeys are the top-level keys of a tiers file.
var tiersKeys = []string{"models", "tiers", "default_tier"}

// unknownKind is the refusal of a file with none of the top-level keys of
// any kind: judging it as a tiers file would only list missing fields
// without saying that it is no claudemock file at all.
func unknownKind(file string, top map[string]bool) error {
	return fmt.Errorf("%s: not a claudemock file: found %s at the top; a tiers file starts with %s, "+
		"an organizations file with organizations, a scenario with name (and %s)",
		file, strings.Join(slices.Sorted(maps.Keys(top)), ", "), strings.Join(tiersKeys, ", "), strings.Join(scenarioKeys[1:], ", "))
}

// scenarioKeys are top-level keys only a scenario file has, so a scenario
// that forgot its name is still checked as a scenario.
var scenarioKeys = []string{"name", "description", "seed", "clock", "tier", "faults", "replies", "expect", "auto_tools"}

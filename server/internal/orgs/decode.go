package orgs

import (
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/yamlfile"
)

// maxNodes bounds how many nodes one walk visits. Aliases let a short file
// stand for an exponentially large tree ("billion laughs"); the bound turns
// that into a problem instead of a hung server.
const maxNodes = 100_000

// decoder walks a yaml.Node tree into Go values with a yamlfile.Walker, as
// package scenario does, so every problem carries its field path, unknown and
// repeated keys are caught at every level and decoding goes on after the
// first problem.
type decoder struct {
	*yamlfile.Walker
}

// newDecoder starts an empty walk over a file named file.
func newDecoder(file string) *decoder {
	return &decoder{Walker: yamlfile.NewWalker(file, maxNodes)}
}

// limitsMap decodes limits keyed by family; whether a key is a known family is
// validation's business. Only clean entries are kept, so a malformed one
// cannot pass for "no limit".
func (d *decoder) limitsMap(n *yaml.Node, path string, out *map[string]catalog.Limits) bool {
	m := make(map[string]catalog.Limits)
	ok := d.Entries(n, path, func(key string, val *yaml.Node, p string) bool {
		var l catalog.Limits
		if !d.limits(val, p, &l) {
			return false
		}
		m[key] = l
		return true
	})
	*out = m
	return ok
}

// limits decodes one family's limits, a mapping of dimensions to integers.
func (d *decoder) limits(n *yaml.Node, path string, l *catalog.Limits) bool {
	return d.Fields(n, path, dimensionNames, nil, func(name string, val *yaml.Node, p string) bool {
		i := slices.Index(dimensionNames, name)
		return d.Int(val, p, dimensions[i].of(l))
	})
}

// dimensionNames are the keys of a limits entry, in dimensions' order.
var dimensionNames = func() []string {
	names := make([]string, len(dimensions))
	for i, dim := range dimensions {
		names[i] = dim.name
	}
	return names
}()

// organizations decodes the `organizations:` list and reports whether it was
// clean.
func (d *decoder) organizations(n *yaml.Node, path string) ([]Organization, bool) {
	var orgs []Organization
	ok := d.List(n, path, func(_ int, e *yaml.Node, p string) bool {
		var o Organization
		ok := d.organization(e, p, &o)
		orgs = append(orgs, o)
		return ok
	})
	return orgs, ok
}

// organization decodes one organization.
func (d *decoder) organization(n *yaml.Node, path string, o *Organization) bool {
	names := []string{"id", "name", "tier", "limits", "keys", "workspaces", "credits", "spend_limit", "priority", "admin_keys"}
	return d.Fields(n, path, names, names[:1], func(name string, val *yaml.Node, p string) bool {
		switch name {
		case "id":
			return d.Str(val, p, &o.ID)
		case "name":
			return d.Str(val, p, &o.Name)
		case "tier":
			return d.Str(val, p, &o.Tier)
		case "limits":
			return d.limitsMap(val, p, &o.Limits)
		case "keys":
			return d.Strs(val, p, &o.Keys)
		case "credits":
			return d.amount(val, p, &o.Credits)
		case "spend_limit":
			return d.amount(val, p, &o.SpendLimit)
		case "priority":
			return d.priority(val, p, &o.Priority)
		case "admin_keys":
			return d.Strs(val, p, &o.AdminKeys)
		default:
			return d.List(val, p, func(_ int, e *yaml.Node, p string) bool {
				var w Workspace
				ok := d.workspace(e, p, &w)
				o.Workspaces = append(o.Workspaces, w)
				return ok
			})
		}
	})
}

// workspace decodes one workspace.
func (d *decoder) workspace(n *yaml.Node, path string, w *Workspace) bool {
	names := []string{"id", "name", "limits", "keys", "spend_limit"}
	return d.Fields(n, path, names, names[:1], func(name string, val *yaml.Node, p string) bool {
		switch name {
		case "id":
			return d.Str(val, p, &w.ID)
		case "name":
			return d.Str(val, p, &w.Name)
		case "limits":
			return d.limitsMap(val, p, &w.Limits)
		case "spend_limit":
			return d.amount(val, p, &w.SpendLimit)
		default:
			return d.Strs(val, p, &w.Keys)
		}
	})
}

// amount decodes an optional USD amount, set only when it decoded cleanly so
// a typo cannot pass for "no limit" or "no balance".
func (d *decoder) amount(n *yaml.Node, path string, out **float64) bool {
	var f float64
	if !d.Float(n, path, &f) {
		return false
	}
	*out = &f
	return true
}

// commitmentNames are the keys of a Priority Tier commitment, both required
// because the real commitments are bought per direction.
var commitmentNames = []string{"input_tokens_per_minute", "output_tokens_per_minute"}

// priority decodes Priority Tier commitments keyed by model id or alias;
// whether a key names a model is validation's business. Only clean entries
// are kept.
func (d *decoder) priority(n *yaml.Node, path string, out *map[string]Commitment) bool {
	m := make(map[string]Commitment)
	ok := d.Entries(n, path, func(key string, val *yaml.Node, p string) bool {
		var c Commitment
		good := d.Fields(val, p, commitmentNames, commitmentNames, func(name string, val *yaml.Node, p string) bool {
			if name == commitmentNames[0] {
				return d.Int(val, p, &c.InputTokensPerMinute)
			}
			return d.Int(val, p, &c.OutputTokensPerMinute)
		})
		if good {
			m[key] = c
		}
		return good
	})
	*out = m
	return ok
}

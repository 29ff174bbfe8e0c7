package scenario

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/claudemock/claudemock/server/internal/orgs"
	"github.com/claudemock/claudemock/server/internal/yamlfile"
)

// kindNames are the action keys a fault may hold, in documentation order.
var kindNames = func() []string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return names
}()

// faultNames are the keys of a `faults:` entry: the common ones, then one
// action key.
var faultNames = append([]string{"name", "match", "when", "optional"}, kindNames...)

// faults decodes the `faults:` list, then checks that names are unique.
func (d *decoder) faults(n *yaml.Node, path string) []Fault {
	return namedList(d, n, path, d.fault, func(f Fault) string { return f.Name })
}

// namedList decodes a list of named entries (faults, replies) with item,
// then checks that their names are unique.
func namedList[T any](d *decoder, n *yaml.Node, path string, item func(*yaml.Node, string) (T, bool), name func(T) string) []T {
	var list []T
	d.List(n, path, func(_ int, e *yaml.Node, p string) bool {
		v, ok := item(e, p)
		list = append(list, v)
		return ok
	})
	names := make([]string, len(list))
	for i, v := range list {
		names[i] = name(v)
	}
	d.uniqueNames(names, path)
	return list
}

// fault decodes one fault, whose name defaults to its path ("faults[2]").
func (d *decoder) fault(n *yaml.Node, path string) (Fault, bool) {
	f := Fault{Name: path, Line: yamlfile.Resolve(n).Line}
	var actions []string
	ok := d.Fields(n, path, faultNames, nil, func(name string, val *yaml.Node, p string) bool {
		switch name {
		case "name":
			return d.Str(val, p, &f.Name) && d.nonEmpty(f.Name, p)
		case "match":
			return d.match(val, p, &f.Match)
		case "when":
			return d.when(val, p, &f.When)
		case "optional":
			return d.Bool(val, p, &f.Optional)
		}
		if actions = append(actions, name); len(actions) > 1 {
			return true // reported once, below
		}
		return d.action(Kind(name), val, p, &f.Action)
	})
	if r := yamlfile.Resolve(n); r.Kind == yaml.MappingNode {
		ok = d.oneAction(r, path, actions) && ok
	}
	return f, ok && d.batchEndpoint(&f, path)
}

// batchEndpoint checks that a fault's endpoint suits its kind: the
// batch_* kinds act on batch requests only, and no other kind does.
func (d *decoder) batchEndpoint(f *Fault, path string) bool {
	e, batch := f.Match.Endpoint, f.Action.Kind.Batch()
	switch {
	case batch && e != "" && e != EndpointBatch:
		d.Add(d.Lines[path+".match.endpoint"], path+".match.endpoint", "a %s fault acts on batch requests: must be %q or absent, got %q", f.Action.Kind, EndpointBatch, e)
		return false
	case !batch && e == EndpointBatch:
		d.Add(d.Lines[path+".match.endpoint"], path+".match.endpoint", "only batch_errored, batch_expired and batch_slow act on batch requests, got %s", f.Action.Kind)
		return false
	}
	return true
}

// countWords spells out small counts, for "has two actions".
var countWords = []string{"no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"}

// oneAction checks that a fault holds exactly one action key, reporting a
// missing one at the fault and extra ones at the second.
func (d *decoder) oneAction(n *yaml.Node, path string, actions []string) bool {
	switch len(actions) {
	case 1:
		return true
	case 0:
		d.Add(n.Line, path, "one action is required, one of %s", strings.Join(kindNames, ", "))
		return false
	}
	line := n.Line
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := yamlfile.Resolve(n.Content[i]); k.Value == actions[1] {
			line = k.Line
			break
		}
	}
	last := len(actions) - 1
	d.Add(line, path, "has %s actions, %s and %s; a fault has exactly one",
		countWords[len(actions)], strings.Join(actions[:last], ", "), actions[last])
	return false
}

// uniqueNames reports every name already used by an earlier entry of the
// list at path, since the journal and the report tell entries apart by name.
// A given name that is another entry's default name ("faults[1]") is
// reported too, at the given one.
func (d *decoder) uniqueNames(names []string, path string) {
	first := make(map[string]int)
	for i, name := range names {
		p := fmt.Sprintf("%s[%d].name", path, i)
		j, taken := first[name]
		if !taken {
			first[name] = i
			continue
		}
		if line, explicit := d.Lines[p]; explicit {
			d.Add(line, p, "%q is already used by %s[%d]", name, path, j)
		} else {
			q := fmt.Sprintf("%s[%d].name", path, j)
			d.Add(d.Lines[q], q, "%q is the default name of %s[%d]; choose another", name, path, i)
		}
	}
}

// matchNames are the keys of a `match:` block.
var matchNames = []string{"endpoint", "model", "family", "key", "organization", "workspace", "stream", "header", "body_contains"}

// match decodes a `match:` block, checking each field against the catalogue
// and the scenario's organizations.
func (d *decoder) match(n *yaml.Node, path string, m *Match) bool {
	ok := d.Fields(n, path, matchNames, nil, func(name string, val *yaml.Node, p string) bool {
		if name == "stream" {
			var b bool
			if !d.Bool(val, p, &b) {
				return false
			}
			m.Stream = &b
			return true
		}
		var s string
		return d.Str(val, p, &s) && d.matchField(name, s, p, m)
	})
	return ok && d.sameOrganization(m, path)
}

// matchField checks and stores one string field of a match block.
func (d *decoder) matchField(name, s, p string, m *Match) bool {
	switch name {
	case "endpoint":
		m.Endpoint = s
		return d.oneOf(s, p, []string{EndpointMessages, EndpointCountTokens, EndpointBatch})
	case "model":
		m.Model = s
		return d.glob(s, p, d.models, "model id or alias of the catalogue")
	case "family":
		m.Family = s
		return d.glob(s, p, d.families, "model family of the catalogue ("+strings.Join(d.families, ", ")+")")
	case "key":
		m.Key = s
		return d.nonEmpty(s, p)
	case "organization":
		m.Organization = s
		return d.knownOrganization(s, p)
	case "workspace":
		m.Workspace = s
		return d.knownWorkspace(s, p)
	case "header":
		m.Header = s
		return d.headerName(s, p)
	default:
		m.BodyContains = s
		return d.nonEmpty(s, p)
	}
}

// defaultName is what match.organization and match.workspace write for the
// default organization and the default workspace.
const defaultName = orgs.DefaultWorkspace

// knownOrganization checks that an organization id is "default" or one the
// scenario declares (not checked when the organizations list was broken:
// every id would look unknown).
func (d *decoder) knownOrganization(id, path string) bool {
	if id == defaultName || !d.orgsKnown || slices.Contains(d.orgIDs, id) {
		return true
	}
	return d.unknown(id, path, "an organization", d.orgIDs)
}

// knownWorkspace checks that a workspace id is "default" or one the
// scenario declares.
func (d *decoder) knownWorkspace(id, path string) bool {
	if _, ok := d.wsOrg[id]; ok || id == defaultName || !d.orgsKnown {
		return true
	}
	return d.unknown(id, path, "a workspace", d.wsIDs)
}

// unknown reports an id the scenario does not declare, listing those it does.
func (d *decoder) unknown(id, path, what string, ids []string) bool {
	list := "none declared"
	if len(ids) > 0 {
		list = strings.Join(ids, ", ")
	}
	d.Add(d.Lines[path], path, "must be %q or %s id of the scenario (%s), got %q", defaultName, what, list, id)
	return false
}

// sameOrganization rejects a match naming both an organization and a
// workspace of another one, which no request could satisfy.
func (d *decoder) sameOrganization(m *Match, path string) bool {
	owner, declared := d.wsOrg[m.Workspace]
	if m.Organization == "" || !declared || owner == m.Organization {
		return true
	}
	of := m.Organization
	if of == defaultName {
		of = "the default organization"
	}
	p := yamlfile.Child(path, "workspace")
	d.Add(d.Lines[p], p, "%q is a workspace of %s, not of %s", m.Workspace, owner, of)
	return false
}

// whenNames are the keys of a `when:` block.
var whenNames = []string{"from", "to", "every", "after", "for", "probability", "max"}

// when decodes a `when:` block; to is checked against from when both are
// valid on their own.
func (d *decoder) when(n *yaml.Node, path string, w *When) bool {
	ok := d.Fields(n, path, whenNames, nil, func(name string, val *yaml.Node, p string) bool {
		switch name {
		case "from":
			return d.intAtLeast(val, p, 1, &w.From)
		case "to":
			return d.intAtLeast(val, p, 1, &w.To)
		case "every":
			return d.intAtLeast(val, p, 1, &w.Every)
		case "after":
			return d.duration(val, p, true, &w.After)
		case "for":
			return d.duration(val, p, false, &w.For)
		case "max":
			return d.intAtLeast(val, p, 1, &w.Max)
		}
		return d.probability(val, p, &w.Probability)
	})
	if to := yamlfile.Child(path, "to"); w.From >= 1 && w.To >= 1 && w.To < w.From {
		d.Add(d.Lines[to], to, "must be >= from (%d), got %d", w.From, w.To)
		return false
	}
	return ok
}

// probability decodes a chance, 0 < p <= 1: 0 would never fire and is
// surely a mistake, above 1 means nothing.
func (d *decoder) probability(n *yaml.Node, path string, out **float64) bool {
	var p float64
	if !d.Float(n, path, &p) {
		return false
	}
	if p <= 0 || p > 1 {
		d.Add(d.Lines[path], path, "must be > 0 and <= 1, got %s", formatFloat(p))
		return false
	}
	*out = &p
	return true
}

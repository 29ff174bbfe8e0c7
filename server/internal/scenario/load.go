package scenario

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/clock"
	"github.com/claudemock/claudemock/server/internal/generate"
	"github.com/claudemock/claudemock/server/internal/orgs"
	"github.com/claudemock/claudemock/server/internal/yamlfile"
)

// maxNodes bounds how many nodes one walk visits, so an alias bomb ("billion
// laughs") becomes a problem instead of a hung server.
const maxNodes = 100_000

// msgEmpty is the problem reported for a file with no content at all.
const msgEmpty = `document is empty; expected a scenario mapping with a "name"`

// topNames are the top-level keys of a scenario file.
var topNames = []string{"name", "description", "seed", "clock", "tier", "auto_tools", "organizations", "faults", "replies", "expect"}

// decoder walks a scenario document, checking every value against the
// catalogue and the scenario's own organizations as it goes, so each
// problem is reported once, where it is.
type decoder struct {
	*yamlfile.Walker
	cat *catalog.Catalog
	// orgsKnown is false when the organizations list had problems: match
	// fields naming organizations and workspaces are then not checked, as
	// every name would look unknown.
	orgsKnown bool
	orgIDs    []string          // declared organization ids, in file order
	wsIDs     []string          // declared workspace ids, in file order
	wsOrg     map[string]string // declared workspace id -> its organization id
	models    []string          // every model id and alias of the catalogue
	families  []string          // every model family of the catalogue, sorted
	// inside holds the collections of a tool input being decoded, to
	// catch an alias inside its own anchor.
	inside map[*yaml.Node]bool
}

// newDecoder starts a walk over a file named file against cat.
func newDecoder(file string, cat *catalog.Catalog) *decoder {
	d := &decoder{Walker: yamlfile.NewWalker(file, maxNodes), cat: cat, orgsKnown: true,
		wsOrg: make(map[string]string), inside: make(map[*yaml.Node]bool)}
	fams := make(map[string]bool)
	for _, m := range cat.Models() {
		d.models = append(d.models, m.ID)
		d.models = append(d.models, m.Aliases...)
		fams[m.Family] = true
	}
	d.families = slices.Sorted(maps.Keys(fams))
	return d
}

// Load parses and validates a whole scenario file. Every problem found is
// reported, each as "file:line: path: message" and joined in line order, so
// one run shows them all; the `organizations:` list follows exactly the
// rules of an organizations file (orgs.Decode). file names the source in
// messages and in Scenario.File; cat must not be nil.
func Load(file string, data []byte, cat *catalog.Catalog) (*Scenario, error) {
	root, err := yamlfile.Parse(file, data, msgEmpty)
	if err != nil {
		return nil, err
	}
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root = yamlfile.Resolve(root); root.Kind == yaml.DocumentNode || yamlfile.IsNull(root) {
		return nil, &yamlfile.Problem{File: file, Line: max(root.Line, 1), Msg: msgEmpty}
	}
	d := newDecoder(file, cat)
	sc := &Scenario{File: file}
	d.top(root, sc)
	if err := d.Err(); err != nil {
		return nil, err
	}
	return sc, nil
}

// Validate reports the problems Load would, for the CLI's validate command,
// which has no use for the decoded scenario.
func Validate(file string, data []byte, cat *catalog.Catalog) error {
	_, err := Load(file, data, cat)
	return err
}

// top decodes the top-level mapping. The organizations list is decoded
// before faults and replies whatever the key order, since their match
// fields name its organizations and workspaces.
func (d *decoder) top(root *yaml.Node, sc *Scenario) {
	var orgsNode, faultsNode, repliesNode *yaml.Node
	d.Fields(root, "", topNames, []string{"name"}, func(name string, val *yaml.Node, p string) bool {
		switch name {
		case "name":
			return d.Str(val, p, &sc.Name) && d.nonEmpty(sc.Name, p)
		case "description":
			return d.Str(val, p, &sc.Description)
		case "seed":
			return d.seed(val, p, &sc.Seed)
		case "clock":
			return d.clock(val, p, &sc.Clock)
		case "tier":
			return d.Str(val, p, &sc.Tier) && d.tier(sc.Tier, p)
		case "auto_tools":
			return d.Str(val, p, &sc.AutoTools) && d.oneOf(sc.AutoTools, p, generate.AutoToolsModes)
		case "organizations":
			orgsNode = val
		case "faults":
			faultsNode = val
		case "replies":
			repliesNode = val
		default:
			sc.HasExpect = true
			return d.expect(val, p, &sc.Expect)
		}
		return true
	})
	sc.Organizations = d.organizations(orgsNode)
	if faultsNode != nil {
		sc.Faults = d.faults(faultsNode, "faults")
	}
	if repliesNode != nil {
		sc.Replies = d.replies(repliesNode, "replies")
	}
}

// seed decodes the scenario's seed, an integer >= 0.
func (d *decoder) seed(n *yaml.Node, path string, out **uint64) bool {
	var v int
	if !d.Int(n, path, &v) || !d.atLeast(v, 0, path) {
		return false
	}
	s := uint64(v)
	*out = &s
	return true
}

// clock decodes the `clock:` block; the mode must be one clock.Parse reads.
func (d *decoder) clock(n *yaml.Node, path string, c *Clock) bool {
	return d.Fields(n, path, []string{"mode", "start"}, nil, func(name string, val *yaml.Node, p string) bool {
		if name == "start" {
			return d.Time(val, p, &c.Start)
		}
		if !d.Str(val, p, &c.Mode) {
			return false
		}
		if _, err := clock.Parse(c.Mode); err != nil || c.Mode == "" {
			d.Add(d.Lines[p], p, "must be real, manual or scaled:N with 0 < N <= 1000000, got %q", c.Mode)
			return false
		}
		return true
	})
}

// tier checks that a tier name names a tier of the catalogue.
func (d *decoder) tier(name, path string) bool {
	if _, ok := d.cat.Tier(name); ok {
		return true
	}
	var names []string
	for _, t := range d.cat.Tiers() {
		names = append(names, t.Name)
	}
	d.Add(d.Lines[path], path, "must name a tier of the catalogue (%s), got %q", strings.Join(names, ", "), name)
	return false
}

// organizations decodes the `organizations:` list with orgs.Decode, merging
// its problems with the scenario's, and indexes the declared ids for match.
func (d *decoder) organizations(n *yaml.Node) []orgs.Organization {
	list, errs := orgs.Decode(d.File, n, d.cat)
	for _, err := range errs {
		var p *yamlfile.Problem
		if !errors.As(err, &p) {
			p = &yamlfile.Problem{File: d.File, Line: n.Line, Path: "organizations", Msg: err.Error()}
		}
		d.Problems.List = append(d.Problems.List, p)
	}
	d.orgsKnown = len(errs) == 0
	for i, o := range list {
		if o.ID == defaultName {
			p := fmt.Sprintf("organizations[%d].id", i)
			d.Add(idLine(n, i), p, "%q is what match calls the default organization, which cannot be declared; choose another id", o.ID)
		}
		d.orgIDs = append(d.orgIDs, o.ID)
		for _, w := range o.Workspaces {
			d.wsIDs = append(d.wsIDs, w.ID)
			d.wsOrg[w.ID] = o.ID
		}
	}
	return list
}

// idLine finds the line of the id of the i-th organization of a clean
// organizations list, for a problem the scenario adds to orgs' own.
func idLine(list *yaml.Node, i int) int {
	o := yamlfile.Resolve(yamlfile.Resolve(list).Content[i])
	for j := 0; j+1 < len(o.Content); j += 2 {
		if yamlfile.Resolve(o.Content[j]).Value == "id" {
			return yamlfile.Resolve(o.Content[j+1]).Line
		}
	}
	return o.Line
}

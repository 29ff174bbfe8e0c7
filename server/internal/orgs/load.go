package orgs

import (
	"gopkg.in/yaml.v3"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/yamlfile"
)

// msgEmpty is the problem reported for a file with no content at all.
const msgEmpty = `document is empty; expected a mapping with an "organizations" list`

// Load parses and validates a whole organizations file, whose only top-level
// key is `organizations`. Every problem found is reported, each as
// "file:line: path: message" and joined in file order, so one run shows them
// all. file only names the source in those messages; cat must not be nil.
func Load(file string, data []byte, cat *catalog.Catalog) (*Config, error) {
	root, err := yamlfile.Parse(file, data, msgEmpty)
	if err != nil {
		return nil, err
	}
	d := newDecoder(file)
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root = yamlfile.Resolve(root); root.Kind == yaml.DocumentNode || yamlfile.IsNull(root) {
		return nil, &yamlfile.Problem{File: file, Line: max(root.Line, 1), Msg: msgEmpty}
	}
	var orgs []Organization
	d.Fields(root, "", []string{"organizations"}, []string{"organizations"}, func(_ string, val *yaml.Node, p string) bool {
		var ok bool
		orgs, ok = d.organizations(val, p)
		return ok
	})
	d.validate(orgs, "organizations", cat)
	if err := d.Err(); err != nil {
		return nil, err
	}
	return &Config{Organizations: orgs}, nil
}

// Decode decodes and validates an `organizations:` list given as a node, so
// other files (scenarios) can embed the same list with the same rules. Paths
// in problems start with "organizations"; a nil node is an empty list. It returns the problems sorted by
// line, or none; cat must not be nil.
func Decode(file string, node *yaml.Node, cat *catalog.Catalog) ([]Organization, []error) {
	if node == nil {
		return nil, nil
	}
	d := newDecoder(file)
	orgs, _ := d.organizations(node, "organizations")
	d.validate(orgs, "organizations", cat)
	if errs := d.Errors(); len(errs) > 0 {
		return nil, errs
	}
	return orgs, nil
}

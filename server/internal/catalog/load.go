package catalog

import "github.com/claudemock/claudemock/server/internal/yamlfile"

// Load parses and validates a catalogue document. Decoding is strict (unknown
// and duplicate keys are errors) and every problem found is reported, each as
// "file:line: path: message", so one run of `claudemock validate` shows them
// all. file only names the source in those messages.
func Load(file string, data []byte) (*Catalog, error) {
	root, err := yamlfile.Parse(file, data, msgEmpty)
	if err != nil {
		return nil, err
	}
	d := newDecoder(file)
	var doc document
	d.top(root, &doc)
	d.validate(&doc)
	if err := yamlfile.Join(d.List); err != nil {
		return nil, err
	}
	return newCatalog(&doc), nil
}

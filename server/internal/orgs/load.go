package orgs

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/claudemock/claudemock/server/internal/catalog"
)

// msgEmpty is the problem reported for a file with no content at all.
const msgEmpty = `document is empty; expected a mapping with an "organizations" list`

// Load parses and validates a whole organizations file, whose only top-level
// key is `organizations`. Every problem found is reported, each as
// "file:line: path: message" and joined in file order, so one run shows them
// all. file only names the source in those messages; cat must not be nil.
func Load(file string, data []byte, cat *catalog.Catalog) (*Config, error) {
	root, err := parse(file, data)
	if err != nil {
		return nil, err
	}
	d := newDecoder(file)
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root = resolve(root); root.Kind == yaml.DocumentNode || isNull(root) {
		return nil, &problem{file: file, line: max(root.Line, 1), msg: msgEmpty}
	}
	var orgs []Organization
	d.fields(root, "", []string{"organizations"}, []string{"organizations"}, func(_ string, val *yaml.Node, p string) bool {
		var ok bool
		orgs, ok = d.organizations(val, p)
		return ok
	})
	d.validate(orgs, "organizations", cat)
	if errs := d.errs(); len(errs) > 0 {
		return nil, errors.Join(errs...)
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
	if errs := d.errs(); len(errs) > 0 {
		return nil, errs
	}
	return orgs, nil
}

// problem is one thing wrong with the file, positioned so a human can find
// it: the line, and the field path from the top of the document.
type problem struct {
	file string
	line int
	path string
	msg  string
}

// Error formats the problem as "file:line: path: message", the shape editors
// and CI logs turn into links.
func (p *problem) Error() string {
	if p.path == "" {
		return fmt.Sprintf("%s:%d: %s", p.file, p.line, p.msg)
	}
	return fmt.Sprintf("%s:%d: %s: %s", p.file, p.line, p.path, p.msg)
}

// errs returns the collected problems in file order, then by path so a
// mapping's own problems come before its fields' on the same line.
func (d *decoder) errs() []error {
	slices.SortStableFunc(d.problems, func(a, b *problem) int {
		return cmp.Or(cmp.Compare(a.line, b.line), cmp.Compare(a.path, b.path))
	})
	errs := make([]error, len(d.problems))
	for i, p := range d.problems {
		errs[i] = p
	}
	return errs
}

// yamlLineErr matches the parser's "yaml: line N: msg" so syntax errors can be
// shown in the same "file:line: msg" shape as every other problem.
var yamlLineErr = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns a yaml.v3 parse error into a problem naming the file.
func syntaxError(file string, err error) error {
	msg := err.Error()
	if m := yamlLineErr.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &problem{file: file, line: line, msg: m[2]}
	}
	return fmt.Errorf("%s: %s", file, strings.TrimPrefix(msg, "yaml: "))
}

// parse reads the one YAML document in data. A second document is an error
// rather than silently ignored, and a panic inside yaml.v3 becomes an error:
// no file may crash the mock.
func parse(file string, data []byte) (root *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, fmt.Errorf("%s: yaml: %v", file, r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &problem{file: file, line: 1, msg: msgEmpty}
		}
		return nil, syntaxError(file, err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return nil, &problem{file: file, line: extra.Line, msg: "only one YAML document is allowed"}
	case !errors.Is(err, io.EOF):
		return nil, syntaxError(file, err)
	}
	return &doc, nil
}

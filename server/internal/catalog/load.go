package catalog

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
)

// Load parses and validates a catalogue document. Decoding is strict (unknown
// and duplicate keys are errors) and every problem found is reported, each as
// "file:line: path: message", so one run of `claudemock validate` shows them
// all. file only names the source in those messages.
func Load(file string, data []byte) (*Catalog, error) {
	root, err := parse(file, data)
	if err != nil {
		return nil, err
	}
	d := newDecoder(file)
	var doc document
	d.top(root, &doc)
	d.validate(&doc)
	if err := d.err(); err != nil {
		return nil, err
	}
	return newCatalog(&doc), nil
}

// problem is one thing wrong with a catalogue file, positioned so a human can
// find it: the line, and the field path from the top of the document.
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

// err joins the collected problems in file order, then by path so a mapping's
// own problems come before its fields' problems on the same line; it returns
// nil when there are none.
func (d *decoder) err() error {
	if len(d.problems) == 0 {
		return nil
	}
	slices.SortStableFunc(d.problems, func(a, b *problem) int {
		return cmp.Or(cmp.Compare(a.line, b.line), cmp.Compare(a.path, b.path))
	})
	errs := make([]error, len(d.problems))
	for i, p := range d.problems {
		errs[i] = p
	}
	return errors.Join(errs...)
}

// parse reads the one YAML document in data. A second document (a stray
// "---") is an error rather than silently ignored. yaml.v3 is third-party
// code, so a panic inside it becomes an error: no catalogue file may crash
// the mock.
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

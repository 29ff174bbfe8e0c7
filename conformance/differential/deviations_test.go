package differential_test

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// deviation is one known difference between the mock and real recordings,
// with its reason. A deviation that matches nothing any more fails the
// suite, so the list stays honest.
type deviation struct {
	Kind     string `yaml:"kind"`
	Path     string `yaml:"path"`
	Cases    string `yaml:"cases"`
	Request  string `yaml:"request"`
	Recorded string `yaml:"recorded"`
	Mock     string `yaml:"mock"`
	Reason   string `yaml:"reason"`
	FixedBy  string `yaml:"fixed-by"`

	path, cases, request, recorded, mock *regexp.Regexp
}

func (d *deviation) String() string {
	s := fmt.Sprintf("%s %s", d.Kind, d.Path)
	if d.Cases != "" {
		s += " in " + d.Cases
	}
	if d.Request != "" {
		s += " for " + d.Request
	}
	if d.Recorded != "" {
		s += " (recorded " + d.Recorded + ")"
	}
	if d.Mock != "" {
		s += " (mock " + d.Mock + ")"
	}
	return s
}

// glob compiles a pattern in which only * is special; empty matches all.
func glob(p string) *regexp.Regexp {
	if p == "" {
		p = "*"
	}
	return regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(p), `\*`, ".*") + "$")
}

func loadDeviations(name string) ([]*deviation, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Deviations []*deviation `yaml:"deviations"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for i, d := range doc.Deviations {
		if d.Kind == "" || d.Path == "" || d.Reason == "" {
			return nil, fmt.Errorf("%s: deviation %d needs kind, path and reason", name, i+1)
		}
		d.path, d.cases, d.mock = glob(d.Path), glob(d.Cases), glob(d.Mock)
		d.request, d.recorded = glob(d.Request), glob(d.Recorded)
	}
	return doc.Deviations, nil
}

// listed is the index of the first deviation that explains diff in e, or -1.
func listed(devs []*deviation, e *exchange, diff difference) int {
	for i, d := range devs {
		if d.Kind == diff.Kind && d.path.MatchString(diff.Path) && d.cases.MatchString(e.id()) &&
			d.request.MatchString(e.summary()) && d.recorded.MatchString(diff.Recorded) && d.mock.MatchString(diff.Mock) {
			return i
		}
	}
	return -1
}

package yamlfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Parse reads the one YAML document in data. A second document (a stray
// "---") is an error rather than silently ignored, and a file with no
// document at all is a Problem at line 1 saying empty. yaml.v3 is
// third-party code, so a panic inside it becomes an error: no file may crash
// the mock. file only names the source in messages.
func Parse(file string, data []byte, empty string) (root *yaml.Node, err error) {
	if err := CheckSize(file, int64(len(data))); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, fmt.Errorf("%s: yaml: %v", file, r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Problem{File: file, Line: 1, Msg: empty}
		}
		return nil, syntaxError(file, err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return nil, &Problem{File: file, Line: extra.Line, Msg: "only one YAML document is allowed"}
	case !errors.Is(err, io.EOF):
		return nil, syntaxError(file, err)
	}
	return &doc, nil
}

// MaxBytes bounds a YAML file the mock reads (tiers, organizations,
// scenarios). Ready scenarios are a few KiB; parsing costs about a hundred
// times a file's size in memory, so a file of tens of MiB would cost
// gigabytes before the first problem could be reported.
const MaxBytes = 4 << 20

// CheckSize refuses a file of size bytes over MaxBytes, naming both.
func CheckSize(file string, size int64) error {
	if size <= MaxBytes {
		return nil
	}
	return fmt.Errorf("%s: the file is %.1f MiB; YAML files are limited to %d MiB", file, float64(size)/(1<<20), MaxBytes>>20)
}

// yamlLineErr matches the parser's "yaml: line N: msg" so syntax errors can be
// shown in the same "file:line: msg" shape as every other problem.
var yamlLineErr = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns a yaml.v3 parse error into a Problem naming the file, or
// into "file: msg" when the parser gave no line.
func syntaxError(file string, err error) error {
	msg := err.Error()
	if m := yamlLineErr.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Problem{File: file, Line: line, Msg: m[2]}
	}
	return fmt.Errorf("%s: %s", file, strings.TrimPrefix(msg, "yaml: "))
}

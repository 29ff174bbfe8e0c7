// Package yamlfile holds what packages catalog, orgs and scenario share for
// reading hand-written YAML files: parsing exactly one document without
// letting the parser crash the mock, reporting each fault as
// "file:line: path: message", the node helpers and the strict Walker their
// decoders are built on. Keeping it in one place keeps every file's messages
// the same shape.
package yamlfile

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"
)

// Problem is one fault of a file: where (file and line), which field (the
// path from the top of the document, empty for the document itself) and
// what, so a human can find and fix it.
type Problem struct {
	File string
	Line int
	Path string
	Msg  string
	// Final marks the problem that stopped a walk (Stop): Join reports it
	// even past MaxReported, as it explains why the list ends.
	Final bool
}

// Error formats the problem as "file:line: path: message" ("file:line:
// message" without a path), the shape editors and CI logs turn into links.
func (p *Problem) Error() string {
	if p.Path == "" {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Path, p.Msg)
}

// Sort orders problems by line, then by path so a mapping's own problems
// come before its fields' on the same line, and returns them as errors. The
// order is stable, so problems at the same place keep the order found.
func Sort(problems []*Problem) []error {
	slices.SortStableFunc(problems, func(a, b *Problem) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Path, b.Path))
	})
	errs := make([]error, len(problems))
	for i, p := range problems {
		errs[i] = p
	}
	return errs
}

// MaxReported is how many problems Join spells out. A generated file can
// hold a hundred thousand faults of one kind; the first twenty show what
// to fix, and the rest are counted rather than printed.
const MaxReported = 20

// Join is Sort as one error, one problem per line, so a single run reports
// them all, up to MaxReported and then "… and N more problems"; it is nil
// when there are none.
func Join(problems []*Problem) error {
	errs := Sort(problems)
	if len(errs) <= MaxReported {
		return errors.Join(errs...)
	}
	shown := errs[:MaxReported:MaxReported]
	for _, p := range problems[MaxReported:] {
		if p.Final {
			shown = append(shown, p)
		}
	}
	return errors.Join(append(shown, fmt.Errorf("… and %d more problems", len(errs)-len(shown)))...)
}

// Problems collects the problems of one file as a walk finds them, so
// decoding can go on after the first and every one is reported.
type Problems struct {
	File string
	List []*Problem
	// Stopped is set once the walk gave up (Stop); later problems are
	// dropped and loops end early.
	Stopped bool
}

// Add records one problem at line and path; the message is formatted like
// fmt.Sprintf. Once the walk has stopped (Stop), nothing more is recorded.
func (ps *Problems) Add(line int, path, format string, args ...any) {
	if ps.Stopped {
		return
	}
	ps.List = append(ps.List, &Problem{File: ps.File, Line: line, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// Claim registers name, written at line and path, for owner in owners (name
// -> the entry that took it first), so that the ids, aliases and keys of a
// file each name one thing. An empty name, one with whitespace (it could
// never match a request) and one already taken, reported against its first
// owner, are refused. shown is how messages name it (quoted, or redacted
// for an API key).
func (ps *Problems) Claim(owners map[string]string, line int, path, name, shown, owner string) {
	switch {
	case name == "":
		ps.Add(line, path, "must not be empty")
	case strings.ContainsFunc(name, unicode.IsSpace):
		ps.Add(line, path, "must not contain whitespace, got %s", shown)
	default:
		if first, taken := owners[name]; taken {
			ps.Add(line, path, "%s is already used by %s", shown, first)
			return
		}
		owners[name] = owner
	}
}

// Stop records a last problem and ends the collection: a walk past its
// budget would only add problems that follow from stopping it.
func (ps *Problems) Stop(line int, path, format string, args ...any) {
	if ps.Stopped {
		return
	}
	ps.List = append(ps.List, &Problem{File: ps.File, Line: line, Path: path, Msg: fmt.Sprintf(format, args...), Final: true})
	ps.Stopped = true
}

// Mismatch records a value of the wrong shape or type: want says what was
// expected ("a mapping"), and the node is described as what was got.
func (ps *Problems) Mismatch(n *yaml.Node, path, want string) {
	if path == "" {
		ps.Add(n.Line, "", "the top level must be %s, got %s", want, Describe(n))
		return
	}
	ps.Add(n.Line, path, "must be %s, got %s", want, Describe(n))
}

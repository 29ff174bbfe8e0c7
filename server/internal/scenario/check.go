package scenario

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// The checks below run right after a value decoded cleanly (so its line is
// in d.Lines), report a problem naming the value and return whether it
// passed, so a decoding callback can end with `d.Str(...) && d.check(...)`.

// nonEmpty rejects an empty string, which would match or say nothing.
func (d *decoder) nonEmpty(s, path string) bool {
	if s == "" {
		d.Add(d.Lines[path], path, "must not be empty")
		return false
	}
	return true
}

// atLeast rejects an integer below min.
func (d *decoder) atLeast(v, min int, path string) bool {
	if v < min {
		d.Add(d.Lines[path], path, "must be >= %d, got %d", min, v)
		return false
	}
	return true
}

// between rejects an integer outside [lo, hi].
func (d *decoder) between(v, lo, hi int, path string) bool {
	if v < lo || v > hi {
		d.Add(d.Lines[path], path, "must be between %d and %d, got %d", lo, hi, v)
		return false
	}
	return true
}

// oneOf rejects a string that is not one of allowed, listing them.
func (d *decoder) oneOf(s, path string, allowed []string) bool {
	if !slices.Contains(allowed, s) {
		d.Add(d.Lines[path], path, "must be one of %s, got %q", strings.Join(allowed, ", "), s)
		return false
	}
	return true
}

// above rejects a number that is not greater than lo.
func (d *decoder) above(v, lo float64, path string) bool {
	if v <= lo {
		d.Add(d.Lines[path], path, "must be > %s, got %s", formatFloat(lo), formatFloat(v))
		return false
	}
	return true
}

// intAtLeast decodes an integer >= min.
func (d *decoder) intAtLeast(n *yaml.Node, path string, min int, v *int) bool {
	return d.Int(n, path, v) && d.atLeast(*v, min, path)
}

// duration decodes a duration > 0, or >= 0 when zeroOK.
func (d *decoder) duration(n *yaml.Node, path string, zeroOK bool, v *time.Duration) bool {
	if !d.Duration(n, path, v) {
		return false
	}
	switch {
	case zeroOK && *v < 0:
		d.Add(d.Lines[path], path, "must be >= 0, got %s", *v)
	case !zeroOK && *v <= 0:
		d.Add(d.Lines[path], path, "must be > 0, got %s", *v)
	default:
		return true
	}
	return false
}

// formatFloat prints a number the way it would be written in YAML.
func formatFloat(f float64) string {
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// isToken reports whether s is a valid HTTP header name (an RFC 9110
// token), since a header any other name could never be sent or matched.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}

// headerName rejects a string that is not a valid header name.
func (d *decoder) headerName(s, path string) bool {
	if !isToken(s) {
		d.Add(d.Lines[path], path, "must be a header name, got %q", s)
		return false
	}
	return true
}

// glob checks a path.Match pattern: well formed, and matching at least one
// of names, since a glob that matches nothing is surely a typo (what names
// them, for the message).
func (d *decoder) glob(pattern, p string, names []string, what string) bool {
	if _, err := path.Match(pattern, ""); err != nil {
		d.Add(d.Lines[p], p, "must be a valid glob (*, ?, [a-z]), got %q", pattern)
		return false
	}
	for _, name := range names {
		if ok, _ := path.Match(pattern, name); ok {
			return true
		}
	}
	d.Add(d.Lines[p], p, "must match at least one %s, got %q", what, pattern)
	return false
}

package openapi

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

var printer = message.NewPrinter(language.English)

// Violation is one reason a JSON body does not match a schema.
type Violation struct {
	// Pointer is the RFC 6901 JSON pointer of the offending value inside
	// the validated body ("" is the whole body).
	Pointer string
	// Keyword is the failing schema keyword ("required", "const", ...).
	Keyword string
	// Message is a human readable description of the violation.
	Message string
}

func (v Violation) String() string {
	return fmt.Sprintf("at %q: %s", v.Pointer, v.Message)
}

// ValidationError is returned by the Validate* methods when a body is
// well-formed JSON but does not match the schema. Its message lists every
// violation together with its JSON pointer.
type ValidationError struct {
	// Target names what was validated against, e.g.
	// "#/components/schemas/Message".
	Target     string
	Violations []Violation
	// Cause is the raw error reported by the JSON Schema validator.
	Cause error
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "openapi: body does not match %s (%d violation", e.Target, len(e.Violations))
	if len(e.Violations) != 1 {
		b.WriteByte('s')
	}
	b.WriteString("):")
	for _, v := range e.Violations {
		b.WriteString("\n  - ")
		b.WriteString(v.String())
	}
	return b.String()
}

func (e *ValidationError) Unwrap() error { return e.Cause }

// newValidationError converts the validator's error tree into a flat list
// of violations. Alternatives of anyOf/oneOf that are ruled out by their
// "type" discriminator (or by the JSON type of the value) are dropped so
// that only the relevant branch is reported.
func newValidationError(target string, err error) error {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	c := &collector{seen: map[string]bool{}}
	c.walk(ve)
	if len(c.out) == 0 {
		c.out = append(c.out, Violation{Pointer: pointer(ve.InstanceLocation), Message: ve.ErrorKind.LocalizedString(printer)})
	}
	return &ValidationError{Target: target, Violations: c.out, Cause: err}
}

type collector struct {
	out  []Violation
	seen map[string]bool
}

func (c *collector) add(v Violation) {
	key := v.Pointer + "\x00" + v.Message
	if c.seen[key] {
		return
	}
	c.seen[key] = true
	c.out = append(c.out, v)
}

func (c *collector) walk(e *jsonschema.ValidationError) {
	switch k := e.ErrorKind.(type) {
	case *kind.AnyOf:
		c.alternatives(e, "anyOf")
		return
	case *kind.OneOf:
		if k.Subschemas == nil {
			c.alternatives(e, "oneOf")
			return
		}
	}
	if len(e.Causes) == 0 {
		c.add(leafViolation(e))
		return
	}
	for _, cause := range e.Causes {
		c.walk(cause)
	}
}

func leafViolation(e *jsonschema.ValidationError) Violation {
	return Violation{
		Pointer: pointer(e.InstanceLocation),
		Keyword: strings.Join(e.ErrorKind.KeywordPath(), "/"),
		Message: e.ErrorKind.LocalizedString(printer),
	}
}

// alternatives reports a failed anyOf/oneOf. Each cause is the failure of
// one alternative.
func (c *collector) alternatives(e *jsonschema.ValidationError, kw string) {
	base := pointer(e.InstanceLocation)
	typePtr := base + "/type"

	var kept []*jsonschema.ValidationError
	var wantTypes []string // discriminator values of the ruled-out branches
	var typeGot any
	var otherLeaves []Violation
	for _, branch := range e.Causes {
		leaves := collectLeaves(branch, nil)
		off := false
		for _, l := range leaves {
			p := pointer(l.InstanceLocation)
			switch k := l.ErrorKind.(type) {
			case *kind.Const:
				if p == typePtr {
					off = true
					wantTypes = append(wantTypes, display(k.Want))
					typeGot = k.Got
				}
			case *kind.Enum:
				if p == typePtr {
					off = true
					for _, w := range k.Want {
						wantTypes = append(wantTypes, display(w))
					}
					typeGot = k.Got
				}
			case *kind.Type:
				if p == base {
					off = true
				}
			}
		}
		if off {
			for _, l := range leaves {
				otherLeaves = append(otherLeaves, leafViolation(l))
			}
			continue
		}
		kept = append(kept, branch)
	}

	if len(kept) == 0 {
		// No alternative fits even by its discriminator: summarise.
		if len(wantTypes) > 0 {
			c.add(Violation{
				Pointer: typePtr,
				Keyword: kw,
				Message: fmt.Sprintf("%s failed: got %s, allowed \"type\" values: %s", kw, display(typeGot), strings.Join(uniq(wantTypes), ", ")),
			})
			return
		}
		msgs := make([]string, 0, len(otherLeaves))
		for _, l := range otherLeaves {
			msgs = append(msgs, l.Message)
		}
		c.add(Violation{Pointer: base, Keyword: kw, Message: fmt.Sprintf("%s failed: %s", kw, strings.Join(uniq(msgs), "; "))})
		return
	}

	// If every remaining failure is a const/enum on the value itself (an
	// anyOf of string constants, e.g. RefusalCategory), summarise it.
	var values []string
	allConst := true
	for _, b := range kept {
		for _, l := range collectLeaves(b, nil) {
			if pointer(l.InstanceLocation) != base {
				allConst = false
				break
			}
			switch k := l.ErrorKind.(type) {
			case *kind.Const:
				values = append(values, display(k.Want))
			case *kind.Enum:
				for _, w := range k.Want {
					values = append(values, display(w))
				}
			default:
				allConst = false
			}
		}
	}
	if allConst && len(values) > 0 {
		c.add(Violation{Pointer: base, Keyword: kw, Message: fmt.Sprintf("%s failed: value must be one of %s", kw, strings.Join(uniq(values), ", "))})
		return
	}
	for _, b := range kept {
		c.walk(b)
	}
}

func collectLeaves(e *jsonschema.ValidationError, acc []*jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return append(acc, e)
	}
	for _, c := range e.Causes {
		acc = collectLeaves(c, acc)
	}
	return acc
}

// pointer renders an instance location as an RFC 6901 JSON pointer.
func pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(escapeToken(t))
	}
	return b.String()
}

func escapeToken(t string) string {
	t = strings.ReplaceAll(t, "~", "~0")
	return strings.ReplaceAll(t, "/", "~1")
}

func display(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("%q", v)
	case nil:
		return "null"
	default:
		return fmt.Sprint(v)
	}
}

func uniq(in []string) []string {
	seen := map[string]bool{}
	out := in[:0:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

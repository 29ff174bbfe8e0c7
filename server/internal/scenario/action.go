package scenario

import (
	"net/textproto"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/limits"
	"github.com/claudemock/claudemock/server/internal/yamlfile"
)

// dimensionNames are the dimensions a rate_limit may name, in the order
// problems list them.
var dimensionNames = limits.ScenarioNames()

// breakNames are what a malformed_event may break.
var breakNames = []string{"json", "frame"}

// stopReasons are the stop reasons a reply may give.
var stopReasons = []string{"end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal"}

// actionSpec is what one kind of action accepts: its attribute keys and the
// ones it cannot do without. An attribute outside names is an unknown field,
// so retry_after on a spend_cap is rejected like a typo.
type actionSpec struct {
	names, required []string
}

// common are the attributes of every error answer.
var common = []string{"message", "headers", "retry_after"}

// actionSpecs gives each kind's attributes.
var actionSpecs = map[Kind]actionSpec{
	RateLimit:         {names: append([]string{"dimension"}, common...)},
	Overloaded:        {names: common},
	APIError:          {names: common},
	Timeout:           {names: common},
	Status:            {names: append([]string{"code", "type"}, common...), required: []string{"code"}},
	SpendCap:          {names: common[:2]},
	CreditExhausted:   {names: common[:2]},
	Latency:           {names: []string{"time_to_first_token", "tokens_per_second"}},
	StreamError:       {names: []string{"after_events", "type", "message"}},
	Disconnect:        {names: []string{"after_events", "after_bytes"}},
	Stall:             {names: []string{"after_events", "for"}},
	MalformedEvent:    {names: []string{"after_events", "break"}},
	AccelerationLimit: {names: append([]string{"floor", "ramp"}, common...), required: []string{"floor", "ramp"}},
	BatchErrored:      {names: []string{"type", "message"}},
	BatchExpired:      {},
	BatchSlow:         {names: []string{"request_time"}, required: []string{"request_time"}},
}

// defaults is the action of a kind written with no attributes.
func defaults(k Kind) Action {
	a := Action{Kind: k}
	switch k {
	case RateLimit:
		a.Dimension = "requests"
	case Overloaded:
		a.ErrorType = apierror.Overloaded
	case APIError:
		a.ErrorType = apierror.APIFailure
	case Timeout:
		a.ErrorType = apierror.Timeout
	case StreamError:
		a.AfterEvents, a.ErrorType, a.Message = 3, apierror.Overloaded, apierror.Overloaded.Message()
	case Disconnect, Stall:
		a.AfterEvents = 3
	case MalformedEvent:
		a.AfterEvents, a.Malformed = 3, "json"
	case BatchErrored:
		a.ErrorType = apierror.APIFailure
	}
	return a
}

// action decodes the value of a fault's action key over the kind's
// defaults; null stands for {}, so `overloaded:` alone is a whole action.
func (d *decoder) action(k Kind, n *yaml.Node, path string, a *Action) bool {
	*a = defaults(k)
	if r := yamlfile.Resolve(n); yamlfile.IsNull(r) {
		n = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: r.Line, Column: r.Column}
	}
	spec := actionSpecs[k]
	seen := make(map[string]bool)
	ok := d.Fields(n, path, spec.names, spec.required, func(name string, val *yaml.Node, p string) bool {
		seen[name] = true
		return d.attribute(name, val, p, a)
	})
	return ok && d.combination(yamlfile.Resolve(n).Line, path, a, seen)
}

// attribute decodes one attribute of an action into its field.
func (d *decoder) attribute(name string, n *yaml.Node, p string, a *Action) bool {
	switch name {
	case "dimension":
		return d.Str(n, p, &a.Dimension) && d.oneOf(a.Dimension, p, dimensionNames)
	case "retry_after":
		var v time.Duration
		ok := d.duration(n, p, false, &v)
		a.RetryAfter = &v
		return ok
	case "message":
		return d.Str(n, p, &a.Message) && d.nonEmpty(a.Message, p)
	case "headers":
		return d.headers(n, p, &a.Headers)
	case "code":
		return d.Int(n, p, &a.StatusCode) && d.between(a.StatusCode, 400, 599, p)
	case "type":
		var t string
		ok := d.Str(n, p, &t) && d.oneOf(t, p, apierror.Kinds())
		a.ErrorType = apierror.Kind(t)
		return ok
	case "time_to_first_token":
		return d.duration(n, p, true, &a.TimeToFirstToken)
	case "tokens_per_second":
		return d.Float(n, p, &a.TokensPerSecond) && d.positive(a.TokensPerSecond, p)
	case "after_events":
		return d.intAtLeast(n, p, 0, &a.AfterEvents)
	case "after_bytes":
		return d.intAtLeast(n, p, 0, &a.AfterBytes)
	case "for":
		return d.duration(n, p, false, &a.StallFor)
	case "break":
		return d.Str(n, p, &a.Malformed) && d.oneOf(a.Malformed, p, breakNames)
	case "floor":
		return d.intAtLeast(n, p, 1, &a.Floor)
	case "request_time":
		return d.duration(n, p, true, &a.RequestTime)
	default: // ramp
		return d.intAtLeast(n, p, 0, &a.Ramp)
	}
}

// combination checks what involves several attributes of one action, once
// each decoded cleanly: a status type known from the code, latency with
// something to slow, and disconnect with one cut point.
func (d *decoder) combination(line int, path string, a *Action, seen map[string]bool) bool {
	switch {
	case a.Kind == Status && !seen["type"]:
		var known bool
		if a.ErrorType, known = apierror.ForStatus(a.StatusCode); !known {
			d.Add(line, path, "missing required field %q (code %d has no default error type)", "type", a.StatusCode)
			return false
		}
	case a.Kind == Latency && !seen["time_to_first_token"] && !seen["tokens_per_second"]:
		d.Add(line, path, "must set at least one of time_to_first_token, tokens_per_second, got none")
		return false
	case a.Kind == Disconnect && seen["after_bytes"]:
		if seen["after_events"] {
			d.Add(line, path, "must set at most one of after_events, after_bytes, got both")
			return false
		}
		a.AfterEvents = 0
	}
	return true
}

// positive rejects a number <= 0.
func (d *decoder) positive(v float64, path string) bool {
	if v <= 0 {
		d.Add(d.Lines[path], path, "must be > 0, got %s", formatFloat(v))
		return false
	}
	return true
}

// headers decodes a mapping of header names to string values.
func (d *decoder) headers(n *yaml.Node, path string, out *textproto.MIMEHeader) bool {
	h := make(textproto.MIMEHeader)
	ok := d.Entries(n, path, func(key string, val *yaml.Node, p string) bool {
		var v string
		if !d.Str(val, p, &v) {
			return false
		}
		if !isToken(key) {
			d.Add(d.Lines[p], path, "keys must be header names, got %q", key)
			return false
		}
		h.Add(key, v)
		return true
	})
	*out = h
	return ok
}

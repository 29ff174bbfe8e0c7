package request

import (
	"slices"
	"strings"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/catalog"
)

// parseThinking validates the thinking configuration against the model.
func (p *parser) parseThinking(v string, out *Request) error {
	if isNull(v) {
		return nil
	}
	typ, sub, fault := unionTag(v)
	if fault != "" {
		return apierror.Invalid("thinking%s: %s", sub, fault)
	}
	switch typ {
	case "disabled", "enabled", "adaptive", "between_tools":
	default:
		return apierror.Invalid("thinking: Input tag '%s' found using 'type' does not match any of the expected tags: 'enabled', 'disabled' or 'adaptive'", typ)
	}
	var buf [4]member
	ms := members(v, buf[:0])
	if bad, fault := strictFault(ms, func(key string) (kind, bool) {
		switch key {
		case "type":
			return anyValue, true
		case "display", "block_binding":
			return anyValue, typ != "disabled"
		}
		return intValue, key == "budget_tokens" && typ == "enabled"
	}); fault != "" {
		return apierror.Invalid("thinking.%s.%s: %s", typ, bad, fault)
	}
	t := Thinking{Type: typ}
	if budget := messageValue(ms, "budget_tokens"); budget != "" {
		n := atoi(budget)
		t.Budget = &n
	}
	if typ == "enabled" {
		if err := p.checkBudget(t, out); err != nil {
			return err
		}
	}
	if err := thinkingAllowed(typ, out); err != nil {
		return err
	}
	out.Thinking = t
	return nil
}

// thinkingAllowed applies the model's thinking modes, worded as the real
// API words them (errors page; recorded 400s), and the rule that budgeted
// thinking cannot go with a forced tool. Adaptive thinking can: a recorded
// real exchange on Claude Opus 4.6 sent it with tool_choice "any".
func thinkingAllowed(kind string, out *Request) error {
	switch {
	case kind == "disabled":
		return nil
	case kind == "adaptive" && !out.Model.AcceptsThinking(kind):
		return apierror.Invalid("adaptive thinking is not supported on this model")
	case !out.Model.AcceptsThinking(kind):
		return apierror.Invalid("\"thinking.type.%s\" is not supported for this model. Use \"thinking.type.adaptive\" and \"output_config.effort\" to control thinking behavior.", kind)
	case kind == "enabled" && out.ToolChoice.forced():
		return apierror.Invalid("Thinking may not be enabled when tool_choice forces tool use.")
	}
	return nil
}

// checkEffort validates output_config.effort: one of the API's levels, and
// one the model lists, worded as the real API words both refusals.
func checkEffort(level *string, model *catalog.Model) error {
	switch {
	case level == nil:
		return nil
	case !slices.Contains(catalog.EffortLevels, *level):
		return apierror.Invalid("output_config.effort: Input should be %s", oneOf(catalog.EffortLevels))
	case len(model.Effort) == 0:
		return apierror.Invalid("This model does not support the effort parameter.")
	case !model.AcceptsEffort(*level):
		return apierror.Invalid("This model does not support effort level '%s'. Supported levels: %s.", *level, strings.Join(slices.Sorted(slices.Values(model.Effort)), ", "))
	}
	return nil
}

func (p *parser) checkBudget(t Thinking, out *Request) error {
	if t.Budget == nil {
		return apierror.Invalid("thinking.enabled.budget_tokens: Field required")
	}
	if *t.Budget < 1024 {
		return apierror.Invalid("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024")
	}
	if !p.forCount && out.MaxTokens <= *t.Budget {
		return apierror.Invalid("`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size")
	}
	return nil
}

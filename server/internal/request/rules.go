package request

import (
	"strings"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/jsonscan"
	"github.com/claudemock/claudemock/server/internal/tokens"
)

// required checks the fields every request must carry, in the order the
// real API reports them.
func (p *parser) required(raw *rawParams) error {
	switch {
	case !raw.Model.set:
		return apierror.Invalid("model: Field required")
	case !raw.Messages.set:
		return apierror.Invalid("messages: Field required")
	case !raw.MaxTokens.set && !p.forCount:
		return apierror.Invalid("max_tokens: Field required")
	case raw.Messages.v.n == 0:
		return apierror.Invalid("messages: at least one message is required")
	}
	return nil
}

// scalars validates the simple top-level values.
func (p *parser) scalars(raw *rawParams, out *Request) error {
	if raw.MaxTokens.set {
		if raw.MaxTokens.v < 0 {
			return apierror.Invalid("max_tokens: Input should be greater than or equal to 0")
		}
		out.MaxTokens = raw.MaxTokens.v
	}
	if err := inRange("temperature", raw.Temperature, 0, 1); err != nil {
		return err
	}
	if err := inRange("top_p", raw.TopP, 0, 1); err != nil {
		return err
	}
	if raw.TopK.set && raw.TopK.v < 0 {
		return apierror.Invalid("top_k: Input should be greater than or equal to 0")
	}
	if raw.ServiceTier.set && raw.ServiceTier.v != "auto" && raw.ServiceTier.v != "standard_only" {
		return apierror.Invalid("service_tier: Input should be 'auto' or 'standard_only'")
	}
	if err := checkMetadata(raw.Metadata); err != nil {
		return err
	}
	for _, seq := range raw.StopSequences {
		switch {
		case seq == "":
			return apierror.Invalid("stop_sequences: each stop sequence must be non-empty")
		case strings.TrimSpace(seq) == "":
			return apierror.Invalid("stop_sequences: each stop sequence must contain non-whitespace")
		}
	}
	out.StopSequences = raw.StopSequences
	out.ServiceTier = "auto"
	if raw.ServiceTier.set {
		out.ServiceTier = raw.ServiceTier.v
	}
	if raw.InferenceGeo.set {
		out.InferenceGeo = raw.InferenceGeo.v
	}
	out.Stream = raw.Stream
	return nil
}

func inRange(name string, v opt[float64], lo, hi float64) error {
	switch {
	case !v.set:
		return nil
	case v.v < lo:
		return apierror.Invalid("%s: Input should be greater than or equal to %g", name, lo)
	case v.v > hi:
		return apierror.Invalid("%s: Input should be less than or equal to %g", name, hi)
	}
	return nil
}

// checkMetadata validates metadata: an object whose only key is user_id,
// a string of at most 256 bytes.
func checkMetadata(v string) error {
	if isNull(v) {
		return nil
	}
	if v[0] != '{' {
		return apierror.Invalid("metadata: Input should be a valid dictionary")
	}
	var buf [4]member
	ms := members(v, buf[:0])
	if bad, fault := strictFault(ms, func(key string) (kind, bool) {
		return stringValue, key == "user_id"
	}); fault != "" {
		return apierror.Invalid("metadata.%s: %s", bad, fault)
	}
	if userID := messageValue(ms, "user_id"); userID != "" && len(jsonscan.Unquote(userID)) > 256 {
		return apierror.Invalid("metadata.user_id: String should have at most 256 characters")
	}
	return nil
}

// modelRules applies the checks that depend on the model: it must exist
// and not be retired at the request's time, max_tokens must fit its output
// limit, prefill, thinking and the effort level must be supported, and the
// prompt must fit its context window.
func (p *parser) modelRules(raw *rawParams, out *Request) error {
	model := p.model // looked up once, in build
	if model == nil || model.LifecycleAt(p.now) == catalog.LifecycleRetired {
		return &apierror.Error{Kind: apierror.NotFound, Message: "model: " + raw.Model.v}
	}
	out.Model, out.Alias = model, raw.Model.v
	if !p.forCount && out.MaxTokens > model.MaxOutputTokens {
		return apierror.Invalid("max_tokens: %d > %d, which is the maximum allowed number of output tokens for %s",
			out.MaxTokens, model.MaxOutputTokens, model.ID)
	}
	if out.lastRole == "assistant" && !model.SupportsPrefill && !p.forCount {
		return apierror.Invalid("This model does not support assistant message prefill. The conversation must end with a user message.")
	}
	if err := p.parseThinking(raw.Thinking, out); err != nil {
		return err
	}
	if err := checkEffort(out.Effort, model); err != nil {
		return err
	}
	out.Prompt = tokens.Prompt{Blocks: p.blocks, Messages: raw.Messages.v.n, ToolChoiceForced: out.ToolChoice.forced(), AutoCache: p.autoCache}
	out.InputTokens = tokens.Count(out.Prompt)
	if out.InputTokens > model.ContextWindow {
		return apierror.Invalid("prompt is too long: %d tokens > %d maximum", out.InputTokens, model.ContextWindow)
	}
	return nil
}

package server

import (
	"net/http"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/limits"
)

// SetPriority gives an organization a Priority Tier commitment for a model
// (input and output tokens per minute); zero for both removes it.
func (s *Server) SetPriority(orgID, model string, inputTPM, outputTPM int) error {
	modelID, c, err := s.commitmentOf(model, inputTPM, outputTPM)
	if err != nil {
		return err
	}
	return s.setCommitment(orgID, modelID, c)
}

// commitmentOf checks a commitment for a model named by id or alias,
// returning the model's id, so that a change can be checked whole before
// any of it applies.
func (s *Server) commitmentOf(model string, inputTPM, outputTPM int) (string, accounts.Commitment, error) {
	m, ok := s.catalog.Lookup(model)
	if !ok {
		return "", accounts.Commitment{}, &APIError{Type: NotFound, Message: "model: " + model}
	}
	if inputTPM < 0 || outputTPM < 0 || (inputTPM == 0) != (outputTPM == 0) {
		return "", accounts.Commitment{}, invalid("priority.%s: input_tokens_per_minute and output_tokens_per_minute must both be > 0 (or both 0 to remove)", model)
	}
	return m.ID, accounts.Commitment{InputTPM: inputTPM, OutputTPM: outputTPM}, nil
}

// setCommitment applies a checked commitment; only an unknown
// organization can refuse it.
func (s *Server) setCommitment(orgID, modelID string, c accounts.Commitment) error {
	if err := s.accounts.SetPriority(orgID, modelID, c); err != nil {
		return &APIError{Type: NotFound, Message: err.Error()}
	}
	return nil
}

// priorityHeaders sets the six anthropic-priority-* headers, present
// whenever the request was eligible, even if it fell back to standard.
func (s *Server) priorityHeaders(h http.Header, v limits.View) {
	s.putPriority(h, priorityInputHeaders, v.PriorityInput)
	s.putPriority(h, priorityOutputHeaders, v.PriorityOutput)
}

// putPriority sets one anthropic-priority-* triple, in whole tokens.
func (s *Server) putPriority(h http.Header, names headerNames, b limits.Shown) {
	if !b.OK {
		return
	}
	h[names.limit] = []string{itoa(int(limits.LimitOf(b.State)))}
	h[names.remaining] = []string{itoa(int(b.State.Remaining()))}
	h[names.reset] = []string{s.resetTime(b.State.FullAt)}
}

var (
	priorityInputHeaders  = canonicalTriple("anthropic-priority-input-tokens")
	priorityOutputHeaders = canonicalTriple("anthropic-priority-output-tokens")
)

package server

import (
	"net/http"

	"github.com/claudemock/claudemock/server/internal/limits"
)

// SetPriority gives an organization a Priority Tier commitment for a model
// (input and output tokens per minute); zero for both removes it.
func (s *Server) SetPriority(orgID, model string, inputTPM, outputTPM int) error {
	ch, err := s.orgs().Priority(model, inputTPM, outputTPM)
	return s.apply(orgID, ch, err)
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

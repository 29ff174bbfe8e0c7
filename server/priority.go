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
func (x *exchange) priorityHeaders(h http.Header, v limits.View) {
	x.putPriority(h, priorityInputHeaders, v.PriorityInput)
	x.putPriority(h, priorityOutputHeaders, v.PriorityOutput)
}

// putPriority sets one anthropic-priority-* triple, in whole tokens.
func (x *exchange) putPriority(h http.Header, names headerNames, b limits.Shown) {
	if !b.OK {
		return
	}
	hs := &x.hdr
	hs.put(h, names.limit, hs.int(int64(int(limits.LimitOf(b.State)))))
	hs.put(h, names.remaining, hs.int(int64(int(b.State.Remaining()))))
	hs.put(h, names.reset, hs.instant(x.s.resetInstant(b.State.FullAt)))
}

var (
	priorityInputHeaders  = canonicalTriple("anthropic-priority-input-tokens")
	priorityOutputHeaders = canonicalTriple("anthropic-priority-output-tokens")
)

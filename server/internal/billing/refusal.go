package billing

import (
	"time"

	"github.com/claudemock/claudemock/server/internal/apierror"
)

// Refusal kinds, one per check Book.Check makes, in the order it makes them.
const (
	KindTierCap        = "tier_cap"
	KindOrgLimit       = "org_limit"
	KindWorkspaceLimit = "workspace_limit"
	KindCredit         = "credit"
)

// Refusal says why a request may not be admitted. Hitting a cap is an
// expected outcome, not a failure of the mock, so it is a value the server
// renders rather than a Go error.
type Refusal struct {
	// Kind is one of the Kind constants.
	Kind string
	// ResumesAt is 00:00 UTC on the 1st of the next month for the caps, and
	// zero for credit, which lasts until credits are bought.
	ResumesAt time.Time
}

// Message is the real API's error message for the refusal, verbatim.
func (r Refusal) Message() string {
	switch r.Kind {
	case KindTierCap:
		return TierCapMessage(r.ResumesAt)
	case KindOrgLimit:
		return OrgLimitMessage(r.ResumesAt)
	case KindWorkspaceLimit:
		return WorkspaceLimitMessage(r.ResumesAt)
	default:
		return CreditMessage()
	}
}

// ErrorType is the kind of error the real API answers with, which gives
// its status: the tier cap reuses rate_limit_error (a 429, api-facts §4.3),
// the customer limits and the credit balance are invalid_request_error (400).
func (r Refusal) ErrorType() apierror.Kind {
	if r.Kind == KindTierCap {
		return apierror.RateLimit
	}
	return apierror.InvalidRequest
}

// ErrorCode is error.details.error_code, which only the tier cap carries, so
// clients can tell it apart from an ordinary rate limit ("" for the others).
func (r Refusal) ErrorCode() string {
	if r.Kind == KindTierCap {
		return "enforced_spend_limit_reached"
	}
	return ""
}

// resumeText renders when access resumes as the real messages do.
func resumeText(at time.Time) string {
	return " You will regain access on " + at.UTC().Format("2006-01-02") + " at 00:00 UTC."
}

// TierCapMessage is the real message of the tier spend cap (429), which
// resumes at resumes (api-facts §4.3).
func TierCapMessage(resumes time.Time) string {
	return "You have reached your API usage limits: your organization has crossed its monthly API usage threshold, set based on your organization's API tier." + resumeText(resumes)
}

// OrgLimitMessage is the real message of a customer-set organization spend
// limit (400).
func OrgLimitMessage(resumes time.Time) string {
	return "You have reached your specified API usage limits." + resumeText(resumes)
}

// WorkspaceLimitMessage is the real message of a customer-set workspace spend
// limit (400).
func WorkspaceLimitMessage(resumes time.Time) string {
	return "You have reached your specified workspace API usage limits." + resumeText(resumes)
}

// CreditMessage is the real message of an exhausted prepaid balance (400).
func CreditMessage() string {
	return apierror.CreditBalanceTooLow
}

package server

import (
	"time"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/control"
	"github.com/claudemock/claudemock/server/internal/request"
	"github.com/claudemock/claudemock/server/internal/wire"
)

// billingAccount is what the spend book needs of an account: who, the
// tier whose cap applies, and the customer-set monthly limits.
func (s *Server) billingAccount(acct accounts.Account) billing.Account {
	orgLimit, wsLimit := s.accounts.SpendLimits(acct.OrgID, acct.WorkspaceID)
	return billing.Account{Org: acct.OrgID, Workspace: acct.WorkspaceID, Tier: acct.Tier, OrgLimit: orgLimit, WorkspaceLimit: wsLimit}
}

// Deposit is the outcome of a credit purchase: the new balance and
// cumulative purchases in USD, and the tier the organization is on now.
type Deposit struct {
	Balance   float64 `json:"balance"`
	Purchased float64 `json:"purchased"`
	Tier      string  `json:"tier"`
	Upgraded  bool    `json:"upgraded"`
}

// Deposit buys credits for an organization. A deposit above the tier's
// maximum credit purchase is refused; cumulative purchases that cross a
// tier's threshold move the organization up at once, so its very next
// request gets the new limits.
func (s *Server) Deposit(orgID string, dollars float64) (Deposit, error) {
	tier, ok := s.accounts.TierOf(orgID)
	if !ok {
		return Deposit{}, &APIError{Type: NotFound, Message: "organization " + orgID + " not found"}
	}
	res, err := s.book.Deposit(orgID, billing.Dollars(dollars), tier, s.catalog, s.clock.Now())
	if err != nil {
		return Deposit{}, invalid("amount: %v", err)
	}
	if res.Upgraded {
		_ = s.accounts.SetTier(orgID, res.Tier)
	}
	return Deposit{Balance: res.Balance.USD(), Purchased: res.Purchased.USD(), Tier: res.Tier.Name, Upgraded: res.Upgraded}, nil
}

// EnableCredits turns an organization's prepaid balance on (requests are
// refused once it is spent) or off (unlimited, the default).
func (s *Server) EnableCredits(orgID string, on bool) error {
	return s.apply(orgID, control.Credits(on), nil)
}

// SetSpendLimit sets the customer-set monthly spend limit, in USD, of an
// organization (workspace "") or of one of its workspaces; nil removes it.
func (s *Server) SetSpendLimit(orgID, workspace string, dollars *float64) error {
	ch, err := control.SpendLimit(workspace, dollars)
	return s.apply(orgID, ch, err)
}

// spendError renders a spend refusal as the real API does: the tier's cap
// is a 429 rate_limit_error with error_code enforced_spend_limit_reached
// and no retry-after; a customer-set limit or an empty credit balance is
// a 400 invalid_request_error. None carries x-should-retry.
func spendError(r *billing.Refusal) *APIError {
	e := &APIError{Type: ErrorType(r.ErrorType()), Message: r.Message()}
	if code := r.ErrorCode(); code != "" {
		e.Details = map[string]string{"error_code": code}
	}
	return e
}

// charge prices a served reply from the model's prices and books it to the
// organization and workspace (and their credits) for the month of now.
func (s *Server) charge(billed billing.Account, p *request.Request, msg wire.Message, now time.Time) {
	u := msg.Usage
	cost := billing.Cost(p.Model.Prices, billing.Usage{
		Input:        u.InputTokens,
		Output:       u.OutputTokens,
		CacheWrite5m: u.CacheCreation.Ephemeral5m,
		CacheWrite1h: u.CacheCreation.Ephemeral1h,
		CacheRead:    u.CacheReadInputTokens,
	})
	_ = s.book.Charge(billed, cost, now) // a cost is never negative
}

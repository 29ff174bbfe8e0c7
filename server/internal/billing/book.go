package billing

import (
	"sync"
	"time"

	"github.com/claudemock/claudemock/server/internal/catalog"
)

// Account is what Book needs to know about who a request bills: the
// organization and workspace, the organization's tier (whose cap applies; nil
// means none) and the customer-set monthly limits (nil means none). The
// caller owns these settings, so Book never holds a stale copy of them.
type Account struct {
	Org, Workspace string
	Tier           *catalog.Tier
	OrgLimit       *Money
	WorkspaceLimit *Money
}

// credit is one organization's prepaid account.
type credit struct {
	enabled   bool
	balance   Money
	purchased Money
}

// Book is the whole billing state: the spend ledger and every organization's
// credits. It is safe for concurrent use; its lock makes a charge update
// spend and balance together, so a snapshot never sees one without the other.
type Book struct {
	mu      sync.Mutex
	ledger  *Ledger
	credits map[string]*credit
}

// NewBook returns an empty book: no spend, credits disabled everywhere.
func NewBook() *Book {
	return &Book{ledger: NewLedger(), credits: make(map[string]*credit)}
}

// Ledger exposes the spend ledger, for callers that only read spend.
func (b *Book) Ledger() *Ledger {
	return b.ledger
}

// Check decides whether acct may make a request at now, nil meaning yes.
// Caps are checked against spend already made (>=), so the request that
// crosses a cap is served and the next refused; credits refuse once the
// balance is <= 0. It reads spend and balance under the book's lock, so it
// sees each charge whole. The first failing check, in the order tier cap,
// organization limit, workspace limit, credit, is reported.
func (b *Book) Check(acct Account, now time.Time) *Refusal {
	b.mu.Lock()
	defer b.mu.Unlock()
	orgSpent, wsSpent := b.ledger.Spent(acct.Org, acct.Workspace, now)
	capped := func(kind string) *Refusal { return &Refusal{Kind: kind, ResumesAt: NextMonth(now)} }
	if t := acct.Tier; t != nil && t.MonthlySpendLimit != nil && orgSpent >= Dollars(*t.MonthlySpendLimit) {
		return capped(KindTierCap)
	}
	if acct.OrgLimit != nil && orgSpent >= *acct.OrgLimit {
		return capped(KindOrgLimit)
	}
	if acct.Workspace != "" && acct.WorkspaceLimit != nil && wsSpent >= *acct.WorkspaceLimit {
		return capped(KindWorkspaceLimit)
	}
	if c := b.credits[acct.Org]; c != nil && c.enabled && c.balance <= 0 {
		return &Refusal{Kind: KindCredit}
	}
	return nil
}

// Charge bills cost to acct at now: it adds to the month's spend of the
// organization and workspace and, when the organization has credits enabled,
// deducts it from the balance, which may go negative by this charge. It is
// an error only for a negative cost.
func (b *Book) Charge(acct Account, cost Money, now time.Time) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.ledger.Charge(acct.Org, acct.Workspace, cost, now); err != nil {
		return err
	}
	if c := b.credits[acct.Org]; c != nil && c.enabled {
		c.balance -= cost
	}
	return nil
}

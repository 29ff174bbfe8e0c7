package billing

import (
	"fmt"
	"time"

	"github.com/claudemock/claudemock/server/internal/catalog"
)

// DepositResult is the state after a deposit: the new balance and cumulative
// purchases, and the tier the organization now qualifies for, so the caller
// can move it there at once ("You advance immediately upon reaching the
// threshold", api-facts §4.1).
type DepositResult struct {
	Balance, Purchased Money
	// Tier is the higher of the current tier and the one the cumulative
	// purchases reach; Upgraded reports whether it differs from the current.
	Tier     *catalog.Tier
	Upgraded bool
}

// EnableCredits turns prepaid credits on or off for org. Off (the default)
// means an unlimited balance, so organizations nobody configured are never
// refused for credit; turning it on with nothing deposited refuses at once.
// The balance and purchases are kept either way.
func (b *Book) EnableCredits(org string, on bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.account(org).enabled = on
}

// Credits reports org's prepaid account: whether credits are enforced, the
// balance and the cumulative purchases.
func (b *Book) Credits(org string) (enabled bool, balance, purchased Money) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if c := b.credits[org]; c != nil {
		return c.enabled, c.balance, c.purchased
	}
	return false, 0, 0
}

// Deposit buys amount of credits for org, which is in tier (nil: none). It
// fails, changing nothing, when amount is not positive or exceeds the tier's
// max_credit_purchase, the largest single transaction allowed. cat (may be
// nil) supplies the purchase thresholds for the upgrade; now is accepted for
// symmetry with the other operations, as deposits do not depend on the month.
func (b *Book) Deposit(org string, amount Money, tier *catalog.Tier, cat *catalog.Catalog, now time.Time) (DepositResult, error) {
	if amount <= 0 {
		return DepositResult{}, fmt.Errorf("deposit of %s must be positive", amount)
	}
	if tier != nil && tier.MaxCreditPurchase != nil && amount > Dollars(*tier.MaxCreditPurchase) {
		return DepositResult{}, fmt.Errorf("deposit of %s exceeds the tier's maximum credit purchase of %s",
			amount, Dollars(*tier.MaxCreditPurchase))
	}
	b.mu.Lock()
	c := b.account(org)
	c.balance += amount
	c.purchased += amount
	res := DepositResult{Balance: c.balance, Purchased: c.purchased, Tier: tier}
	b.mu.Unlock()
	if cat != nil {
		res.Tier = higherTier(tier, cat.TierForPurchases(res.Purchased.USD()))
		res.Upgraded = res.Tier != tier
	}
	return res, nil
}

// higherTier picks between the current tier and the one purchases reach, by
// credit_purchase_threshold. A current tier without a threshold (custom,
// start, …) was assigned by hand and is never replaced; a nil current tier
// takes whatever the purchases reach.
func higherTier(current, reached *catalog.Tier) *catalog.Tier {
	switch {
	case reached == nil:
		return current
	case current == nil:
		return reached
	case current.CreditPurchaseThreshold == nil:
		return current
	case *reached.CreditPurchaseThreshold > *current.CreditPurchaseThreshold:
		return reached
	}
	return current
}

// account returns org's credit record, creating a disabled one; b.mu must be
// held.
func (b *Book) account(org string) *credit {
	c := b.credits[org]
	if c == nil {
		c = &credit{}
		b.credits[org] = c
	}
	return c
}

// Grant turns credits on for org with a balance of amount that was not
// purchased, so it counts toward no tier threshold: a scenario that starts
// an organization with a few cents of credit does not upgrade it.
func (b *Book) Grant(org string, amount Money) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.account(org)
	c.enabled, c.balance = true, amount
}

// Reset forgets all spend and every credit account.
func (b *Book) Reset() {
	b.mu.Lock()
	b.credits = make(map[string]*credit)
	b.mu.Unlock()
	b.ledger.Reset()
}

package control

import (
	"maps"
	"slices"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/catalog"
)

// Orgs is what a change reaches: the catalogue that names tiers, model
// families and models, the directory of organizations and the book that
// keeps their credits.
type Orgs struct {
	Catalog  *catalog.Catalog
	Accounts *accounts.Directory
	Book     *billing.Book
}

// Change is a change to one organization, every part of it already
// checked, so that applying it either changes all it names or, for an
// unknown organization, nothing: the first step refuses it. The zero
// Change changes nothing.
type Change struct {
	priority   map[string]accounts.Commitment // by model id
	credits    *bool
	spendLimit *billing.Money
	setSpend   bool   // spendLimit applies, nil removing the limit
	workspace  string // whose spend limit; "" for the organization's
	tier       *catalog.Tier
	limits     map[string]catalog.Limits // nil: unchanged
}

// Apply makes a checked change, in the order the control API has always
// applied it: commitments, credits, spend limit, tier, limits. Only an
// unknown organization (or workspace) can refuse it, a 404.
func (o Orgs) Apply(orgID string, ch Change) error {
	for _, model := range slices.Sorted(maps.Keys(ch.priority)) {
		if err := o.Accounts.SetPriority(orgID, model, ch.priority[model]); err != nil {
			return notFound(err.Error())
		}
	}
	if ch.credits != nil {
		if err := o.enableCredits(orgID, *ch.credits); err != nil {
			return err
		}
	}
	if ch.setSpend {
		if err := o.Accounts.SetSpendLimit(orgID, ch.workspace, ch.spendLimit); err != nil {
			return notFound(err.Error())
		}
	}
	if ch.tier != nil {
		if err := o.Accounts.SetTier(orgID, ch.tier); err != nil {
			return notFound(err.Error())
		}
	}
	if ch.limits != nil {
		if err := o.Accounts.SetLimits(orgID, ch.limits); err != nil {
			return notFound(err.Error())
		}
	}
	return nil
}

// enableCredits turns an organization's prepaid balance on or off; the
// book keeps any id, so the organization is looked up first.
func (o Orgs) enableCredits(orgID string, on bool) error {
	if _, ok := o.Accounts.TierOf(orgID); !ok {
		return notFound("organization " + orgID + " not found")
	}
	o.Book.EnableCredits(orgID, on)
	return nil
}

// notFound is the 404 for an organization, workspace or model no one has.
func notFound(message string) *apierror.Error {
	return &apierror.Error{Kind: apierror.NotFound, Message: message}
}

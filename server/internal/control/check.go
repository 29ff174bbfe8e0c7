package control

import (
	"maps"
	"slices"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/limits"
)

// Tier is the change that moves an organization to the named tier of the
// catalogue.
func (o Orgs) Tier(name string) (Change, error) {
	tier, err := o.tierNamed(name)
	return Change{tier: tier}, err
}

// Limits is the change that gives an organization limits of its own over
// its tier's: family (or "default") → dimension → limit.
func (o Orgs) Limits(in map[string]map[string]int) (Change, error) {
	parsed, err := o.limits(in)
	return Change{limits: parsed}, err
}

// Priority is the change that sets an organization's Priority Tier
// commitment for a model, named by id or alias; zero for both removes it.
func (o Orgs) Priority(model string, inputTPM, outputTPM int) (Change, error) {
	id, c, err := o.commitment(model, inputTPM, outputTPM)
	if err != nil {
		return Change{}, err
	}
	return Change{priority: map[string]accounts.Commitment{id: c}}, nil
}

// SpendLimit is the change that sets the monthly spend limit, in USD, of
// an organization (workspace "") or of one of its workspaces; nil
// removes it.
func SpendLimit(workspace string, dollars *float64) (Change, error) {
	limit, err := spendLimitOf(dollars)
	if err != nil {
		return Change{}, err
	}
	return Change{spendLimit: limit, setSpend: true, workspace: workspace}, nil
}

// Credits is the change that turns an organization's prepaid balance on
// (requests are refused once it is spent) or off.
func Credits(on bool) Change { return Change{credits: &on} }

// tierNamed finds a tier of the catalogue by name.
func (o Orgs) tierNamed(name string) (*catalog.Tier, error) {
	tier, ok := o.Catalog.Tier(name)
	if !ok {
		return nil, apierror.Invalid("tier: no tier named %q in the catalogue", name)
	}
	return tier, nil
}

// limits checks families and dimensions by name and turns them into the
// catalogue's Limits.
func (o Orgs) limits(in map[string]map[string]int) (map[string]catalog.Limits, error) {
	out := map[string]catalog.Limits{}
	for _, family := range slices.Sorted(maps.Keys(in)) {
		if family != "default" && !o.isFamily(family) {
			return nil, apierror.Invalid("limits: %q is not a model family or \"default\"", family)
		}
		var l catalog.Limits
		for _, name := range slices.Sorted(maps.Keys(in[family])) {
			n := in[family][name]
			field := limits.Field(&l, name)
			switch {
			case field == nil:
				return nil, apierror.Invalid("limits.%s.%s: not a limit dimension", family, name)
			case n <= 0:
				return nil, apierror.Invalid("limits.%s.%s: must be > 0, got %d", family, name, n)
			}
			*field = n
		}
		out[family] = l
	}
	return out, nil
}

func (o Orgs) isFamily(name string) bool {
	return slices.ContainsFunc(o.Catalog.Models(), func(m *catalog.Model) bool { return m.Family == name })
}

// commitment checks a commitment for a model named by id or alias,
// returning the model's id.
func (o Orgs) commitment(model string, inputTPM, outputTPM int) (string, accounts.Commitment, error) {
	m, ok := o.Catalog.Lookup(model)
	if !ok {
		return "", accounts.Commitment{}, notFound("model: " + model)
	}
	if inputTPM < 0 || outputTPM < 0 || (inputTPM == 0) != (outputTPM == 0) {
		return "", accounts.Commitment{}, apierror.Invalid("priority.%s: input_tokens_per_minute and output_tokens_per_minute must both be > 0 (or both 0 to remove)", model)
	}
	return m.ID, accounts.Commitment{InputTPM: inputTPM, OutputTPM: outputTPM}, nil
}

// spendLimitOf checks a spend limit in USD (nil for none) and turns it
// into Money.
func spendLimitOf(dollars *float64) (*billing.Money, error) {
	if dollars == nil {
		return nil, nil
	}
	if *dollars <= 0 {
		return nil, apierror.Invalid("spend_limit: must be > 0, got %g", *dollars)
	}
	m := billing.Dollars(*dollars)
	return &m, nil
}

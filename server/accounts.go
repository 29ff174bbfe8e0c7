package server

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/google/uuid"

	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/orgs"
)

// account is who a request is billed to and limited as: the organization
// (its tier and own limits) and the workspace its key belongs to.
type account struct {
	orgID       string
	workspaceID string // "" for the default workspace
	tier        *catalog.Tier
	org         orgs.Organization
	workspace   *orgs.Workspace
	isDefault   bool // the organization of keys nobody configured
}

func (a account) orgScope() string { return "org:" + a.orgID }

// workspaceHeader is the account's anthropic-workspace-id: its configured
// workspace's id, or the id of its organization's default workspace.
func (a account) workspaceHeader() string {
	return cmp.Or(a.workspaceID, orgs.DefaultWorkspaceID(a.orgID))
}

// cacheScope is where the account's prompt-cache entries live: caches are
// isolated per workspace.
func (a account) cacheScope() string {
	return "ws:" + a.orgID + "/" + cmp.Or(a.workspaceID, "default")
}

// scope is one set of buckets a request draws from.
type scope struct {
	id     string
	limits catalog.Limits
}

// scopes lists the organization's effective limits for the family and,
// when the workspace has limits of its own, the workspace's: both must
// admit the request.
func (a account) scopes(family string) []scope {
	out := []scope{{id: a.orgScope(), limits: a.org.Effective(a.tier, family)}}
	if a.workspace == nil {
		return out
	}
	if l, ok := a.workspace.For(family); ok {
		out = append(out, scope{id: "ws:" + a.workspace.ID, limits: l})
	}
	return out
}

// organization is one organization as the server runs it: its
// configuration and its current tier.
type organization struct {
	cfg  orgs.Organization
	tier *catalog.Tier
	// spendLimit and workspaceSpend are the customer-set monthly limits.
	spendLimit     *billing.Money
	workspaceSpend map[string]billing.Money
	// priority holds the Priority Tier commitments, by model id.
	priority map[string]commitment
}

// directory resolves API keys to accounts. Keys nobody configured belong
// to the default organization.
type directory struct {
	mu   sync.RWMutex
	orgs map[string]*organization
	keys map[string]keyRef
	def  string
}

// keyRef is where a configured key points.
type keyRef struct {
	org       string
	workspace *orgs.Workspace
}

// defaultOrgID is the default organization's id: a UUID derived from the
// seed, as stable as everything else the seed decides.
func defaultOrgID(seed uint64) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, fmt.Appendf(nil, "claudemock:organization:%d", seed)).String()
}

// newDirectory builds the directory from the configured organizations;
// those without a tier get the default one.
func newDirectory(cat *catalog.Catalog, seed uint64, tier *catalog.Tier, configured []orgs.Organization) *directory {
	d := &directory{def: defaultOrgID(seed)}
	d.orgs, d.keys = index(cat, tier, configured)
	d.orgs[d.def] = &organization{cfg: orgs.Organization{ID: d.def, Name: "Default organization"}, tier: tier}
	return d
}

// index builds the organizations and the key map of a configuration.
func index(cat *catalog.Catalog, tier *catalog.Tier, configured []orgs.Organization) (map[string]*organization, map[string]keyRef) {
	all, keys := map[string]*organization{}, map[string]keyRef{}
	for _, o := range configured {
		t := tier
		if named, ok := cat.Tier(o.Tier); ok {
			t = named
		}
		all[o.ID] = configuredOrganization(cat, o, t)
		for _, k := range o.Keys {
			keys[k] = keyRef{org: o.ID}
		}
		for i := range o.Workspaces {
			ws := &o.Workspaces[i]
			for _, k := range ws.Keys {
				keys[k] = keyRef{org: o.ID, workspace: ws}
			}
		}
	}
	return all, keys
}

// configuredOrganization builds a configured organization with the spend
// limits and Priority Tier commitments its entry declares.
func configuredOrganization(cat *catalog.Catalog, o orgs.Organization, tier *catalog.Tier) *organization {
	org := &organization{cfg: o, tier: tier, spendLimit: dollars(o.SpendLimit)}
	for _, ws := range o.Workspaces {
		if limit := dollars(ws.SpendLimit); limit != nil {
			if org.workspaceSpend == nil {
				org.workspaceSpend = map[string]billing.Money{}
			}
			org.workspaceSpend[ws.ID] = *limit
		}
	}
	for model, c := range o.Priority {
		if m, ok := cat.Lookup(model); ok {
			if org.priority == nil {
				org.priority = map[string]commitment{}
			}
			org.priority[m.ID] = commitment{c.InputTokensPerMinute, c.OutputTokensPerMinute}
		}
	}
	return org
}

// dollars converts an optional USD amount to Money.
func dollars(usd *float64) *billing.Money {
	if usd == nil {
		return nil
	}
	m := billing.Dollars(*usd)
	return &m
}

// resolve finds the account of a key.
func (d *directory) resolve(key string) account {
	d.mu.RLock()
	defer d.mu.RUnlock()
	ref, ok := d.keys[key]
	if !ok {
		ref = keyRef{org: d.def}
	}
	org := d.orgs[ref.org]
	acct := account{orgID: org.cfg.ID, tier: org.tier, org: org.cfg, workspace: ref.workspace, isDefault: ref.org == d.def}
	if ref.workspace != nil {
		acct.workspaceID = ref.workspace.ID
	}
	return acct
}

// reset starts the directory over for another seed, default tier and
// set of organizations, as loading a scenario does.
func (d *directory) reset(cat *catalog.Catalog, seed uint64, tier *catalog.Tier, configured []orgs.Organization) {
	fresh := newDirectory(cat, seed, tier, configured)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.orgs, d.keys, d.def = fresh.orgs, fresh.keys, fresh.def
}

// replace swaps the configured organizations for others; the default
// organization stays.
func (d *directory) replace(cat *catalog.Catalog, configured []orgs.Organization) {
	all, keys := index(cat, d.defaultTier(), configured)
	d.mu.Lock()
	defer d.mu.Unlock()
	all[d.def] = d.orgs[d.def]
	d.orgs, d.keys = all, keys
}

// defaultID is the default organization's id, which a scenario's seed
// may change.
func (d *directory) defaultID() string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.def
}

func (d *directory) defaultTier() *catalog.Tier {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.orgs[d.def].tier
}

// spendLimits returns the customer-set monthly limits of an organization
// and of one of its workspaces (nil where none is set).
func (d *directory) spendLimits(orgID, workspace string) (org, ws *billing.Money) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	o, ok := d.orgs[orgID]
	if !ok {
		return nil, nil
	}
	if limit, ok := o.workspaceSpend[workspace]; ok && workspace != "" {
		ws = &limit
	}
	return o.spendLimit, ws
}

// setSpendLimit sets (or with nil removes) the customer-set monthly limit
// of an organization, or of one of its workspaces when workspace is set.
func (d *directory) setSpendLimit(orgID, workspace string, limit *billing.Money) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	o, ok := d.orgs[orgID]
	if !ok {
		return fmt.Errorf("organization %q not found", orgID)
	}
	if workspace == "" {
		o.spendLimit = limit
		return nil
	}
	if !slices.ContainsFunc(o.cfg.Workspaces, func(w orgs.Workspace) bool { return w.ID == workspace }) {
		return fmt.Errorf("workspace %q not found in organization %q", workspace, orgID)
	}
	if o.workspaceSpend == nil {
		o.workspaceSpend = map[string]billing.Money{}
	}
	if limit == nil {
		delete(o.workspaceSpend, workspace)
	} else {
		o.workspaceSpend[workspace] = *limit
	}
	return nil
}

// priorityFor returns an organization's commitment for a model.
func (d *directory) priorityFor(orgID, model string) (commitment, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if o, ok := d.orgs[orgID]; ok {
		c, ok := o.priority[model]
		return c, ok
	}
	return commitment{}, false
}

// setPriority sets (or, with a zero commitment, removes) a commitment.
func (d *directory) setPriority(orgID, model string, c commitment) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	o, ok := d.orgs[orgID]
	if !ok {
		return fmt.Errorf("organization %q not found", orgID)
	}
	if o.priority == nil {
		o.priority = map[string]commitment{}
	}
	if c == (commitment{}) {
		delete(o.priority, model)
	} else {
		o.priority[model] = c
	}
	return nil
}

// tierOf is an organization's current tier.
func (d *directory) tierOf(orgID string) (*catalog.Tier, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	o, ok := d.orgs[orgID]
	if !ok {
		return nil, false
	}
	return o.tier, true
}

// setLimits gives an organization limits of its own, replacing any it had.
func (d *directory) setLimits(orgID string, limits map[string]catalog.Limits) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	org, ok := d.orgs[orgID]
	if !ok {
		return fmt.Errorf("organization %q not found", orgID)
	}
	org.cfg.Limits = limits
	return nil
}

// setTier moves an organization to another tier; the new limits apply to
// its next request.
func (d *directory) setTier(orgID string, tier *catalog.Tier) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	org, ok := d.orgs[orgID]
	if !ok {
		return fmt.Errorf("organization %q not found", orgID)
	}
	org.tier = tier
	return nil
}

// list returns the organizations, the default first, then by id.
func (d *directory) list() []OrganizationState {
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := make([]OrganizationState, 0, len(d.orgs))
	for id, org := range d.orgs {
		st := OrganizationState{ID: id, Name: org.cfg.Name, Tier: org.tier.Name, Default: id == d.def,
			DefaultWorkspaceID: orgs.DefaultWorkspaceID(id)}
		for _, ws := range org.cfg.Workspaces {
			st.Workspaces = append(st.Workspaces, ws.ID)
		}
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Default != out[j].Default {
			return out[i].Default
		}
		return out[i].ID < out[j].ID
	})
	return out
}

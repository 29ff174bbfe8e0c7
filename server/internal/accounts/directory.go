package accounts

import (
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/google/uuid"

	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/orgs"
)

// organization is one organization as the directory keeps it: its
// configuration and its current tier.
type organization struct {
	cfg  orgs.Organization
	tier *catalog.Tier
	// spendLimit and workspaceSpend are the customer-set monthly limits.
	spendLimit     *billing.Money
	workspaceSpend map[string]billing.Money
	// priority holds the Priority Tier commitments, by model id.
	priority map[string]Commitment
	// console is what the Admin API changed.
	console consoleState
	// names are the account names of the default workspace, and of each
	// workspace by id, derived once (a workspace made later by the Admin
	// API has none; its accounts derive theirs).
	names   names
	wsNames map[string]names
}

// Directory resolves API keys to accounts and holds what the control API
// changes about an organization. Keys nobody configured belong to the
// default organization. It is safe for concurrent use.
type Directory struct {
	mu    sync.RWMutex
	orgs  map[string]*organization
	keys  map[string]*keyRef
	admin map[string]string // admin key -> organization
	def   string
}

// keyRef is where a configured key points, and the key as the Admin API
// shows it: its id, name and status.
type keyRef struct {
	org       string
	workspace string // "" for the default workspace
	id, name  string
	inactive  bool
	order     int // position in the file, the order keys are listed in
}

// defaultOrgID is the default organization's id: a UUID derived from the
// seed, as stable as everything else the seed decides.
func defaultOrgID(seed uint64) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, fmt.Appendf(nil, "claudemock:organization:%d", seed)).String()
}

// New builds the directory from the configured organizations; those
// without a tier get the default one. The seed decides the default
// organization's id.
func New(cat *catalog.Catalog, seed uint64, tier *catalog.Tier, configured []orgs.Organization) *Directory {
	d := &Directory{def: defaultOrgID(seed)}
	d.orgs, d.keys, d.admin = index(cat, tier, configured)
	d.orgs[d.def] = &organization{cfg: orgs.Organization{ID: d.def, Name: "Default organization"}, tier: tier,
		names: namesOf(d.def, "")}
	return d
}

// index builds the organizations and the key map of a configuration.
func index(cat *catalog.Catalog, tier *catalog.Tier, configured []orgs.Organization) (map[string]*organization, map[string]*keyRef, map[string]string) {
	all, keys, admin := map[string]*organization{}, map[string]*keyRef{}, map[string]string{}
	add := func(k, org, ws string) { keys[k] = newKeyRef(k, org, ws, len(keys)) }
	for _, o := range configured {
		t := tier
		if named, ok := cat.Tier(o.Tier); ok {
			t = named
		}
		o.Workspaces = slices.Clone(o.Workspaces)
		all[o.ID] = configuredOrganization(cat, o, t)
		for _, k := range o.Keys {
			add(k, o.ID, "")
		}
		for _, ws := range o.Workspaces {
			for _, k := range ws.Keys {
				add(k, o.ID, ws.ID)
			}
		}
		for _, k := range o.AdminKeys {
			admin[k] = o.ID
		}
	}
	return all, keys, admin
}

// configuredOrganization builds a configured organization with the spend
// limits and Priority Tier commitments its entry declares.
func configuredOrganization(cat *catalog.Catalog, o orgs.Organization, tier *catalog.Tier) *organization {
	org := &organization{cfg: o, tier: tier, spendLimit: dollars(o.SpendLimit), names: namesOf(o.ID, ""),
		wsNames: map[string]names{}}
	for _, ws := range o.Workspaces {
		org.wsNames[ws.ID] = namesOf(o.ID, ws.ID)
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
				org.priority = map[string]Commitment{}
			}
			org.priority[m.ID] = Commitment{c.InputTokensPerMinute, c.OutputTokensPerMinute}
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

// Resolve finds the account of a key.
func (d *Directory) Resolve(key string) Account {
	d.mu.RLock()
	defer d.mu.RUnlock()
	ref := keyRef{org: d.def} // an unknown key: the default organization
	if r, ok := d.keys[key]; ok {
		ref = *r
	}
	org := d.orgs[ref.org]
	acct := Account{OrgID: org.cfg.ID, Tier: org.tier, Org: org.cfg, IsDefault: ref.org == d.def, names: org.names}
	if ws := org.workspace(ref.workspace); ws != nil {
		copied := *ws
		acct.WorkspaceID, acct.Workspace = ws.ID, &copied
		acct.names = org.wsNames[ws.ID] // none for a workspace made later
	}
	return acct
}

// Reset starts the directory over for another seed, default tier and
// set of organizations, as loading a scenario does.
func (d *Directory) Reset(cat *catalog.Catalog, seed uint64, tier *catalog.Tier, configured []orgs.Organization) {
	fresh := New(cat, seed, tier, configured)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.orgs, d.keys, d.admin, d.def = fresh.orgs, fresh.keys, fresh.admin, fresh.def
}

// Replace swaps the configured organizations for others; the default
// organization stays.
func (d *Directory) Replace(cat *catalog.Catalog, configured []orgs.Organization) {
	all, keys, admin := index(cat, d.defaultTier(), configured)
	d.mu.Lock()
	defer d.mu.Unlock()
	all[d.def] = d.orgs[d.def]
	d.orgs, d.keys, d.admin = all, keys, admin
}

// DefaultID is the default organization's id, which a scenario's seed
// may change.
func (d *Directory) DefaultID() string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.def
}

// defaultTier is the default organization's current tier, which the
// organizations of a replaced configuration start from.
func (d *Directory) defaultTier() *catalog.Tier {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.orgs[d.def].tier
}

// SpendLimits returns the customer-set monthly limits of an organization
// and of one of its workspaces (nil where none is set).
func (d *Directory) SpendLimits(orgID, workspace string) (org, ws *billing.Money) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	o, ok := d.orgs[orgID]
	if !ok {
		return nil, nil
	}
	if limit, ok := o.workspaceSpend[workspace]; ok && workspace != "" {
		ws = new(billing.Money) // made here, not by &limit: that moves limit to the heap on every call
		*ws = limit
	}
	return o.spendLimit, ws
}

// SetSpendLimit sets (or with nil removes) the customer-set monthly limit
// of an organization, or of one of its workspaces when workspace is set.
func (d *Directory) SetSpendLimit(orgID, workspace string, limit *billing.Money) error {
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

// Priority returns an organization's commitment for a model.
func (d *Directory) Priority(orgID, model string) (Commitment, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if o, ok := d.orgs[orgID]; ok {
		c, ok := o.priority[model]
		return c, ok
	}
	return Commitment{}, false
}

// SetPriority sets (or, with a zero commitment, removes) a commitment.
func (d *Directory) SetPriority(orgID, model string, c Commitment) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	o, ok := d.orgs[orgID]
	if !ok {
		return fmt.Errorf("organization %q not found", orgID)
	}
	if o.priority == nil {
		o.priority = map[string]Commitment{}
	}
	if c == (Commitment{}) {
		delete(o.priority, model)
	} else {
		o.priority[model] = c
	}
	return nil
}

// TierOf is an organization's current tier.
func (d *Directory) TierOf(orgID string) (*catalog.Tier, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	o, ok := d.orgs[orgID]
	if !ok {
		return nil, false
	}
	return o.tier, true
}

// SetLimits gives an organization limits of its own, replacing any it had.
func (d *Directory) SetLimits(orgID string, limits map[string]catalog.Limits) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	org, ok := d.orgs[orgID]
	if !ok {
		return fmt.Errorf("organization %q not found", orgID)
	}
	org.cfg.Limits = limits
	return nil
}

// SetTier moves an organization to another tier; the new limits apply to
// its next request.
func (d *Directory) SetTier(orgID string, tier *catalog.Tier) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	org, ok := d.orgs[orgID]
	if !ok {
		return fmt.Errorf("organization %q not found", orgID)
	}
	org.tier = tier
	return nil
}

// Summary is one organization as the control API lists it.
type Summary struct {
	ID                 string
	Name               string
	Tier               string
	Default            bool
	Workspaces         []string
	DefaultWorkspaceID string // what anthropic-workspace-id says for its default workspace
}

// List returns the organizations, the default first, then by id.
func (d *Directory) List() []Summary {
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := make([]Summary, 0, len(d.orgs))
	for id, org := range d.orgs {
		st := Summary{ID: id, Name: org.cfg.Name, Tier: org.tier.Name, Default: id == d.def,
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

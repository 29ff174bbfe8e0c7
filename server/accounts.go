package server

import (
	"fmt"
	"sync"

	"github.com/google/uuid"

	"github.com/claudemock/claudemock/server/internal/catalog"
)

// account is who a request is billed to and limited as: the organization,
// its workspace, the organization's tier and the workspace's own limits.
type account struct {
	orgID       string
	workspaceID string
	tier        *catalog.Tier
	wsLimits    map[string]catalog.Limits // by family or "default"; nil for the default workspace
}

func (a account) orgScope() string { return "org:" + a.orgID }

// scope is one set of buckets a request draws from.
type scope struct {
	id     string
	limits catalog.Limits
}

// scopes lists the organization's limits for the family and, when the
// workspace has limits of its own, the workspace's: both must admit.
func (a account) scopes(family string) []scope {
	out := []scope{{id: a.orgScope(), limits: a.tier.For(family)}}
	if l, ok := a.wsLimits[family]; ok {
		return append(out, scope{id: "ws:" + a.workspaceID, limits: l})
	}
	if l, ok := a.wsLimits["default"]; ok {
		return append(out, scope{id: "ws:" + a.workspaceID, limits: l})
	}
	return out
}

// organization is one configured (or the default) organization.
type organization struct {
	id   string
	tier *catalog.Tier
}

// directory resolves API keys to accounts. Until organizations are
// configured, every key belongs to one default organization.
type directory struct {
	mu   sync.RWMutex
	orgs map[string]*organization
	def  *organization
}

// defaultOrgID is the default organization's id: a UUID derived from the
// seed, as stable as everything else the seed decides.
func defaultOrgID(seed uint64) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, fmt.Appendf(nil, "claudemock:organization:%d", seed)).String()
}

func newDirectory(seed uint64, tier *catalog.Tier) *directory {
	def := &organization{id: defaultOrgID(seed), tier: tier}
	return &directory{orgs: map[string]*organization{def.id: def}, def: def}
}

// resolve finds the account of a key.
func (d *directory) resolve(key string) account {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return account{orgID: d.def.id, workspaceID: "default", tier: d.def.tier}
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

// list returns the organizations with their tiers, the default first.
func (d *directory) list() []organizationState {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return []organizationState{{ID: d.def.id, Tier: d.def.tier.Name, Default: true}}
}

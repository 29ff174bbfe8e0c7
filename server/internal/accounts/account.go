package accounts

import (
	"cmp"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/orgs"
)

// Account is who a request is billed to and limited as: the organization
// (its tier and own limits) and the workspace its key belongs to. It is a
// snapshot: a later change to the Directory does not reach it.
type Account struct {
	OrgID       string
	WorkspaceID string // "" for the default workspace
	Tier        *catalog.Tier
	Org         orgs.Organization
	Workspace   *orgs.Workspace
	IsDefault   bool // the organization of keys nobody configured
}

// OrgScope is the id of the organization's buckets.
func (a Account) OrgScope() string { return "org:" + a.OrgID }

// WorkspaceHeader is the account's anthropic-workspace-id: its configured
// workspace's id, or the id of its organization's default workspace.
func (a Account) WorkspaceHeader() string {
	return cmp.Or(a.WorkspaceID, orgs.DefaultWorkspaceID(a.OrgID))
}

// WorkspaceName is how the journal and scenario matching name the
// account's workspace: its id, "default" for the default workspace.
func (a Account) WorkspaceName() string { return cmp.Or(a.WorkspaceID, "default") }

// CacheScope is where the account's prompt-cache entries live: caches are
// isolated per workspace.
func (a Account) CacheScope() string {
	return "ws:" + a.OrgID + "/" + cmp.Or(a.WorkspaceID, "default")
}

// Scope is one set of buckets a request draws from.
type Scope struct {
	ID     string
	Limits catalog.Limits
}

// Scopes lists the organization's effective limits for the family and,
// when the workspace has limits of its own, the workspace's: both must
// admit the request.
func (a Account) Scopes(family string) []Scope {
	out := []Scope{{ID: a.OrgScope(), Limits: a.Org.Effective(a.Tier, family)}}
	if a.Workspace == nil {
		return out
	}
	if l, ok := a.Workspace.For(family); ok {
		out = append(out, Scope{ID: "ws:" + a.Workspace.ID, Limits: l})
	}
	return out
}

// Commitment is a Priority Tier commitment for one model: input and output
// tokens per minute.
type Commitment struct {
	InputTPM, OutputTPM int
}

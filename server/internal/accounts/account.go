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
	// names are the account's derived names, made once per organization
	// and workspace by the Directory rather than on every request; empty
	// in an Account made elsewhere, whose methods then derive them.
	names names
}

// names are the names an account's scopes and headers use (see the
// methods of Account that return them).
type names struct {
	orgScope, workspaceHeader, cacheScope, workspaceScope string
}

// namesOf derives the names of an organization's account for one of its
// workspaces ("" for the default one).
func namesOf(orgID, workspaceID string) names {
	a := Account{OrgID: orgID, WorkspaceID: workspaceID}
	n := names{orgScope: a.OrgScope(), workspaceHeader: a.WorkspaceHeader(), cacheScope: a.CacheScope()}
	if workspaceID != "" {
		n.workspaceScope = "ws:" + workspaceID
	}
	return n
}

// OrgScope is the id of the organization's buckets.
func (a Account) OrgScope() string {
	if a.names.orgScope != "" {
		return a.names.orgScope
	}
	return "org:" + a.OrgID
}

// WorkspaceHeader is the account's anthropic-workspace-id: its configured
// workspace's id, or the id of its organization's default workspace.
func (a Account) WorkspaceHeader() string {
	if a.names.workspaceHeader != "" {
		return a.names.workspaceHeader
	}
	return cmp.Or(a.WorkspaceID, orgs.DefaultWorkspaceID(a.OrgID))
}

// WorkspaceName is how the journal and scenario matching name the
// account's workspace: its id, "default" for the default workspace.
func (a Account) WorkspaceName() string { return cmp.Or(a.WorkspaceID, "default") }

// CacheScope is where the account's prompt-cache entries live: caches are
// isolated per workspace.
func (a Account) CacheScope() string {
	if a.names.cacheScope != "" {
		return a.names.cacheScope
	}
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
	return a.AppendScopes(nil, family)
}

// AppendScopes is Scopes appended to dst, so that a caller can keep them
// in an array of its own (two at most) instead of a new slice.
func (a Account) AppendScopes(dst []Scope, family string) []Scope {
	dst = append(dst, Scope{ID: a.OrgScope(), Limits: a.Org.Effective(a.Tier, family)})
	if a.Workspace == nil {
		return dst
	}
	if l, ok := a.Workspace.For(family); ok {
		id := a.names.workspaceScope
		if id == "" || a.Workspace.ID != a.WorkspaceID {
			id = "ws:" + a.Workspace.ID
		}
		dst = append(dst, Scope{ID: id, Limits: l})
	}
	return dst
}

// Commitment is a Priority Tier commitment for one model: input and output
// tokens per minute.
type Commitment struct {
	InputTPM, OutputTPM int
}

package admin

import (
	"time"

	"github.com/google/uuid"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/journal"
	"github.com/claudemock/claudemock/server/internal/orgs"
)

// Organization is GET /v1/organizations/me.
type Organization struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// Workspace is a workspace as the Admin API shows it.
type Workspace struct {
	ID            string            `json:"id"`
	Type          string            `json:"type"`
	Name          string            `json:"name"`
	CreatedAt     string            `json:"created_at"`
	ArchivedAt    *string           `json:"archived_at"`
	DisplayColor  string            `json:"display_color"`
	CompartmentID string            `json:"compartment_id"`
	ExternalKeyID *string           `json:"external_key_id"`
	Tags          map[string]string `json:"tags"`
	DataResidency DataResidency     `json:"data_residency"`
}

// DataResidency is a workspace's geography; the mock has one, unrestricted.
type DataResidency struct {
	AllowedInferenceGeos string `json:"allowed_inference_geos"`
	DefaultInferenceGeo  string `json:"default_inference_geo"`
	WorkspaceGeo         string `json:"workspace_geo"`
}

// APIKey is an API key as the Admin API shows it; never the secret.
type APIKey struct {
	ID             string    `json:"id"`
	Type           string    `json:"type"`
	Name           string    `json:"name"`
	Status         string    `json:"status"`
	CreatedAt      string    `json:"created_at"`
	CreatedBy      CreatedBy `json:"created_by"`
	ExpiresAt      *string   `json:"expires_at"`
	PartialKeyHint string    `json:"partial_key_hint"`
	Principal      *struct{} `json:"principal"`
	Scope          KeyScope  `json:"scope"`
	WorkspaceID    *string   `json:"workspace_id"`
}

// CreatedBy names who created a key: the organization's (derived) owner.
type CreatedBy struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// KeyScope is the workspace a key is scoped to.
type KeyScope struct {
	Type        string `json:"type"`
	WorkspaceID string `json:"workspace_id"`
}

// stamp formats an instant as the Admin API does (RFC 3339, UTC).
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// workspaceView is a directory workspace as the Admin API shows it. The
// compartment id is derived from the workspace id, so it is stable too.
func workspaceView(w accounts.WorkspaceInfo) Workspace {
	out := Workspace{ID: w.ID, Type: "workspace", Name: w.Name, CreatedAt: stamp(w.Created),
		DisplayColor:  "#6C5BB9",
		CompartmentID: uuid.NewSHA1(uuid.NameSpaceURL, []byte("claudemock:compartment:"+w.ID)).String(),
		Tags:          map[string]string{},
		DataResidency: DataResidency{"unrestricted", "global", "us"}}
	if w.Archived != nil {
		at := stamp(*w.Archived)
		out.ArchivedAt = &at
	}
	return out
}

// defaultWorkspace is the organization's default workspace, which lists
// only on request (include_default) and cannot be changed.
func defaultWorkspace(orgID string) accounts.WorkspaceInfo {
	return accounts.WorkspaceInfo{ID: orgs.DefaultWorkspaceID(orgID), Name: "Default", Created: accounts.Epoch}
}

// keyView is a directory key as the Admin API shows it: the hint is the
// key's last four characters, as the journal redacts it.
func keyView(orgID string, k accounts.KeyInfo) APIKey {
	out := APIKey{ID: k.ID, Type: "api_key", Name: k.Name, Status: k.Status, CreatedAt: stamp(k.Created),
		CreatedBy:      CreatedBy{ID: orgs.DerivedID("user_01", "claudemock:owner:"+orgID), Type: "user"},
		PartialKeyHint: journal.Redact(k.Key),
		Scope:          KeyScope{Type: "workspace", WorkspaceID: orgs.DefaultWorkspaceID(orgID)}}
	if k.Workspace != "" {
		ws := k.Workspace
		out.WorkspaceID, out.Scope.WorkspaceID = &ws, ws
	}
	return out
}

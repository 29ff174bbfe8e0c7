package admin

import (
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/claudemock/claudemock/server/internal/journal"
	"github.com/claudemock/claudemock/server/internal/orgs"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/apierror"
)

// Me is the organization an admin key belongs to. The Admin API's ids are
// UUIDs: an organizations file's id that is not one is shown as a UUID
// derived from it (the same every time), since files name organizations
// freely.
func Me(dir *accounts.Directory, orgID string) Organization {
	return Organization{ID: OrganizationUUID(orgID), Name: dir.Name(orgID), Type: "organization"}
}

// OrganizationUUID is how the Admin API shows an organization id.
func OrganizationUUID(orgID string) string {
	if id, err := uuid.Parse(orgID); err == nil {
		return id.String()
	}
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("claudemock:organization-id:"+orgID)).String()
}

// WorkspaceQuery is GET /v1/organizations/workspaces' query.
type WorkspaceQuery struct {
	ListQuery
	IncludeArchived, IncludeDefault string
}

// ListWorkspaces lists an organization's workspaces newest first (those a
// file declares share one created_at and keep the file's order), without
// the archived ones or the default one unless asked.
func ListWorkspaces(dir *accounts.Directory, orgID string, q WorkspaceQuery) (List[Workspace], error) {
	archived, err := boolParam("include_archived", q.IncludeArchived)
	if err != nil {
		return List[Workspace]{}, err
	}
	withDefault, err := boolParam("include_default", q.IncludeDefault)
	if err != nil {
		return List[Workspace]{}, err
	}
	all := dir.Workspaces(orgID)
	if withDefault {
		all = append([]accounts.WorkspaceInfo{defaultWorkspace(orgID)}, all...)
	}
	slices.SortStableFunc(all, func(a, b accounts.WorkspaceInfo) int { return b.Created.Compare(a.Created) })
	views := make([]Workspace, 0, len(all))
	for _, w := range all {
		if archived || w.Archived == nil {
			views = append(views, workspaceView(w))
		}
	}
	return page(views, func(w Workspace) string { return w.ID }, q.ListQuery)
}

// boolParam reads a boolean query parameter as pydantic does.
func boolParam(name, raw string) (bool, error) {
	switch raw {
	case "", "false", "0", "no", "off":
		return false, nil
	case "true", "1", "yes", "on":
		return true, nil
	}
	return false, apierror.Invalid("%s: Input should be a valid boolean, unable to interpret input", name)
}

// GetWorkspace is one workspace, the default one included.
func GetWorkspace(dir *accounts.Directory, orgID, id string) (Workspace, error) {
	if def := defaultWorkspace(orgID); id == def.ID {
		return workspaceView(def), nil
	}
	w, err := dir.Workspace(orgID, id)
	if err != nil {
		return Workspace{}, workspaceError(id, err)
	}
	return workspaceView(w), nil
}

// workspaceBody is a create or update body; only name is kept.
type workspaceBody struct {
	Name *string `json:"name"`
}

// workspaceName decodes a body's name: required when creating, 1 to 255
// characters whenever given.
func workspaceName(body []byte, required bool) (*string, error) {
	var b workspaceBody
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, apierror.Invalid("The request body is not valid JSON: %v", err)
	}
	switch {
	case b.Name == nil && required:
		return nil, apierror.Invalid("name: Field required")
	case b.Name != nil && len(*b.Name) < 1:
		return nil, apierror.Invalid("name: String should have at least 1 character")
	case b.Name != nil && len(*b.Name) > 255:
		return nil, apierror.Invalid("name: String should have at most 255 characters")
	}
	return b.Name, nil
}

// CreateWorkspace creates a workspace from a body at now.
func CreateWorkspace(dir *accounts.Directory, orgID string, body []byte, now time.Time) (Workspace, error) {
	name, err := workspaceName(body, true)
	if err != nil {
		return Workspace{}, err
	}
	w, err := dir.CreateWorkspace(orgID, *name, now)
	if err != nil {
		return Workspace{}, workspaceError("", err)
	}
	return workspaceView(w), nil
}

// UpdateWorkspace renames a workspace (the only field the mock keeps).
func UpdateWorkspace(dir *accounts.Directory, orgID, id string, body []byte) (Workspace, error) {
	name, err := workspaceName(body, false)
	if err != nil {
		return Workspace{}, err
	}
	if name == nil {
		return GetWorkspace(dir, orgID, id)
	}
	if id == defaultWorkspace(orgID).ID {
		return Workspace{}, apierror.Invalid("The default workspace cannot be modified.")
	}
	w, err := dir.RenameWorkspace(orgID, id, *name)
	if err != nil {
		return Workspace{}, workspaceError(id, err)
	}
	return workspaceView(w), nil
}

// ArchiveWorkspace archives a workspace at now.
func ArchiveWorkspace(dir *accounts.Directory, orgID, id string, now time.Time) (Workspace, error) {
	if id == defaultWorkspace(orgID).ID {
		return Workspace{}, apierror.Invalid("The default workspace cannot be archived.")
	}
	w, err := dir.ArchiveWorkspace(orgID, id, now)
	if err != nil {
		return Workspace{}, workspaceError(id, err)
	}
	return workspaceView(w), nil
}

// workspaceError words a directory refusal about a workspace.
func workspaceError(id string, err error) error {
	if errors.Is(err, accounts.ErrArchived) {
		return apierror.Invalid("Workspace %s is archived and cannot be modified.", id)
	}
	return &apierror.Error{Kind: apierror.NotFound, Message: "Workspace " + id + " not found."}
}

// KeyQuery is GET /v1/organizations/api_keys' query.
type KeyQuery struct {
	ListQuery
	Status, WorkspaceID, CreatedByUserID string
}

// keyStatuses are the statuses a key may be filtered by.
var keyStatuses = []string{"active", "archived", "expired", "inactive"}

// ListKeys lists an organization's configured keys in file order, filtered
// by status, workspace and creator as the SDK sends them.
func ListKeys(dir *accounts.Directory, orgID string, q KeyQuery) (List[APIKey], error) {
	if q.Status != "" && !slices.Contains(keyStatuses, q.Status) {
		return List[APIKey]{}, apierror.Invalid("status: Input should be 'active', 'archived', 'expired' or 'inactive'")
	}
	var views []APIKey
	for _, k := range dir.Keys(orgID) {
		v := keyView(orgID, k)
		if (q.Status == "" || v.Status == q.Status) && (q.WorkspaceID == "" || v.Scope.WorkspaceID == q.WorkspaceID) &&
			(q.CreatedByUserID == "" || v.CreatedBy.ID == q.CreatedByUserID) {
			views = append(views, v)
		}
	}
	return page(views, func(k APIKey) string { return k.ID }, q.ListQuery)
}

// GetKey is one key of the organization.
func GetKey(dir *accounts.Directory, orgID, id string) (APIKey, error) {
	for _, k := range dir.Keys(orgID) {
		if k.ID == id {
			return keyView(orgID, k), nil
		}
	}
	return APIKey{}, keyError(id, accounts.ErrNotFound)
}

// keyBody is an update body.
type keyBody struct {
	Name   *string `json:"name"`
	Status *string `json:"status"`
}

// UpdateKey renames a key or changes its status; "inactive" makes the next
// request with it a 401, "active" undoes that.
func UpdateKey(dir *accounts.Directory, orgID, id string, body []byte) (APIKey, error) {
	var b keyBody
	if err := json.Unmarshal(body, &b); err != nil {
		return APIKey{}, apierror.Invalid("The request body is not valid JSON: %v", err)
	}
	switch {
	case b.Name != nil && (len(*b.Name) < 1 || len(*b.Name) > 500):
		return APIKey{}, apierror.Invalid("name: String should have between 1 and 500 characters")
	case b.Status != nil && !slices.Contains([]string{"active", "archived", "inactive"}, *b.Status):
		return APIKey{}, apierror.Invalid("status: Input should be 'active', 'archived' or 'inactive'")
	case b.Status != nil && *b.Status == accounts.KeyArchived:
		return APIKey{}, apierror.Invalid("status: archiving a key is not supported by the mock")
	}
	k, err := dir.UpdateKey(orgID, id, b.Name, b.Status)
	if err != nil {
		return APIKey{}, keyError(id, err)
	}
	return keyView(orgID, k), nil
}

// keyError words a directory refusal about a key.
func keyError(id string, err error) error {
	if errors.Is(err, accounts.ErrArchived) {
		return apierror.Invalid("API key %s is archived and cannot be modified.", id)
	}
	return &apierror.Error{Kind: apierror.NotFound, Message: "API key " + id + " not found."}
}

// WorkspaceRefusal words a directory refusal about a workspace.
func WorkspaceRefusal(id string, err error) error { return workspaceError(id, err) }

// KeyIDs names a key of the organization by the redacted form the journal
// keeps: a configured key's id when one of the organization's keys ends so
// (two that end alike are told apart by file order, the first wins), else
// an id derived from the redacted form, stable for the same key.
func KeyIDs(dir *accounts.Directory, orgID string) func(redacted string) string {
	ids := map[string]string{}
	for _, k := range dir.Keys(orgID) {
		if _, taken := ids[journal.Redact(k.Key)]; !taken {
			ids[journal.Redact(k.Key)] = k.ID
		}
	}
	return func(redacted string) string {
		if id, ok := ids[redacted]; ok {
			return id
		}
		return orgs.DerivedID("apikey_01", "claudemock:api-key-hint:"+orgID+":"+redacted)
	}
}

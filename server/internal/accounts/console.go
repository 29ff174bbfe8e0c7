package accounts

import (
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/orgs"
)

// Epoch is the created_at of every workspace and key an organizations file
// declares: a fixed instant, so the same file always answers the same bytes.
var Epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// ErrNotFound is what the Console operations return for an organization,
// workspace or key that does not exist; the caller words the 404.
var ErrNotFound = errors.New("not found")

// ErrArchived refuses a change to an archived workspace or key.
var ErrArchived = errors.New("archived")

// Key statuses, as the Admin API reports them.
const (
	KeyActive   = "active"
	KeyInactive = "inactive"
	KeyArchived = "archived"
)

// WorkspaceInfo is a workspace as the Console shows it.
type WorkspaceInfo struct {
	ID, Name string
	Created  time.Time
	Archived *time.Time
	Limits   map[string]catalog.Limits
}

// KeyInfo is an API key as the Console shows it; Key is the secret itself,
// for the caller to redact.
type KeyInfo struct {
	ID, Name, Status, Key string
	Workspace             string // "" for the default workspace
	Created               time.Time
}

// consoleState is what the Admin API adds to a configured organization:
// when its workspaces were created and archived.
type consoleState struct {
	created  map[string]time.Time
	archived map[string]time.Time
}

// newKeyRef is a configured key, active, with an id derived from the key
// and a name from its place in the file ("key-1"), as the Console would
// list it.
func newKeyRef(key, org, ws string, order int) *keyRef {
	return &keyRef{org: org, workspace: ws, order: order,
		id:   orgs.DerivedID("apikey_01", "claudemock:api-key:"+key),
		name: "key-" + strconv.Itoa(order+1)}
}

// workspace finds a workspace of the organization by id; nil for "".
func (o *organization) workspace(id string) *orgs.Workspace {
	for i := range o.cfg.Workspaces {
		if id != "" && o.cfg.Workspaces[i].ID == id {
			return &o.cfg.Workspaces[i]
		}
	}
	return nil
}

// info is a workspace as the Console shows it.
func (o *organization) info(ws *orgs.Workspace) WorkspaceInfo {
	out := WorkspaceInfo{ID: ws.ID, Name: ws.Name, Created: Epoch, Limits: maps.Clone(ws.Limits)}
	if t, ok := o.console.created[ws.ID]; ok {
		out.Created = t
	}
	if t, ok := o.console.archived[ws.ID]; ok {
		out.Archived = &t
	}
	if out.Name == "" {
		out.Name = ws.ID
	}
	return out
}

// AdminOrg is the organization an Admin API key belongs to. When no file
// configures admin keys, any key with the admin prefix is one of the
// default organization's, as any API key is a key of it.
func (d *Directory) AdminOrg(key string) (string, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if len(d.admin) == 0 {
		return d.def, strings.HasPrefix(key, orgs.AdminKeyPrefix)
	}
	org, ok := d.admin[key]
	return org, ok
}

// Active reports whether a key may be used: false only for a configured key
// the Admin API made inactive or archived.
func (d *Directory) Active(key string) bool {
	d.mu.RLock()
	defer d.mu.RUnlock()
	ref, ok := d.keys[key]
	return !ok || d.status(ref) == KeyActive
}

// status is a key's status: archived with its workspace.
func (d *Directory) status(ref *keyRef) string {
	if _, ok := d.orgs[ref.org].console.archived[ref.workspace]; ok && ref.workspace != "" {
		return KeyArchived
	}
	if ref.inactive {
		return KeyInactive
	}
	return KeyActive
}

// Name is an organization's name.
func (d *Directory) Name(orgID string) string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if o, ok := d.orgs[orgID]; ok {
		return o.cfg.Name
	}
	return ""
}

// Workspaces lists an organization's workspaces in creation order
// (configured ones first, in file order).
func (d *Directory) Workspaces(orgID string) []WorkspaceInfo {
	d.mu.RLock()
	defer d.mu.RUnlock()
	o, ok := d.orgs[orgID]
	if !ok {
		return nil
	}
	out := make([]WorkspaceInfo, 0, len(o.cfg.Workspaces))
	for i := range o.cfg.Workspaces {
		out = append(out, o.info(&o.cfg.Workspaces[i]))
	}
	return out
}

// Workspace finds one workspace of an organization.
func (d *Directory) Workspace(orgID, id string) (WorkspaceInfo, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if o, ok := d.orgs[orgID]; ok {
		if ws := o.workspace(id); ws != nil {
			return o.info(ws), nil
		}
	}
	return WorkspaceInfo{}, ErrNotFound
}

// CreateWorkspace adds a workspace named name, created at now, with an id
// derived from the organization and how many workspaces it has, so the
// same sequence of calls makes the same ids.
func (d *Directory) CreateWorkspace(orgID, name string, now time.Time) (WorkspaceInfo, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	o, ok := d.orgs[orgID]
	if !ok {
		return WorkspaceInfo{}, ErrNotFound
	}
	seed := "claudemock:workspace:" + orgID + ":" + strconv.Itoa(len(o.cfg.Workspaces))
	id := orgs.DerivedID("wrkspc_01", seed)
	o.cfg.Workspaces = append(slices.Clone(o.cfg.Workspaces), orgs.Workspace{ID: id, Name: name})
	if o.console.created == nil {
		o.console.created = map[string]time.Time{}
	}
	o.console.created[id] = now
	return o.info(o.workspace(id)), nil
}

// changeWorkspace applies change to a workspace that is not archived and
// returns the result. The organization's workspaces are copied first, so an
// Account resolved earlier keeps its snapshot.
func (d *Directory) changeWorkspace(orgID, id string, change func(o *organization, ws *orgs.Workspace)) (WorkspaceInfo, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	o, ok := d.orgs[orgID]
	if !ok || o.workspace(id) == nil {
		return WorkspaceInfo{}, ErrNotFound
	}
	if _, gone := o.console.archived[id]; gone {
		return o.info(o.workspace(id)), ErrArchived
	}
	o.cfg.Workspaces = slices.Clone(o.cfg.Workspaces)
	ws := o.workspace(id)
	change(o, ws)
	return o.info(ws), nil
}

// RenameWorkspace changes a workspace's name.
func (d *Directory) RenameWorkspace(orgID, id, name string) (WorkspaceInfo, error) {
	return d.changeWorkspace(orgID, id, func(_ *organization, ws *orgs.Workspace) { ws.Name = name })
}

// ArchiveWorkspace archives a workspace at now; its keys are archived with
// it and stop authenticating.
func (d *Directory) ArchiveWorkspace(orgID, id string, now time.Time) (WorkspaceInfo, error) {
	return d.changeWorkspace(orgID, id, func(o *organization, _ *orgs.Workspace) {
		if o.console.archived == nil {
			o.console.archived = map[string]time.Time{}
		}
		o.console.archived[id] = now
	})
}

// SetWorkspaceLimits replaces a workspace's limits for one family (or
// catalog.DefaultFamily); zero limits remove the entry. The next request
// of the workspace's keys resolves to them.
func (d *Directory) SetWorkspaceLimits(orgID, id, family string, l catalog.Limits) (WorkspaceInfo, error) {
	return d.changeWorkspace(orgID, id, func(_ *organization, ws *orgs.Workspace) {
		ws.Limits = maps.Clone(ws.Limits)
		if ws.Limits == nil {
			ws.Limits = map[string]catalog.Limits{}
		}
		if l == (catalog.Limits{}) {
			delete(ws.Limits, family)
		} else {
			ws.Limits[family] = l
		}
	})
}

// Keys lists an organization's configured API keys in file order.
func (d *Directory) Keys(orgID string) []KeyInfo {
	d.mu.RLock()
	defer d.mu.RUnlock()
	var out []KeyInfo
	for key, ref := range d.keys {
		if ref.org == orgID {
			out = append(out, d.keyInfo(key, ref))
		}
	}
	slices.SortFunc(out, func(a, b KeyInfo) int { return d.keys[a.Key].order - d.keys[b.Key].order })
	return out
}

// keyInfo is a key as the Console shows it.
func (d *Directory) keyInfo(key string, ref *keyRef) KeyInfo {
	return KeyInfo{ID: ref.id, Name: ref.name, Status: d.status(ref), Key: key, Workspace: ref.workspace, Created: Epoch}
}

// UpdateKey renames a key (name != nil) and sets its status (active or
// inactive; status != nil). An archived key cannot change.
func (d *Directory) UpdateKey(orgID, id string, name, status *string) (KeyInfo, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for key, ref := range d.keys {
		if ref.org != orgID || ref.id != id {
			continue
		}
		if d.status(ref) == KeyArchived {
			return d.keyInfo(key, ref), ErrArchived
		}
		if name != nil {
			ref.name = *name
		}
		if status != nil {
			ref.inactive = *status == KeyInactive
		}
		return d.keyInfo(key, ref), nil
	}
	return KeyInfo{}, ErrNotFound
}

// OrgAccount is an organization's account outside any workspace: its tier
// and own limits, for the Admin API to show what the limiter enforces.
func (d *Directory) OrgAccount(orgID string) (Account, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	o, ok := d.orgs[orgID]
	if !ok {
		return Account{}, false
	}
	return Account{OrgID: orgID, Tier: o.tier, Org: o.cfg, IsDefault: orgID == d.def}, true
}

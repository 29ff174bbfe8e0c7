package server

import (
	"io"
	"os"
	"time"

	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/config"
	"github.com/claudemock/claudemock/server/internal/control"
	"github.com/claudemock/claudemock/server/internal/limits"
	"github.com/claudemock/claudemock/server/internal/quota"
	"github.com/claudemock/claudemock/server/internal/run"
	"github.com/claudemock/claudemock/server/internal/yamlfile"
)

// State is everything the control API shows: the clock, the
// organizations and every bucket's level.
type State struct {
	Now           time.Time           `json:"now"`
	Clock         string              `json:"clock"`
	Organizations []OrganizationState `json:"organizations"`
	Buckets       []BucketState       `json:"buckets"`
}

// OrganizationState is one organization as State (and the control API)
// shows it: its tier, workspaces, spend this month and credits.
type OrganizationState struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Tier       string   `json:"tier"`
	Default    bool     `json:"default"`
	Workspaces []string `json:"workspaces"`
	// Spend and credits, in USD, for the month of the state's time.
	SpentThisMonth float64 `json:"spent_this_month"`
	CreditsEnabled bool    `json:"credits_enabled"`
	Balance        float64 `json:"balance"`
	Purchased      float64 `json:"purchased"`
	// SpendCap is the most it may spend this month: the lower of its
	// tier's monthly_spend_limit and its own spend limit; nil when it has
	// neither.
	SpendCap *float64 `json:"spend_cap"`

	// DefaultWorkspaceID is what anthropic-workspace-id says for the keys
	// of the organization's default workspace.
	DefaultWorkspaceID string `json:"default_workspace_id"`
}

// BucketState is one token bucket: what it limits, its per-window limit,
// its capacity (the burst), its level now and when it will be full again.
type BucketState struct {
	Scope     string    `json:"scope"`
	Family    string    `json:"family"`
	Dimension string    `json:"dimension"`
	Limit     float64   `json:"limit"`
	Capacity  float64   `json:"capacity"`
	Level     float64   `json:"level"`
	FullAt    time.Time `json:"full_at"`
}

// Now is the server's virtual time.
func (s *Server) Now() time.Time { return s.clock.Now() }

// Advance moves virtual time forward by d (refused when negative).
func (s *Server) Advance(d time.Duration) (time.Time, error) { return s.clock.Advance(d) }

// SetTime moves virtual time to t, forwards or backwards.
func (s *Server) SetTime(t time.Time) { s.clock.Set(t) }

// Reset refills every bucket and empties the prompt cache, of every test
// (ResetTest one test's).
func (s *Server) Reset() {
	for _, ns := range s.play.Load().All() {
		ns.Reset()
	}
}

// DefaultOrganization is the id of the organization unconfigured keys use.
func (s *Server) DefaultOrganization() string { return s.accounts.DefaultID() }

// SetTier moves an organization to the named tier of the catalogue.
func (s *Server) SetTier(orgID, tierName string) error {
	ch, err := s.orgs().Tier(tierName)
	return s.apply(orgID, ch, err)
}

// SetOrganizations replaces the configured organizations with those of an
// organizations file (YAML), as --orgs would have loaded them, granting
// the credits they declare. Keys of the old organizations fall back to the
// default one.
func (s *Server) SetOrganizations(file string, data []byte) error {
	configured, err := config.Organizations(s.catalog, file, data)
	if err != nil {
		return err
	}
	s.accounts.Replace(s.catalog, configured)
	s.grantCredits(configured)
	return nil
}

// SetLimits gives an organization limits of its own over its tier's:
// family (or "default") → dimension (e.g. "requests_per_minute") → limit.
func (s *Server) SetLimits(orgID string, limits map[string]map[string]int) error {
	ch, err := s.orgs().Limits(limits)
	return s.apply(orgID, ch, err)
}

// orgs is what the control API's changes to organizations reach.
func (s *Server) orgs() control.Orgs {
	return control.Orgs{Catalog: s.catalog, Accounts: s.accounts, Book: s.book}
}

// apply applies a change to an organization unless checking it failed
// (err), refusing as the *APIError the public methods have always
// returned.
func (s *Server) apply(orgID string, ch control.Change, err error) error {
	if err == nil {
		err = s.orgs().Apply(orgID, ch)
	}
	if err != nil {
		return asAPIError(err)
	}
	return nil
}

// State reports the clock, the organizations and every bucket of the
// requests that name no test (StateFor one test's buckets).
func (s *Server) State() State { return s.StateFor("") }

// stateOf reports the clock, the organizations, shared by every test, and
// the buckets of ns.
func (s *Server) stateOf(ns *run.Namespace) State {
	now := s.clock.Now()
	out := State{Now: now, Clock: s.clock.Mode().String(), Organizations: s.organizationStates(now), Buckets: []BucketState{}}
	for _, st := range ns.Limiter.Snapshot(now) {
		out.Buckets = append(out.Buckets, bucketState(st))
	}
	return out
}

// organizationStates lists the directory's organizations with their
// spend and credits for the month of now.
func (s *Server) organizationStates(now time.Time) []OrganizationState {
	s.settleAllBatches(now)
	spend := map[string]billing.OrgSnapshot{}
	for _, o := range s.book.Snapshot(now).Orgs {
		spend[o.Org] = o
	}
	list := s.accounts.List()
	out := make([]OrganizationState, 0, len(list))
	for _, o := range list {
		b := spend[o.ID]
		var capUSD *float64
		if limit, ok := s.spendCap(o.ID); ok {
			capUSD = &limit
		}
		out = append(out, OrganizationState{
			ID: o.ID, Name: o.Name, Tier: o.Tier, Default: o.Default, Workspaces: o.Workspaces,
			SpentThisMonth: b.Spent.USD(), CreditsEnabled: b.CreditsEnabled,
			Balance: b.Balance.USD(), Purchased: b.Purchased.USD(), SpendCap: capUSD,
			DefaultWorkspaceID: o.DefaultWorkspaceID,
		})
	}
	return out
}

func bucketState(st quota.State) BucketState {
	return BucketState{
		Scope: st.Key.Scope, Family: st.Key.Family, Dimension: st.Key.Dimension,
		Limit: limits.LimitOf(st), Capacity: st.Limit.Capacity, Level: st.Level, FullAt: st.FullAt,
	}
}

// MaxYAMLBytes bounds every YAML file the mock takes (tiers, organizations,
// scenarios), whether read from disk (ReadYAML) or sent to the control API
// (413 above it): ready scenarios are a few KiB, and decoding a file of tens
// of MiB would cost the server gigabytes.
const MaxYAMLBytes = yamlfile.MaxBytes

// ReadYAML reads a YAML file for the mock, refusing one over MaxYAMLBytes
// by its size before reading it.
func ReadYAML(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil {
		if err := yamlfile.CheckSize(path, info.Size()); err != nil {
			return nil, err
		}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxYAMLBytes+1))
	if err == nil {
		err = yamlfile.CheckSize(path, int64(len(data)))
	}
	return data, err
}

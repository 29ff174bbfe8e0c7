package server

import (
	"time"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/admin"
	"github.com/claudemock/claudemock/server/internal/batch"
	"github.com/claudemock/claudemock/server/internal/journal"
)

// adminRoutes adds the Admin API (/v1/organizations/...), answered only for
// admin keys (authenticateAdmin). Its requests are not journaled: the
// journal is the record of API traffic a client's tests judge, and the
// usage report reads it. The ?beta=true paths are the same routes, since
// the query never takes part in routing.
func (s *Server) adminRoutes(e *echo.Echo) {
	get := func(path string, h echo.HandlerFunc) { e.GET("/v1/organizations"+path, s.authenticateAdmin(h)) }
	post := func(path string, h echo.HandlerFunc) { e.POST("/v1/organizations"+path, s.authenticateAdmin(h)) }
	get("/me", s.adminMe)
	get("/rate_limits", s.orgRateLimits)
	get("/workspaces/:workspace_id/rate_limits", s.workspaceRateLimits)
	post("/workspaces/:workspace_id/rate_limits/:rate_limit_id", s.setWorkspaceRateLimit)
	get("/workspaces", s.listWorkspaces)
	post("/workspaces", s.createWorkspace)
	get("/workspaces/:workspace_id", s.getWorkspace)
	post("/workspaces/:workspace_id", s.updateWorkspace)
	post("/workspaces/:workspace_id/archive", s.archiveWorkspace)
	get("/api_keys", s.listKeys)
	get("/api_keys/:api_key_id", s.getKey)
	post("/api_keys/:api_key_id", s.updateKey)
	get("/usage_report/messages", s.usageReport)
	get("/cost_report", s.costReport)
}

// answer writes v, or renders err.
func answer(c echo.Context, v any, err error) error {
	if err != nil {
		return err
	}
	return writeJSON(c, 200, v)
}

func adminOrg(c echo.Context) string { return state(c).adminOrg }

func (s *Server) adminMe(c echo.Context) error {
	return answer(c, admin.Me(s.accounts, adminOrg(c)), nil)
}

// rateLimitQuery reads the Rate Limits API's query.
func rateLimitQuery(c echo.Context) admin.RateLimitQuery {
	return admin.RateLimitQuery{Model: c.QueryParam("model"), GroupType: c.QueryParam("group_type"),
		Limit: c.QueryParam("limit"), Page: c.QueryParam("page"), IncludeInherited: c.QueryParam("include_inherited")}
}

func (s *Server) orgRateLimits(c echo.Context) error {
	acct, _ := s.accounts.OrgAccount(adminOrg(c))
	page, err := admin.OrgRateLimits(s.catalog, acct, rateLimitQuery(c))
	return answer(c, page, err)
}

// workspaceOf is the account of the admin key's organization and one of
// its workspaces, or the workspace's 404.
func (s *Server) workspaceOf(c echo.Context) (accounts.Account, accounts.WorkspaceInfo, error) {
	acct, _ := s.accounts.OrgAccount(adminOrg(c))
	if _, err := admin.GetWorkspace(s.accounts, acct.OrgID, c.Param("workspace_id")); err != nil {
		return acct, accounts.WorkspaceInfo{}, err
	}
	ws, err := s.accounts.Workspace(acct.OrgID, c.Param("workspace_id"))
	if err != nil {
		return acct, accounts.WorkspaceInfo{ID: c.Param("workspace_id")}, nil // the default workspace
	}
	return acct, ws, nil
}

func (s *Server) workspaceRateLimits(c echo.Context) error {
	acct, ws, err := s.workspaceOf(c)
	if err != nil {
		return err
	}
	page, err := admin.WorkspaceRateLimits(s.catalog, acct, ws, rateLimitQuery(c))
	return answer(c, page, err)
}

// setWorkspaceRateLimit stores a workspace's new limits for a family in
// the directory, where the next request of its keys finds them.
func (s *Server) setWorkspaceRateLimit(c echo.Context) error {
	acct, ws, err := s.workspaceOf(c)
	if err != nil {
		return err
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	o, err := admin.ParseOverride(s.catalog, acct, ws, c.Param("rate_limit_id"), body)
	if err != nil {
		return err
	}
	if ws, err = s.accounts.SetWorkspaceLimits(acct.OrgID, ws.ID, o.Family, o.Limits); err != nil {
		return admin.WorkspaceRefusal(ws.ID, err)
	}
	return answer(c, admin.WorkspaceEntry(s.catalog, acct, ws, o.Family), nil)
}

func (s *Server) listWorkspaces(c echo.Context) error {
	q := admin.WorkspaceQuery{ListQuery: listQuery(c),
		IncludeArchived: c.QueryParam("include_archived"), IncludeDefault: c.QueryParam("include_default")}
	list, err := admin.ListWorkspaces(s.accounts, adminOrg(c), q)
	return answer(c, list, err)
}

// listQuery reads the cursor-paging parameters.
func listQuery(c echo.Context) admin.ListQuery {
	return admin.ListQuery{Limit: c.QueryParam("limit"), AfterID: c.QueryParam("after_id"), BeforeID: c.QueryParam("before_id")}
}

func (s *Server) createWorkspace(c echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	ws, err := admin.CreateWorkspace(s.accounts, adminOrg(c), body, state(c).now)
	return answer(c, ws, err)
}

func (s *Server) getWorkspace(c echo.Context) error {
	ws, err := admin.GetWorkspace(s.accounts, adminOrg(c), c.Param("workspace_id"))
	return answer(c, ws, err)
}

func (s *Server) updateWorkspace(c echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	ws, err := admin.UpdateWorkspace(s.accounts, adminOrg(c), c.Param("workspace_id"), body)
	return answer(c, ws, err)
}

func (s *Server) archiveWorkspace(c echo.Context) error {
	ws, err := admin.ArchiveWorkspace(s.accounts, adminOrg(c), c.Param("workspace_id"), state(c).now)
	return answer(c, ws, err)
}

func (s *Server) listKeys(c echo.Context) error {
	q := admin.KeyQuery{ListQuery: listQuery(c), Status: c.QueryParam("status"),
		WorkspaceID: c.QueryParam("workspace_id"), CreatedByUserID: c.QueryParam("created_by_user_id")}
	list, err := admin.ListKeys(s.accounts, adminOrg(c), q)
	return answer(c, list, err)
}

func (s *Server) getKey(c echo.Context) error {
	k, err := admin.GetKey(s.accounts, adminOrg(c), c.Param("api_key_id"))
	return answer(c, k, err)
}

func (s *Server) updateKey(c echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	k, err := admin.UpdateKey(s.accounts, adminOrg(c), c.Param("api_key_id"), body)
	return answer(c, k, err)
}

// reportQuery reads what both reports share.
func reportQuery(c echo.Context) admin.ReportQuery {
	return admin.ReportQuery{StartingAt: c.QueryParam("starting_at"), EndingAt: c.QueryParam("ending_at"),
		BucketWidth: c.QueryParam("bucket_width"), Limit: c.QueryParam("limit"), Page: c.QueryParam("page")}
}

// records are the admin key's organization's served Messages requests in
// every test's journal: an organization's report covers all its traffic,
// whichever test sent it.
func (s *Server) records(orgID string, now time.Time) []admin.Record {
	s.settleAllBatches(now) // the ended batches the reports show are booked
	var entries []journal.Entry
	var served []batch.Served
	for _, ns := range s.play.Load().All() {
		entries = append(entries, ns.Journal.Entries()...)
		served = append(served, ns.Batches.Served(orgID, now)...)
	}
	keyID := admin.KeyIDs(s.accounts, orgID)
	return append(admin.Records(entries, orgID, s.catalog, keyID), admin.BatchRecords(served, s.catalog, keyID)...)
}

func (s *Server) usageReport(c echo.Context) error {
	q := admin.UsageQuery{ReportQuery: reportQuery(c), GroupBy: c.QueryParams()["group_by[]"], Filters: c.QueryParams()}
	report, err := admin.UsageReport(s.records(adminOrg(c), state(c).now), q, state(c).now)
	return answer(c, report, err)
}

func (s *Server) costReport(c echo.Context) error {
	q := admin.CostQuery{ReportQuery: reportQuery(c), GroupBy: c.QueryParams()["group_by[]"]}
	report, err := admin.CostReport(s.records(adminOrg(c), state(c).now), q, state(c).now)
	return answer(c, report, err)
}

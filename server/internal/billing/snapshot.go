package billing

import (
	"cmp"
	"slices"
	"time"
)

// Snapshot is the billing state at one instant for the control API: every
// organization with spend this month or a credit account, sorted by name.
type Snapshot struct {
	// Month is the UTC month of the snapshot, "2026-01".
	Month string
	Orgs  []OrgSnapshot
}

// OrgSnapshot is one organization's month-to-date spend and credits, with
// its workspaces' spend sorted by name.
type OrgSnapshot struct {
	Org                string
	Spent              Money
	CreditsEnabled     bool
	Balance, Purchased Money
	Workspaces         []WorkspaceSnapshot
}

// WorkspaceSnapshot is one workspace's month-to-date spend.
type WorkspaceSnapshot struct {
	Workspace string
	Spent     Money
}

// Snapshot copies the state as of the month of now. It holds the book's lock
// throughout, so spend and balances are from the same moment.
func (b *Book) Snapshot(now time.Time) Snapshot {
	b.mu.Lock()
	defer b.mu.Unlock()
	spent, wss := b.ledger.monthSpend(now)
	for org := range b.credits {
		if _, ok := spent[org]; !ok {
			spent[org] = 0
		}
	}
	s := Snapshot{Month: MonthKey(now)}
	for org, amount := range spent {
		o := OrgSnapshot{Org: org, Spent: amount}
		if c := b.credits[org]; c != nil {
			o.CreditsEnabled, o.Balance, o.Purchased = c.enabled, c.balance, c.purchased
		}
		for ws, v := range wss[org] {
			o.Workspaces = append(o.Workspaces, WorkspaceSnapshot{Workspace: ws, Spent: v})
		}
		slices.SortFunc(o.Workspaces, func(a, b WorkspaceSnapshot) int { return cmp.Compare(a.Workspace, b.Workspace) })
		s.Orgs = append(s.Orgs, o)
	}
	slices.SortFunc(s.Orgs, func(a, b OrgSnapshot) int { return cmp.Compare(a.Org, b.Org) })
	return s
}

package billing

import (
	"errors"
	"sync"
	"time"
)

// month is a calendar month in UTC, the period every cap and limit resets on.
// It is a comparable struct rather than a "2026-01" string so charging does
// not allocate a key.
type month struct {
	year int
	mon  time.Month
}

// monthOf is the UTC calendar month containing now: a cap is per month in UTC
// whatever zone the caller's time carries.
func monthOf(now time.Time) month {
	y, m, _ := now.UTC().Date()
	return month{y, m}
}

// MonthKey names the UTC calendar month containing now as "2026-01", the
// form the control API reports spend periods in.
func MonthKey(now time.Time) string {
	return now.UTC().Format("2006-01")
}

// NextMonth is the first instant (00:00 UTC on the 1st) of the month after
// the one containing now: when a cap reached this month lifts.
func NextMonth(now time.Time) time.Time {
	m := monthOf(now)
	return time.Date(m.year, m.mon+1, 1, 0, 0, 0, 0, time.UTC)
}

type orgKey struct {
	org   string
	month month
}

type wsKey struct {
	org, workspace string
	month          month
}

// Ledger is month-to-date spend per organization and per workspace. It is
// safe for concurrent use. Workspaces are keyed within their organization, and
// the empty workspace name means "no workspace": such spend counts only
// toward the organization. Past months are kept, so a snapshot of any month
// can still be taken.
type Ledger struct {
	mu  sync.Mutex
	org map[orgKey]Money
	ws  map[wsKey]Money
}

// NewLedger returns an empty ledger.
func NewLedger() *Ledger {
	return &Ledger{org: make(map[orgKey]Money), ws: make(map[wsKey]Money)}
}

// ErrNegative is returned for a negative charge: spend only grows, refunds
// are not part of the API being mocked.
var ErrNegative = errors.New("billing: negative charge")

// Charge adds amount to the spend of org and of its workspace in the month of
// now.
func (l *Ledger) Charge(org, workspace string, amount Money, now time.Time) error {
	if amount < 0 {
		return ErrNegative
	}
	m := monthOf(now)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.org[orgKey{org, m}] += amount
	if workspace != "" {
		l.ws[wsKey{org, workspace, m}] += amount
	}
	return nil
}

// Spent is the month-to-date spend, in the month of now, of org and of its
// workspace (zero for the empty workspace).
func (l *Ledger) Spent(org, workspace string, now time.Time) (orgMonth, wsMonth Money) {
	m := monthOf(now)
	l.mu.Lock()
	defer l.mu.Unlock()
	orgMonth = l.org[orgKey{org, m}]
	if workspace != "" {
		wsMonth = l.ws[wsKey{org, workspace, m}]
	}
	return orgMonth, wsMonth
}

// monthSpend copies the spend of the month of now, per organization and per
// organization's workspace, for Book.Snapshot.
func (l *Ledger) monthSpend(now time.Time) (map[string]Money, map[string]map[string]Money) {
	m := monthOf(now)
	orgs, wss := make(map[string]Money), make(map[string]map[string]Money)
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, v := range l.org {
		if k.month == m {
			orgs[k.org] = v
		}
	}
	for k, v := range l.ws {
		if k.month == m {
			if wss[k.org] == nil {
				wss[k.org] = make(map[string]Money)
			}
			wss[k.org][k.workspace] = v
		}
	}
	return orgs, wss
}

// Reset forgets all spend, as loading a scenario starts a new run.
func (l *Ledger) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.org, l.ws = make(map[orgKey]Money), make(map[wsKey]Money)
}

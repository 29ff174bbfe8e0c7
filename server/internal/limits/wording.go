package limits

import (
	"fmt"
	"math"
	"strconv"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/quota"
)

// Message words a refusal by the bucket with the given key as the real
// API does (2026 format), naming the limit, the organization (and the
// workspace, when the bucket is the workspace's) and the model. A request
// that can never be admitted gets the same words: the real API adds
// nothing that is known, and the headers tell a client that waiting will
// not help.
func Message(acct accounts.Account, key quota.Key, limit float64, model string) string {
	unit := key.Dimension
	if d, ok := Lookup(key.Dimension); ok {
		unit = d.Unit
	}
	whose := "your organization's"
	ids := "org: " + acct.OrgID
	if key.Scope != acct.OrgScope() {
		whose, ids = "your workspace's", ids+", workspace: "+acct.WorkspaceID
	}
	if model != "" {
		ids += ", model: " + model
	}
	return fmt.Sprintf("This request would exceed %s rate limit of %s %s (%s). "+
		"For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. "+
		"Please reduce the prompt length or the maximum tokens requested, or try again later. "+
		"You may also contact sales at https://claude.com/contact-sales to discuss your options for a rate limit increase.",
		whose, thousands(int64(math.Round(limit))), unit, ids)
}

// Refusal is the wording of a refused admission: Message for the bucket
// the refusal binds on; "" for an admitted request.
func (a *Admission) Refusal() string { return a.refusal }

// refusal words a refused admission of r.
func refusal(a *Admission, r Request) string {
	limit := 0.0
	for _, st := range a.States() {
		if st.Key == a.Binding {
			limit = LimitOf(st)
		}
	}
	return Message(r.Account, a.Binding, limit, r.Model)
}

// AccelerationMessage is the 429 wording of an acceleration_limit fault.
// No wording for it is published, so it says what happened in the real
// API's style.
func AccelerationMessage(orgID, model string) string {
	return "This request would exceed your organization's acceleration limit (org: " + orgID +
		", model: " + model + "): usage is rising faster than allowed. Please ramp up your traffic gradually and maintain consistent usage patterns."
}

// thousands writes n with comma separators, as the real messages do.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

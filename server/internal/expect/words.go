package expect

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/claudemock/claudemock/server/internal/journal"
)

// count writes n with its noun in the right number ("1 retry",
// "3 retries"), because summaries are read by people.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}

// itoa is strconv.Itoa, short for the many places a number is written.
func itoa(n int) string { return strconv.Itoa(n) }

// secs writes virtual seconds rounded to the millisecond ("1.2s", "0s"),
// so that float noise never reaches a report.
func secs(s float64) string {
	r := math.Round(s*1000) / 1000
	if r == 0 {
		r = 0 // no "-0s"
	}
	return strconv.FormatFloat(r, 'f', -1, 64) + "s"
}

// dur writes a duration as secs does.
func dur(d time.Duration) string { return secs(d.Seconds()) }

// seqList writes the sequence numbers of entries ("4, 5, 6").
func seqList(es []*journal.Entry) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = itoa(e.Seq)
	}
	return strings.Join(parts, ", ")
}

// seqs lists the sequence numbers of entries, for Violation.Requests.
func seqs(es []*journal.Entry) []int {
	out := make([]int, len(es))
	for i, e := range es {
		out[i] = e.Seq
	}
	return out
}

// label names an answer as a reader knows it: "500", "400
// (invalid_request_error)", "429 (enforced_spend_limit_reached)" or, for
// a 200 that did not reach its end, "cut stream (disconnected)" or "cut
// stream (error_event overloaded_error)".
func label(e *journal.Entry) string {
	if e.Truncated() && e.Delivery == journal.ErrorEvent && e.ErrorType != "" {
		return "cut stream (error_event " + e.ErrorType + ")"
	}
	if e.Truncated() {
		return "cut stream (" + e.Delivery + ")"
	}
	if code(e) == "" {
		return itoa(e.Status)
	}
	return itoa(e.Status) + " (" + code(e) + ")"
}

// code is the most specific name an error answer carried: its error code
// ("enforced_spend_limit_reached") or else its error type.
func code(e *journal.Entry) string {
	if e.ErrorCode != "" {
		return e.ErrorCode
	}
	return e.ErrorType
}

// where says whose request e was, in parentheses: the extra words first
// (a rate limit's dimension, a logical request), then its organization
// and model family, so that a reader can find the traffic involved.
func where(e *journal.Entry, extra ...string) string {
	parts := append([]string{}, extra...)
	if e.Organization != "" {
		parts = append(parts, "org "+e.Organization)
	}
	if e.Family != "" {
		parts = append(parts, "family "+e.Family)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// logical names e's logical request, as an extra for where.
func logical(e *journal.Entry) string { return "logical request " + itoa(e.Logical) }

// seconds converts the journal's float seconds to a duration.
func seconds(s float64) time.Duration {
	return time.Duration(math.Round(s * float64(time.Second)))
}

// commonWhere is where for a group of entries: their organization and
// family when they share them, else nothing (a list would not be read).
func commonWhere(es []*journal.Entry) string {
	for _, e := range es[1:] {
		if e.Organization != es[0].Organization || e.Family != es[0].Family {
			return ""
		}
	}
	return where(es[0])
}

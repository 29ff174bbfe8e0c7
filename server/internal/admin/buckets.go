package admin

import (
	"encoding/base64"
	"slices"
	"strings"
	"time"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/paging"
)

// width is a bucket width the reports accept, with its default and most
// buckets per page.
type width struct {
	name      string
	d         time.Duration
	def, most int
}

// widths are the real API's: a day (7 by default, up to 31), an hour (24,
// up to 168), a minute (60, up to 1440).
var widths = []width{{"1d", 24 * time.Hour, 7, 31}, {"1h", time.Hour, 24, 168}, {"1m", time.Minute, 60, 1440}}

// ReportQuery is what the two reports share: the window, the width, the
// page and its size, as the query string gives them.
type ReportQuery struct {
	StartingAt, EndingAt, BucketWidth, Limit, Page string
}

// span is a report's validated window: bucket starts from first while
// before end, limit per page.
type span struct {
	first, end time.Time
	w          width
	limit      int
}

// parseSpan validates the window. Buckets start on the width's boundary in
// UTC at or before starting_at; without ending_at they run to now. A page
// cursor is the start of the page's first bucket.
func parseSpan(q ReportQuery, allowed []string, now time.Time) (span, error) {
	var sp span
	name := q.BucketWidth
	if name == "" {
		name = "1d"
	}
	i := indexWidth(name, allowed)
	if i < 0 {
		return sp, apierror.Invalid("bucket_width: Input should be %s", quoteList(allowed))
	}
	sp.w = widths[i]
	start, err := instant("starting_at", q.StartingAt, true)
	if err != nil {
		return sp, err
	}
	sp.first, sp.end = start.Truncate(sp.w.d), now
	if q.EndingAt != "" {
		if sp.end, err = instant("ending_at", q.EndingAt, false); err != nil {
			return sp, err
		}
	}
	switch {
	case !sp.end.After(start) && q.EndingAt == "":
		return sp, apierror.Invalid("starting_at: must be in the past")
	case !sp.end.After(start):
		return sp, apierror.Invalid("ending_at: must be after starting_at")
	}
	if sp.limit, err = paging.Limit(q.Limit, sp.w.def, sp.w.most); err != nil {
		return sp, err
	}
	if q.Page != "" {
		return sp, sp.resume(q.Page)
	}
	return sp, nil
}

// resume moves the first bucket to a page cursor's.
func (sp *span) resume(cursor string) error {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(cursor, "page_"))
	at, perr := time.Parse(time.RFC3339, string(raw))
	if !strings.HasPrefix(cursor, "page_") || err != nil || perr != nil || at.Before(sp.first) {
		return apierror.Invalid("page: invalid page token")
	}
	sp.first = at.UTC()
	return nil
}

// cursor is the page token of a bucket start, as the real API writes it:
// "page_" and the base64 of the RFC 3339 instant.
func cursor(at time.Time) string {
	return "page_" + base64.StdEncoding.EncodeToString([]byte(at.UTC().Format(time.RFC3339)))
}

// starts lists this page's bucket starts, and the next page's cursor when
// buckets remain before the end.
func (sp span) starts() ([]time.Time, *string) {
	var out []time.Time
	at := sp.first
	for ; at.Before(sp.end) && len(out) < sp.limit; at = at.Add(sp.w.d) {
		out = append(out, at)
	}
	if at.Before(sp.end) {
		next := cursor(at)
		return out, &next
	}
	return out, nil
}

func indexWidth(name string, allowed []string) int {
	for i, w := range widths {
		if w.name == name && slices.Contains(allowed, name) {
			return i
		}
	}
	return -1
}

// instant reads an RFC 3339 timestamp parameter.
func instant(name, raw string, required bool) (time.Time, error) {
	if raw == "" && required {
		return time.Time{}, apierror.Invalid("%s: Field required", name)
	}
	t, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		return time.Time{}, apierror.Invalid("%s: Input should be a valid datetime", name)
	}
	return t.UTC(), nil
}

// quoteList words allowed values as pydantic does: 'a', 'b' or 'c'.
func quoteList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "'" + v + "'"
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

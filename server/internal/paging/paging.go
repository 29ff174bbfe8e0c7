// Package paging is the cursor paging every newest-first list of the API
// shares (models, files, message batches, the Admin API's workspaces and
// keys): a page size in the real API's (pydantic's) wording, and the
// window of the list that after_id or before_id names. Each list keeps
// only what is its own: its items and the noun an unknown cursor is
// refused with. It knows nothing of HTTP; its refusals are apierror's.
package paging

import (
	"strconv"

	"github.com/claudemock/claudemock/server/internal/apierror"
)

// Limit reads a page size between 1 and most, def when raw is empty.
func Limit(raw string, def, most int) (int, error) {
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	switch {
	case err != nil:
		return 0, apierror.Invalid("limit: Input should be a valid integer, unable to parse string as an integer")
	case n < 1:
		return 0, apierror.Invalid("limit: Input should be greater than or equal to 1")
	case n > most:
		return 0, apierror.Invalid("limit: Input should be less than or equal to %d", most)
	}
	return n, nil
}

// Window picks the page [lo, hi) of a list of n items for the cursors and
// says whether more lie beyond it in the direction of travel: after_id
// pages towards the end, before_id towards the start. index finds an
// item's position by id, -1 for none; an unknown cursor is refused naming
// noun ("no file with id …"). Both cursors at once are refused.
func Window(n int, index func(id string) int, after, before string, limit int, noun string) (lo, hi int, more bool, err error) {
	switch {
	case after != "" && before != "":
		return 0, 0, false, apierror.Invalid("after_id and before_id cannot both be set")
	case before != "":
		at := index(before)
		if at < 0 {
			return 0, 0, false, apierror.Invalid("before_id: no %s with id %s", noun, before)
		}
		lo = max(0, at-limit)
		return lo, at, lo > 0, nil
	case after != "":
		at := index(after)
		if at < 0 {
			return 0, 0, false, apierror.Invalid("after_id: no %s with id %s", noun, after)
		}
		lo = at + 1
	}
	hi = min(n, lo+limit)
	return lo, hi, hi < n, nil
}

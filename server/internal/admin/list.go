package admin

import (
	"strconv"

	"github.com/claudemock/claudemock/server/internal/apierror"
)

// ListQuery is a cursor-paged list request as the query string gives it.
type ListQuery struct {
	// Limit is the page size as sent, "" for the default of 20.
	Limit             string
	AfterID, BeforeID string
}

// List is the envelope of the Admin API's cursor-paged lists, which the
// SDKs' auto-pagers follow by last_id (or first_id backwards).
type List[T any] struct {
	Data    []T     `json:"data"`
	HasMore bool    `json:"has_more"`
	FirstID *string `json:"first_id"`
	LastID  *string `json:"last_id"`
}

// page cuts the page q asks for out of items (already in list order); id
// names an item for the cursors.
func page[T any](items []T, id func(T) string, q ListQuery) (List[T], error) {
	limit, err := pageLimit(q.Limit, 20, 1000)
	if err != nil {
		return List[T]{}, err
	}
	lo, hi, more, err := window(items, id, q, limit)
	if err != nil {
		return List[T]{}, err
	}
	out := List[T]{Data: append(make([]T, 0, hi-lo), items[lo:hi]...), HasMore: more}
	if hi > lo {
		first, last := id(items[lo]), id(items[hi-1])
		out.FirstID, out.LastID = &first, &last
	}
	return out, nil
}

// pageLimit reads a limit between 1 and most, def when absent, in the
// real API's (pydantic's) wording.
func pageLimit(raw string, def, most int) (int, error) {
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

// window picks the page [lo, hi) for the cursors and says whether more
// lie beyond it in the direction of travel.
func window[T any](items []T, id func(T) string, q ListQuery, limit int) (lo, hi int, more bool, err error) {
	at := func(cursor string) int {
		for i, it := range items {
			if id(it) == cursor {
				return i
			}
		}
		return -1
	}
	switch {
	case q.AfterID != "" && q.BeforeID != "":
		return 0, 0, false, apierror.Invalid("after_id and before_id cannot both be set")
	case q.BeforeID != "":
		i := at(q.BeforeID)
		if i < 0 {
			return 0, 0, false, apierror.Invalid("before_id: no item with id %s", q.BeforeID)
		}
		lo = max(0, i-limit)
		return lo, i, lo > 0, nil
	case q.AfterID != "":
		i := at(q.AfterID)
		if i < 0 {
			return 0, 0, false, apierror.Invalid("after_id: no item with id %s", q.AfterID)
		}
		lo = i + 1
	}
	hi = min(len(items), lo+limit)
	return lo, hi, hi < len(items), nil
}

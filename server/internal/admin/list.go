package admin

import (
	"slices"

	"github.com/claudemock/claudemock/server/internal/paging"
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
	limit, err := paging.Limit(q.Limit, 20, 1000)
	if err != nil {
		return List[T]{}, err
	}
	lo, hi, more, err := paging.Window(len(items), func(cursor string) int {
		return slices.IndexFunc(items, func(it T) bool { return id(it) == cursor })
	}, q.AfterID, q.BeforeID, limit, "item")
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

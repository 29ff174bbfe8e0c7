package batch

import "github.com/claudemock/claudemock/server/internal/paging"

// Page is the list envelope the SDKs page through: all four fields always
// present, has_more false on the last page.
type Page struct {
	Data    []Object `json:"data"`
	HasMore bool     `json:"has_more"`
	FirstID *string  `json:"first_id"`
	LastID  *string  `json:"last_id"`
}

// Query is a list request's paging: limit as sent ("" for 20) and at most
// one cursor.
type Query struct {
	Limit, AfterID, BeforeID string
}

// List pages through objects (newest first): after_id pages on to older
// batches, before_id back to newer ones. An unknown cursor or a bad limit
// is an error worded for the client.
func List(objects []Object, q Query) (Page, error) {
	limit, err := paging.Limit(q.Limit, 20, 1000)
	if err != nil {
		return Page{}, err
	}
	lo, hi, more, err := paging.Window(len(objects), func(id string) int { return indexOf(objects, id) }, q.AfterID, q.BeforeID, limit, "message batch")
	if err != nil {
		return Page{}, err
	}
	page := Page{Data: append([]Object{}, objects[lo:hi]...), HasMore: more}
	if n := len(page.Data); n > 0 {
		page.FirstID, page.LastID = &page.Data[0].ID, &page.Data[n-1].ID
	}
	return page, nil
}

// indexOf is the position of the batch with id, -1 for none.
func indexOf(objects []Object, id string) int {
	for i, o := range objects {
		if o.ID == id {
			return i
		}
	}
	return -1
}

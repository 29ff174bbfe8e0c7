package batch

import (
	"fmt"
	"strconv"
)

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
	limit, err := pageLimit(q.Limit)
	if err != nil {
		return Page{}, err
	}
	lo, hi, more, err := window(objects, q.AfterID, q.BeforeID, limit)
	if err != nil {
		return Page{}, err
	}
	page := Page{Data: append([]Object{}, objects[lo:hi]...), HasMore: more}
	if n := len(page.Data); n > 0 {
		page.FirstID, page.LastID = &page.Data[0].ID, &page.Data[n-1].ID
	}
	return page, nil
}

// pageLimit reads the limit: 1 to 1000, 20 when absent.
func pageLimit(raw string) (int, error) {
	if raw == "" {
		return 20, nil
	}
	n, err := strconv.Atoi(raw)
	switch {
	case err != nil:
		return 0, invalid("limit: Input should be a valid integer, unable to parse string as an integer")
	case n < 1:
		return 0, invalid("limit: Input should be greater than or equal to 1")
	case n > 1000:
		return 0, invalid("limit: Input should be less than or equal to 1000")
	}
	return n, nil
}

// window picks the page [lo, hi) and says whether more lie beyond it in
// the direction of travel.
func window(objects []Object, after, before string, limit int) (lo, hi int, more bool, err error) {
	switch {
	case after != "" && before != "":
		return 0, 0, false, invalid("after_id and before_id cannot both be set")
	case before != "":
		at := indexOf(objects, before)
		if at < 0 {
			return 0, 0, false, invalid(fmt.Sprintf("before_id: no message batch with id %s", before))
		}
		lo = max(0, at-limit)
		return lo, at, lo > 0, nil
	case after != "":
		at := indexOf(objects, after)
		if at < 0 {
			return 0, 0, false, invalid(fmt.Sprintf("after_id: no message batch with id %s", after))
		}
		lo = at + 1
	}
	hi = min(len(objects), lo+limit)
	return lo, hi, hi < len(objects), nil
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

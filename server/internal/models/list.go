package models

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/claudemock/claudemock/server/internal/catalog"
)

// Query is what a list request asks for, as the query string gives it.
type Query struct {
	// Limit is the page size as sent, "" for the default of 20.
	Limit string
	// Lifecycles are the lifecycle[] values; none means active and
	// deprecated.
	Lifecycles []string
	// AfterID and BeforeID are the paging cursors; at most one is set.
	AfterID, BeforeID string
}

// Page is the list envelope the SDKs page through.
type Page struct {
	Data    []Info  `json:"data"`
	HasMore bool    `json:"has_more"`
	FirstID *string `json:"first_id"`
	LastID  *string `json:"last_id"`
}

// List is the page of all (newest first, as catalog.Models lists them)
// that q asks for, each model's stage judged at now. Its error, the
// query's first fault, is worded for the client.
func List(all []*catalog.Model, q Query, now time.Time) (Page, error) {
	limit, err := pageLimit(q.Limit)
	if err != nil {
		return Page{}, err
	}
	models, err := visible(all, q.Lifecycles, now)
	if err != nil {
		return Page{}, err
	}
	lo, hi, more, err := window(models, q.AfterID, q.BeforeID, limit)
	if err != nil {
		return Page{}, err
	}
	page := Page{Data: make([]Info, 0, hi-lo), HasMore: more}
	for _, m := range models[lo:hi] {
		page.Data = append(page.Data, Describe(m, now))
	}
	if len(page.Data) > 0 {
		page.FirstID, page.LastID = &page.Data[0].ID, &page.Data[len(page.Data)-1].ID
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
		return 0, errors.New("limit: Input should be a valid integer, unable to parse string as an integer")
	case n < 1:
		return 0, errors.New("limit: Input should be greater than or equal to 1")
	case n > 1000:
		return 0, errors.New("limit: Input should be less than or equal to 1000")
	}
	return n, nil
}

// visible lists the models whose stage at now is one of lifecycles.
func visible(all []*catalog.Model, lifecycles []string, now time.Time) ([]*catalog.Model, error) {
	want := map[string]bool{"active": true, "deprecated": true}
	if len(lifecycles) > 0 {
		want = map[string]bool{}
		for _, l := range lifecycles {
			if l != "active" && l != "deprecated" && l != "retired" {
				return nil, errors.New("lifecycle[]: Input should be 'active', 'deprecated' or 'retired'")
			}
			want[l] = true
		}
	}
	var out []*catalog.Model
	for _, m := range all {
		if want[m.LifecycleAt(now)] {
			out = append(out, m)
		}
	}
	return out, nil
}

// window picks the page [lo, hi) of models for the cursors and says
// whether more lie beyond it in the direction of travel.
func window(models []*catalog.Model, after, before string, limit int) (lo, hi int, more bool, err error) {
	switch {
	case after != "" && before != "":
		return 0, 0, false, errors.New("after_id and before_id cannot both be set")
	case before != "":
		at := indexOf(models, before)
		if at < 0 {
			return 0, 0, false, fmt.Errorf("before_id: no model with id %s", before)
		}
		lo = max(0, at-limit)
		return lo, at, lo > 0, nil
	case after != "":
		at := indexOf(models, after)
		if at < 0 {
			return 0, 0, false, fmt.Errorf("after_id: no model with id %s", after)
		}
		lo = at + 1
	}
	hi = min(len(models), lo+limit)
	return lo, hi, hi < len(models), nil
}

// indexOf is the position of the model with id in models, -1 for none.
func indexOf(models []*catalog.Model, id string) int {
	for i, m := range models {
		if m.ID == id {
			return i
		}
	}
	return -1
}

package models

import (
	"time"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/paging"
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
// query's first fault, is an *apierror.Error worded for the client.
func List(all []*catalog.Model, q Query, now time.Time) (Page, error) {
	limit, err := paging.Limit(q.Limit, 20, 1000)
	if err != nil {
		return Page{}, err
	}
	models, err := visible(all, q.Lifecycles, now)
	if err != nil {
		return Page{}, err
	}
	lo, hi, more, err := paging.Window(len(models), func(id string) int { return indexOf(models, id) }, q.AfterID, q.BeforeID, limit, "model")
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

// visible lists the models whose stage at now is one of lifecycles.
func visible(all []*catalog.Model, lifecycles []string, now time.Time) ([]*catalog.Model, error) {
	want := map[string]bool{"active": true, "deprecated": true}
	if len(lifecycles) > 0 {
		want = map[string]bool{}
		for _, l := range lifecycles {
			if l != "active" && l != "deprecated" && l != "retired" {
				return nil, apierror.Invalid("lifecycle[]: Input should be 'active', 'deprecated' or 'retired'")
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

// indexOf is the position of the model with id in models, -1 for none.
func indexOf(models []*catalog.Model, id string) int {
	for i, m := range models {
		if m.ID == id {
			return i
		}
	}
	return -1
}

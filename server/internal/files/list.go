package files

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/paging"
)

// Query is what a list request asks for, as the query string gives it.
type Query struct {
	// Limit is the page size as sent, "" for the default of 20.
	Limit string
	// Page is the opaque cursor of a previous page's next_page (the
	// current SDKs page with it).
	Page string
	// AfterID and BeforeID are the id cursors older clients page with.
	AfterID, BeforeID string
	// IDs restricts the answer to these files, one page, unknown ids left
	// out; ScopeID to the files of a session (the mock has none).
	IDs     []string
	ScopeID string
}

// Page is the list envelope: next_page for the page-cursor SDKs, and
// has_more / first_id / last_id for clients that page by id.
type Page struct {
	Data     []Metadata `json:"data"`
	NextPage *string    `json:"next_page"`
	HasMore  bool       `json:"has_more"`
	FirstID  *string    `json:"first_id"`
	LastID   *string    `json:"last_id"`
}

// pagePrefix starts every next_page cursor, as the document describes it.
const pagePrefix = "page_"

// List is the page of sc's files (newest first) that q asks for.
func (s *Store) List(sc Scope, q Query) (Page, error) {
	limit, err := pageLimit(q)
	if err != nil {
		return Page{}, err
	}
	all := s.visible(sc, q)
	after, before, err := cursors(q)
	if err != nil {
		return Page{}, err
	}
	lo, hi, more, err := paging.Window(len(all), func(id string) int { return indexOf(all, id) }, after, before, limit, "file")
	if err != nil {
		return Page{}, err
	}
	page := Page{Data: all[lo:hi], HasMore: more}
	if len(page.Data) > 0 {
		page.FirstID, page.LastID = &page.Data[0].ID, &page.Data[len(page.Data)-1].ID
	}
	if more && before == "" {
		next := pagePrefix + base64.RawURLEncoding.EncodeToString([]byte(*page.LastID))
		page.NextPage = &next
	}
	return page, nil
}

// visible is the metadata of sc's files the query may show, newest first.
func (s *Store) visible(sc Scope, q Query) []Metadata {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Metadata{}
	for _, f := range slices.Backward(s.files) {
		if f.Org != sc.Org || f.Workspace != sc.Workspace || q.ScopeID != "" {
			continue
		}
		if len(q.IDs) > 0 && !slices.Contains(q.IDs, f.Meta.ID) {
			continue
		}
		out = append(out, f.Meta)
	}
	return out
}

// pageLimit reads the limit: 1 to 1000, 20 when absent; ids[] takes up to
// 100 ids and no limit or page.
func pageLimit(q Query) (int, error) {
	if len(q.IDs) > 0 {
		switch {
		case q.Limit != "" || q.Page != "":
			return 0, apierror.Invalid("ids[]: cannot be combined with page or limit")
		case len(q.IDs) > 100:
			return 0, apierror.Invalid("ids[]: at most 100 ids may be given")
		}
		return 100, nil
	}
	return paging.Limit(q.Limit, 20, 1000)
}

// cursors turns the query's page, after_id and before_id into one
// direction of travel; page is an after_id in disguise.
func cursors(q Query) (after, before string, err error) {
	after, before = q.AfterID, q.BeforeID
	if q.Page != "" {
		raw, decErr := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(q.Page, pagePrefix))
		if !strings.HasPrefix(q.Page, pagePrefix) || decErr != nil || after != "" {
			return "", "", apierror.Invalid("page: invalid page cursor")
		}
		after = string(raw)
	}
	if after != "" && before != "" {
		return "", "", apierror.Invalid("after_id and before_id cannot both be set")
	}
	return after, before, nil
}

func indexOf(all []Metadata, id string) int {
	return slices.IndexFunc(all, func(m Metadata) bool { return m.ID == id })
}

// expiry reads expires_in_seconds (3600 to 7776000) into expires_at; nil
// when absent, as for a file that does not expire.
func expiry(raw string, now time.Time) (*string, error) {
	if raw == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	switch {
	case err != nil:
		return nil, apierror.Invalid("expires_in_seconds: Input should be a valid integer, unable to parse string as an integer")
	case n < 3600:
		return nil, apierror.Invalid("expires_in_seconds: Input should be greater than or equal to 3600")
	case n > 7776000:
		return nil, apierror.Invalid("expires_in_seconds: Input should be less than or equal to 7776000")
	}
	t := timestamp(now.Add(time.Duration(n) * time.Second))
	return &t, nil
}

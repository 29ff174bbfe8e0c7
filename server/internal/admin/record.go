package admin

import (
	"time"

	"github.com/claudemock/claudemock/server/internal/batch"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/journal"
	"github.com/claudemock/claudemock/server/internal/orgs"
)

// Record is one served Messages request as the reports see it: when, who
// (key id, workspace id, nil for the default workspace), which model at
// which prices, and the tokens it used per billing category.
type Record struct {
	Time                                            time.Time
	KeyID                                           string
	Workspace                                       *string
	Model, DisplayName                              string
	Prices                                          catalog.Prices
	Uncached, Output, CacheRead, Cache5m, Cache1h   int
	ServiceTier, ContextWindow, InferenceGeo, Speed string
}

// Records picks an organization's served Messages requests out of journal
// entries: status 200 with usage. keyID names a key by the redacted form the
// journal keeps.
func Records(entries []journal.Entry, orgID string, cat *catalog.Catalog, keyID func(redacted string) string) []Record {
	var out []Record
	for _, e := range entries {
		if e.Organization != orgID || e.Endpoint != "messages" || e.Status != 200 || e.Usage == nil {
			continue
		}
		out = append(out, record(e, cat, keyID))
	}
	return out
}

// record is one entry as a Record. A cache write the journal does not
// split is a 5-minute one. Models the catalogue does not know cost
// nothing.
func record(e journal.Entry, cat *catalog.Catalog, keyID func(string) string) Record {
	u := e.Usage
	r := Record{Time: e.Time, KeyID: keyID(e.Key), Model: e.Model, ServiceTier: "standard",
		Uncached: u.InputTokens, Output: u.OutputTokens, CacheRead: u.CacheReadInputTokens,
		Cache1h: u.CacheCreation1h, Cache5m: u.CacheCreationInputTokens - u.CacheCreation1h}
	workspace := e.Workspace
	if workspace == orgs.DefaultWorkspace {
		workspace = ""
	}
	return r.completed(cat, workspace)
}

// completed fills in what every record derives the same way: the model's
// prices and name, the workspace (nil for the default one, ""), the
// context window its input falls in, and the geo and speed the mock
// always serves.
func (r Record) completed(cat *catalog.Catalog, workspace string) Record {
	r.DisplayName, r.ContextWindow, r.InferenceGeo, r.Speed = r.Model, "0-200k", "global", "standard"
	if m, ok := cat.Lookup(r.Model); ok {
		r.Prices, r.DisplayName = m.Prices, m.DisplayName
	}
	if workspace != "" {
		r.Workspace = &workspace
	}
	if r.Uncached+r.Cache5m+r.Cache1h+r.CacheRead > 200_000 {
		r.ContextWindow = "200k-1M"
	}
	return r
}

// BatchRecords are the served requests of an organization's ended Message
// Batches as records: service tier "batch", priced at the batch rate (Cost),
// dated when their batch ended, as the ledger books them, so the cost
// report's total stays the ledger's.
func BatchRecords(served []batch.Served, cat *catalog.Catalog, keyID func(redacted string) string) []Record {
	out := make([]Record, 0, len(served))
	for _, b := range served {
		u := b.Usage
		r := Record{Time: b.At, KeyID: keyID(b.Key), Model: b.Model, ServiceTier: "batch",
			Uncached: u.InputTokens, Output: u.OutputTokens, CacheRead: u.CacheReadInputTokens,
			Cache5m: u.CacheCreation.Ephemeral5m, Cache1h: u.CacheCreation.Ephemeral1h}
		out = append(out, r.completed(cat, b.Workspace))
	}
	return out
}

// Package catalog loads and validates the model catalogue (tiers.yaml): which
// model ids and aliases the mock knows, which rate-limit pool each one draws
// from, what it costs and what it accepts, and the usage tiers that say how
// much of each pool an organization gets. It works on bytes it is given and
// never touches the network or the clock, so the server and the CLI's
// validate command apply exactly the same rules.
package catalog

import (
	"cmp"
	"slices"
	"time"
)

// Lifecycle stages a model can be in. They are the values of ModelInfo.lifecycle
// in the real API, so the mock can report them verbatim. A model's stage is
// judged on the virtual clock by LifecycleAt.
const (
	LifecycleActive     = "active"
	LifecycleDeprecated = "deprecated"
	LifecycleRetired    = "retired"
)

// Thinking types a model may accept besides "disabled". They are the values of
// the request's thinking.type, so handlers can check a request with
// Model.AcceptsThinking without translating.
const (
	ThinkingEnabled  = "enabled"
	ThinkingAdaptive = "adaptive"
	ThinkingDisabled = "disabled"
)

// EffortLevels are the values of the request's output_config.effort, in the
// order the real API's validation message lists them.
var EffortLevels = []string{"low", "medium", "high", "xhigh", "max"}

// Catalog is the validated set of models; read-only after Load, safe for
// concurrent use. It exists so every lookup by id or alias goes through one
// index that was checked for clashes once, at load time.
type Catalog struct {
	models      []*Model          // newest first, the order /v1/models lists
	byName      map[string]*Model // every id and alias
	tiers       []*Tier           // in file order
	tierByName  map[string]*Tier
	defaultTier *Tier
}

// Model is one entry of the catalogue. The yaml tags are the keys of
// tiers.yaml; fields tagged catalog:"optional" may be left out, every other key
// is required so a forgotten fact is an error rather than a silent zero.
type Model struct {
	ID          string   `yaml:"id"`
	Aliases     []string `yaml:"aliases" catalog:"optional"`
	DisplayName string   `yaml:"display_name"`
	// Family is the rate-limit pool key: models sharing it share one set of buckets.
	Family    string    `yaml:"family"`
	CreatedAt time.Time `yaml:"created_at"`
	// PinnedLifecycle, when set, is the model's stage whatever the clock
	// says: the real API may leave a model deprecated past its retires_at.
	// Empty, the stage follows DeprecatedAt and RetiresAt (see LifecycleAt).
	PinnedLifecycle string `yaml:"lifecycle" catalog:"optional"`
	// DeprecatedAt and RetiresAt are midnight UTC of the announced days.
	DeprecatedAt *time.Time `yaml:"deprecated_at" catalog:"optional"`
	RetiresAt    *time.Time `yaml:"retires_at" catalog:"optional"`

	MaxOutputTokens    int    `yaml:"max_output_tokens"`
	ContextWindow      int    `yaml:"context_window"`
	Prices             Prices `yaml:"prices"`
	MinCacheableTokens int    `yaml:"min_cacheable_tokens"`

	// CacheReadsCountTowardITPM marks the models (the † rows of the rate-limit
	// tables) whose cache_read_input_tokens are charged to the ITPM bucket.
	CacheReadsCountTowardITPM bool `yaml:"cache_reads_count_toward_itpm" catalog:"optional"`
	// SupportsPrefill is false for models that reject a final assistant turn.
	SupportsPrefill bool `yaml:"supports_prefill"`
	// Thinking lists the thinking.type values accepted besides "disabled".
	Thinking []string `yaml:"thinking" catalog:"optional"`
	// Effort lists the output_config.effort levels accepted; empty means the
	// model refuses the effort parameter altogether.
	Effort []string `yaml:"effort" catalog:"optional"`
	// MidConversationSystem marks the models that take role "system"
	// messages inside messages without a beta header (the docs' list).
	MidConversationSystem bool `yaml:"mid_conversation_system" catalog:"optional"`
}

// Prices are USD per million tokens, kept per token category because cache
// writes and reads are billed at their own rates.
type Prices struct {
	Input        float64 `yaml:"input"`
	Output       float64 `yaml:"output"`
	CacheWrite5m float64 `yaml:"cache_write_5m"`
	CacheWrite1h float64 `yaml:"cache_write_1h"`
	CacheRead    float64 `yaml:"cache_read"`
}

// document is the top level of a catalogue file; any other key is an error.
type document struct {
	Models      []Model `yaml:"models"`
	Tiers       []Tier  `yaml:"tiers"`
	DefaultTier string  `yaml:"default_tier"`
}

// Lookup finds a model by exact id or alias, so a request naming an alias is
// served (and reported) as the dated model it points to.
func (c *Catalog) Lookup(idOrAlias string) (*Model, bool) {
	m, ok := c.byName[idOrAlias]
	return m, ok
}

// Models returns every model newest first: created_at descending, then id
// ascending. It is the order /v1/models lists, and the slice is a fresh copy
// so callers may page through or re-slice it freely.
func (c *Catalog) Models() []*Model {
	return slices.Clone(c.models)
}

// AcceptsThinking reports whether a request may set thinking.type to kind on
// this model. "disabled" is always accepted; anything else must be listed.
func (m *Model) AcceptsThinking(kind string) bool {
	if kind == ThinkingDisabled {
		return true
	}
	return slices.Contains(m.Thinking, kind)
}

// LifecycleAt is the model's stage at now: the pinned one if the file pins
// it, else retired from RetiresAt on, deprecated from DeprecatedAt on, and
// active before. Judging it per request lets a test move the virtual clock
// past a retirement and watch its client's migration path.
func (m *Model) LifecycleAt(now time.Time) string {
	switch {
	case m.PinnedLifecycle != "":
		return m.PinnedLifecycle
	case reached(m.RetiresAt, now):
		return LifecycleRetired
	case reached(m.DeprecatedAt, now):
		return LifecycleDeprecated
	}
	return LifecycleActive
}

// reached reports whether now is at or after the date t (nil: never).
func reached(t *time.Time, now time.Time) bool {
	return t != nil && !now.Before(*t)
}

// AcceptsEffort reports whether a request may set output_config.effort to
// level on this model.
func (m *Model) AcceptsEffort(level string) bool {
	return slices.Contains(m.Effort, level)
}

// newCatalog indexes a validated document. Validation has already rejected
// clashing names and a default_tier naming no tier, so the indexes never
// silently overwrite an entry and DefaultTier is never nil.
func newCatalog(doc *document) *Catalog {
	c := &Catalog{byName: make(map[string]*Model), tierByName: make(map[string]*Tier)}
	for i := range doc.Tiers {
		t := &doc.Tiers[i]
		c.tiers = append(c.tiers, t)
		c.tierByName[t.Name] = t
	}
	c.defaultTier = c.tierByName[doc.DefaultTier]
	for i := range doc.Models {
		m := &doc.Models[i]
		c.models = append(c.models, m)
		c.byName[m.ID] = m
		for _, a := range m.Aliases {
			c.byName[a] = m
		}
	}
	slices.SortStableFunc(c.models, func(a, b *Model) int {
		if d := b.CreatedAt.Compare(a.CreatedAt); d != 0 {
			return d
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return c
}

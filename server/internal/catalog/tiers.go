package catalog

import (
	"slices"
	"time"
)

// OTPM accounting rules a tier can follow. They differ in what an output
// tokens per minute bucket is charged, which the docs changed between 2025 and
// 2026 (api-facts §3.2), so a catalogue can reproduce either era.
const (
	// OTPMReserve takes max_tokens from the bucket when a request is admitted
	// and refunds the unused part when it ends (2025 docs).
	OTPMReserve = "reserve"
	// OTPMActual charges only the output tokens actually generated (2026 docs).
	OTPMActual = "actual"
)

// DefaultFamily is the key of a tier's limits that applies to every model
// family the tier does not list, so a tier need not name each new model. No
// model may use it as its family.
const DefaultFamily = "default"

// MaxBurstWindow bounds Tier.BurstWindow: a longer burst would let a single
// moment spend more than a day's worth of a per-minute limit, which no real
// limiter does.
const MaxBurstWindow = 24 * time.Hour

// Tier is one usage tier: the rate limits, spend cap and credit rules an
// organization placed in it gets. The yaml tags are the keys of a `tiers:`
// entry; fields tagged catalog:"optional" may be left out. The three money
// fields are required but may be null, so "no cap" is always written down
// rather than being what a forgotten key means.
type Tier struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description" catalog:"optional"`
	// OTPMAccounting is OTPMReserve or OTPMActual.
	OTPMAccounting string `yaml:"otpm_accounting"`
	// BurstWindow sizes every per-minute bucket of the tier: capacity =
	// limit * BurstWindow / 1m. 0 means the whole minute (capacity = limit);
	// 1s enforces 60 RPM as one request per second. Per-day and per-month
	// limits are calendar windows and ignore it.
	BurstWindow time.Duration `yaml:"burst_window" catalog:"optional"`
	// MonthlySpendLimit is USD per calendar month; nil means no cap.
	MonthlySpendLimit *float64 `yaml:"monthly_spend_limit"`
	// CreditPurchaseThreshold is the cumulative credit purchase (USD) that
	// places an organization in this tier; nil means purchases never do.
	CreditPurchaseThreshold *float64 `yaml:"credit_purchase_threshold"`
	// MaxCreditPurchase is the largest single deposit (USD); nil means any.
	MaxCreditPurchase *float64 `yaml:"max_credit_purchase"`
	// TokenCountingRPM limits /v1/messages/count_tokens, which has its own
	// bucket independent of message creation (api-facts §2.6).
	TokenCountingRPM int `yaml:"token_counting_rpm"`
	// BatchRPM limits the Message Batches endpoints, shared by all models (§2.5).
	BatchRPM int `yaml:"batch_rpm"`
	// BatchQueue bounds the batch requests an organization may have in the
	// processing queue at once (§2.5); 0 (absent) is no bound beyond the
	// 100,000 requests of one batch.
	BatchQueue int `yaml:"batch_queue" catalog:"optional"`
	// Limits are keyed by model family, plus DefaultFamily for the rest.
	Limits map[string]Limits `yaml:"limits"`
}

// Limits are the rate limits of one model family in one tier. Each field is a
// limiter of the real Rate Limits API, named as it names them; 0 means the
// tier has no such limit, so one struct can describe a 2026 tier (RPM, ITPM,
// OTPM), a 2024 one (RPM, TPM, TPD), a Bedrock-style quota or a third-party
// guide's table (RPM, TPM, TPD; or RPM and requests per month). The
// per-minute limits refill continuously; the per-day and per-month ones are
// calendar windows (UTC) that reset whole.
type Limits struct {
	RequestsPerMinute     int `yaml:"requests_per_minute" catalog:"optional"`
	InputTokensPerMinute  int `yaml:"input_tokens_per_minute" catalog:"optional"`
	OutputTokensPerMinute int `yaml:"output_tokens_per_minute" catalog:"optional"`
	// TokensPerMinute counts input and output together.
	TokensPerMinute  int `yaml:"tokens_per_minute" catalog:"optional"`
	TokensPerDay     int `yaml:"tokens_per_day" catalog:"optional"`
	RequestsPerDay   int `yaml:"requests_per_day" catalog:"optional"`
	RequestsPerMonth int `yaml:"requests_per_month" catalog:"optional"`
}

// accountings are the allowed otpm_accounting values, in the order problems
// list them.
var accountings = []string{OTPMReserve, OTPMActual}

// Tier finds a tier by name, so configuration and the control API can move an
// organization between tiers by the names the file gives them.
func (c *Catalog) Tier(name string) (*Tier, bool) {
	t, ok := c.tierByName[name]
	return t, ok
}

// Tiers returns every tier in file order, as a fresh slice so callers may
// reorder it freely.
func (c *Catalog) Tiers() []*Tier {
	return slices.Clone(c.tiers)
}

// DefaultTier is the tier named by default_tier: where organizations nobody
// configured are placed. Load guarantees it exists.
func (c *Catalog) DefaultTier() *Tier {
	return c.defaultTier
}

// TierForPurchases is the highest tier whose credit_purchase_threshold <=
// total (nil if none): the automatic upgrade rule of the tier era, where an
// organization advanced as soon as its cumulative purchases reached a
// threshold. "Highest" means the largest threshold, which validation makes
// unique; tiers without a threshold are never chosen.
func (c *Catalog) TierForPurchases(total float64) *Tier {
	var best *Tier
	for _, t := range c.tiers {
		th := t.CreditPurchaseThreshold
		if th != nil && *th <= total && (best == nil || *th > *best.CreditPurchaseThreshold) {
			best = t
		}
	}
	return best
}

// For returns the limits of a model family: its own entry, else the default
// entry, so models without a row of their own still get limits. A family the
// tier covers by neither gets the zero Limits (no limit at all); validation
// rules that out for every family of the catalogue.
func (t *Tier) For(family string) Limits {
	if l, ok := t.Limits[family]; ok {
		return l
	}
	return t.Limits[DefaultFamily]
}

// Reserve reports whether the tier charges max_tokens to the output buckets
// at admission (OTPMReserve) rather than only the tokens generated.
func (t *Tier) Reserve() bool {
	return t.OTPMAccounting == OTPMReserve
}

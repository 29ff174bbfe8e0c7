package catalog

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Allowed values of the enum fields, in the order problems list them.
var (
	lifecycles    = []string{LifecycleActive, LifecycleDeprecated, LifecycleRetired}
	thinkingKinds = []string{ThinkingEnabled, ThinkingAdaptive}
)

// validate checks what decoding cannot: ranges, enums, date order, that
// every id and alias names exactly one model, and that the tiers fit the
// models. Only values that decoded cleanly are checked (they are the ones in
// d.lines), so a typo is reported once.
func (d *decoder) validate(doc *document) {
	models := doc.Models
	if line, ok := d.lines["models"]; ok && len(models) == 0 {
		d.Add(line, "models", "must list at least one model")
	}
	owners := make(map[string]string) // id or alias -> the model that has it
	for i := range models {
		m, p := &models[i], fmt.Sprintf("models[%d]", i)
		d.claim(m.ID, p+".id", "models", i, owners)
		for j, a := range m.Aliases {
			d.claim(a, fmt.Sprintf("%s.aliases[%d]", p, j), "models", i, owners)
		}
		d.checkModel(m, p)
	}
	d.validateTiers(doc)
}

// claim registers a name (a model's id or alias, a tier's name) for entry i
// of list (yamlfile's Claim), once it decoded cleanly.
func (d *decoder) claim(name, path, list string, i int, owners map[string]string) {
	if line, ok := d.lines[path]; ok {
		d.Claim(owners, line, path, name, strconv.Quote(name), fmt.Sprintf("%s[%d]", list, i))
	}
}

// checkModel validates the single-field and cross-field rules of one model.
func (d *decoder) checkModel(m *Model, p string) {
	d.nonEmpty(m.DisplayName, p+".display_name")
	d.nonEmpty(m.Family, p+".family")
	if line, ok := d.lines[p+".family"]; ok && m.Family == DefaultFamily {
		d.Add(line, p+".family", "%q is reserved for the tiers' fallback limits", DefaultFamily)
	}
	d.oneOf(m.PinnedLifecycle, p+".lifecycle", lifecycles)
	d.positive(m.MaxOutputTokens, p+".max_output_tokens")
	d.positive(m.ContextWindow, p+".context_window")
	d.fitsWindow(m, p)
	d.nonNegative(m.MinCacheableTokens, p+".min_cacheable_tokens")
	d.checkPrices(&m.Prices, p+".prices")
	d.checkList(m.Thinking, p+".thinking", thinkingKinds)
	d.checkList(m.Effort, p+".effort", EffortLevels)
	d.checkDates(m, p)
}

// nonEmpty rejects a blank required string.
func (d *decoder) nonEmpty(s, path string) {
	if line, ok := d.lines[path]; ok && strings.TrimSpace(s) == "" {
		d.Add(line, path, "must not be empty")
	}
}

// oneOf rejects a string outside its enum, listing the allowed values.
func (d *decoder) oneOf(s, path string, allowed []string) {
	if line, ok := d.lines[path]; ok && !slices.Contains(allowed, s) {
		d.Add(line, path, "must be one of %s, got %q", strings.Join(allowed, ", "), s)
	}
}

// positive rejects a count that must be at least 1.
func (d *decoder) positive(n int, path string) {
	if line, ok := d.lines[path]; ok && n <= 0 {
		d.Add(line, path, "must be > 0, got %d", n)
	}
}

// nonNegative rejects a count below zero.
func (d *decoder) nonNegative(n int, path string) {
	if line, ok := d.lines[path]; ok && n < 0 {
		d.Add(line, path, "must be >= 0, got %d", n)
	}
}

// fitsWindow rejects an output limit larger than the whole context window,
// since output tokens are part of it.
func (d *decoder) fitsWindow(m *Model, p string) {
	line, ok := d.lines[p+".max_output_tokens"]
	_, okWindow := d.lines[p+".context_window"]
	if ok && okWindow && m.ContextWindow > 0 && m.MaxOutputTokens > m.ContextWindow {
		d.Add(line, p+".max_output_tokens", "must be <= context_window (%d), got %d", m.ContextWindow, m.MaxOutputTokens)
	}
}

// checkPrices rejects negative or non-finite prices (YAML allows .nan and .inf).
func (d *decoder) checkPrices(pr *Prices, p string) {
	for _, c := range []struct {
		name  string
		value float64
	}{
		{"input", pr.Input}, {"output", pr.Output}, {"cache_write_5m", pr.CacheWrite5m},
		{"cache_write_1h", pr.CacheWrite1h}, {"cache_read", pr.CacheRead},
	} {
		path := p + "." + c.name
		line, ok := d.lines[path]
		switch {
		case !ok:
		case math.IsNaN(c.value) || math.IsInf(c.value, 0):
			d.Add(line, path, "must be a finite number, got %s", formatFloat(c.value))
		case c.value < 0:
			d.Add(line, path, "must be >= 0, got %s", formatFloat(c.value))
		}
	}
}

// checkList rejects values of an enum list (thinking types, effort levels)
// outside allowed, and repeats.
func (d *decoder) checkList(values []string, p string, allowed []string) {
	for i, v := range values {
		path := fmt.Sprintf("%s[%d]", p, i)
		line, ok := d.lines[path]
		switch {
		case !ok:
		case !slices.Contains(allowed, v):
			d.Add(line, path, "must be one of %s, got %q", strings.Join(allowed, ", "), v)
		case slices.Index(values, v) < i:
			d.Add(line, path, "%q is listed twice", v)
		}
	}
}

// checkDates enforces the ModelInfo contract: a model pinned active has
// neither a deprecation nor a retirement date, a retirement date needs a
// deprecation date (a model is deprecated before it retires, and ModelInfo
// shows deprecated_at on every retired model), and created_at <=
// deprecated_at <= retires_at wherever they are set.
func (d *decoder) checkDates(m *Model, p string) {
	if _, ok := d.lines[p+".lifecycle"]; ok && m.PinnedLifecycle == LifecycleActive {
		d.nullWhileActive(m.DeprecatedAt, p+".deprecated_at")
		d.nullWhileActive(m.RetiresAt, p+".retires_at")
	}
	if line, ok := d.lines[p+".retires_at"]; ok && m.RetiresAt != nil && m.DeprecatedAt == nil {
		d.Add(line, p+".retires_at", "needs deprecated_at: a model is deprecated before it retires")
	}
	prev, prevName := m.CreatedAt, "created_at"
	if m.DeprecatedAt != nil {
		d.notBefore(*m.DeprecatedAt, p+".deprecated_at", prev, prevName)
		prev, prevName = *m.DeprecatedAt, "deprecated_at"
	}
	if m.RetiresAt != nil {
		d.notBefore(*m.RetiresAt, p+".retires_at", prev, prevName)
	}
}

// nullWhileActive rejects a lifecycle date set on an active model.
func (d *decoder) nullWhileActive(t *time.Time, path string) {
	if line, ok := d.lines[path]; ok && t != nil {
		d.Add(line, path, "must be null while lifecycle is active, got %s", t.Format(time.DateOnly))
	}
}

// notBefore rejects a date earlier than the lifecycle date before it. A zero
// prev (created_at failed to decode) never triggers it.
func (d *decoder) notBefore(t time.Time, path string, prev time.Time, prevName string) {
	if line, ok := d.lines[path]; ok && t.Before(prev) {
		d.Add(line, path, "must not be before %s (%s), got %s", prevName, prev.Format(time.DateOnly), t.Format(time.DateOnly))
	}
}

// formatFloat prints a price the way it would be written in YAML.
func formatFloat(f float64) string {
	return strconv.FormatFloat(f, 'g', -1, 64)
}

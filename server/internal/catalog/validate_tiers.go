package catalog

import (
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/claudemock/claudemock/server/internal/yamlfile"
)

// dimensions are the keys of a Limits entry, in declaration order, so
// validation can tell which ones a file actually set and list them.
var dimensions = fieldsOf(reflect.TypeFor[Limits]())

// validateTiers checks the tiers against each other and against the models:
// unique names and thresholds, a default_tier that exists, and limits keyed
// by real families that leave no family without limits.
func (d *decoder) validateTiers(doc *document) {
	if line, ok := d.lines["tiers"]; ok && len(doc.Tiers) == 0 {
		d.Add(line, "tiers", "must list at least one tier")
	}
	families, known := d.families(doc.Models)
	owners := make(map[string]string)   // tier name -> the tier that has it
	thresholds := make(map[float64]int) // credit_purchase_threshold -> index of the tier that has it
	for i := range doc.Tiers {
		t, p := &doc.Tiers[i], fmt.Sprintf("tiers[%d]", i)
		d.claim(t.Name, p+".name", "tiers", i, owners)
		d.checkTier(t, p, families, known)
		d.uniqueThreshold(t.CreditPurchaseThreshold, p+".credit_purchase_threshold", i, thresholds)
	}
	d.checkDefaultTier(doc, owners)
}

// families collects the model families the limits may name. known is false
// when some model's family did not decode (or there are no models), since
// then a family key could be reported unknown only because of that typo.
func (d *decoder) families(models []Model) (families map[string]bool, known bool) {
	families = make(map[string]bool)
	for i := range models {
		if _, ok := d.lines[fmt.Sprintf("models[%d].family", i)]; !ok {
			return nil, false
		}
		families[models[i].Family] = true
	}
	return families, len(models) > 0
}

// checkTier validates the single-field rules of one tier and its limits.
func (d *decoder) checkTier(t *Tier, p string, families map[string]bool, known bool) {
	d.oneOf(t.OTPMAccounting, p+".otpm_accounting", accountings)
	d.checkBurstWindow(t.BurstWindow, p+".burst_window")
	d.money(t.MonthlySpendLimit, p+".monthly_spend_limit", false)
	d.money(t.CreditPurchaseThreshold, p+".credit_purchase_threshold", true)
	d.money(t.MaxCreditPurchase, p+".max_credit_purchase", false)
	d.positive(t.TokenCountingRPM, p+".token_counting_rpm")
	d.positive(t.BatchRPM, p+".batch_rpm")
	d.positive(t.BatchQueue, p+".batch_queue")
	d.checkLimits(t.Limits, p+".limits", families, known)
}

// checkBurstWindow rejects a burst window that is not positive or is longer
// than MaxBurstWindow.
func (d *decoder) checkBurstWindow(w time.Duration, path string) {
	line, ok := d.lines[path]
	switch {
	case !ok:
	case w <= 0:
		d.Add(line, path, "must be > 0, got %s", w)
	case w > MaxBurstWindow:
		d.Add(line, path, "must be <= %s, got %s", MaxBurstWindow, w)
	}
}

// money rejects a non-finite or out-of-range USD amount; null (no cap, no
// threshold) is always fine. Thresholds may be 0 (a tier every organization
// qualifies for), caps and deposits may not.
func (d *decoder) money(v *float64, path string, zeroOK bool) {
	line, ok := d.lines[path]
	switch {
	case !ok || v == nil:
	case math.IsNaN(*v) || math.IsInf(*v, 0):
		d.Add(line, path, "must be a finite number, got %s", formatFloat(*v))
	case zeroOK && *v < 0:
		d.Add(line, path, "must be >= 0, got %s", formatFloat(*v))
	case !zeroOK && *v <= 0:
		d.Add(line, path, "must be > 0, got %s", formatFloat(*v))
	}
}

// uniqueThreshold rejects a credit_purchase_threshold another tier already
// has, since TierForPurchases could not choose between them.
func (d *decoder) uniqueThreshold(v *float64, path string, i int, seen map[float64]int) {
	line, ok := d.lines[path]
	if !ok || v == nil || math.IsNaN(*v) {
		return
	}
	if j, taken := seen[*v]; taken {
		d.Add(line, path, "%s is already used by tiers[%d]", formatFloat(*v), j)
		return
	}
	seen[*v] = i
}

// checkLimits validates a tier's limits: every key is a model family or
// "default", every entry sets at least one positive limit, and every family
// of the catalogue resolves to an entry. The coverage rule: `default` is
// required exactly when some family has no entry of its own, so adding a
// model in a new family to a catalogue whose tiers list families one by one
// is an error naming the family, not a model without limits.
func (d *decoder) checkLimits(limits map[string]Limits, p string, families map[string]bool, known bool) {
	for _, key := range slices.Sorted(maps.Keys(limits)) {
		path := yamlfile.Child(p, key)
		line, ok := d.lines[path]
		if !ok {
			continue
		}
		if known && key != DefaultFamily && !families[key] {
			d.Add(line, p, "keys must be %q or a model family (%s), got %q",
				DefaultFamily, strings.Join(slices.Sorted(maps.Keys(families)), ", "), key)
		}
		d.checkEntry(limits[key], path, line)
	}
	line, ok := d.lines[p]
	if _, hasDefault := limits[DefaultFamily]; !ok || !known || hasDefault {
		return
	}
	var missing []string
	for f := range families {
		if _, listed := limits[f]; !listed {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		d.Add(line, p, "must have a %q entry or one for every model family, missing %s",
			DefaultFamily, strings.Join(missing, ", "))
	}
}

// checkEntry validates one family's limits: at least one dimension set, each
// one positive (0 would read as "no limit", so writing it is a mistake).
func (d *decoder) checkEntry(l Limits, path string, line int) {
	v := reflect.ValueOf(l)
	names := make([]string, len(dimensions))
	set := false
	for i, f := range dimensions {
		names[i] = f.name
		if _, ok := d.lines[yamlfile.Child(path, f.name)]; ok {
			set = true
			d.positive(int(v.Field(f.index).Int()), yamlfile.Child(path, f.name))
		}
	}
	if !set {
		d.Add(line, path, "must set at least one of %s, got none", strings.Join(names, ", "))
	}
}

// checkDefaultTier rejects a default_tier that names no tier. owners holds
// the names claim accepted; while some tier's name is missing or was itself
// rejected, or there are no tiers, it says nothing, since that problem is
// already reported and default_tier may well be right.
func (d *decoder) checkDefaultTier(doc *document, owners map[string]string) {
	line, ok := d.lines["default_tier"]
	if !ok || len(doc.Tiers) == 0 {
		return
	}
	names := make([]string, len(doc.Tiers))
	for i := range doc.Tiers {
		names[i] = doc.Tiers[i].Name
		if _, ok := owners[names[i]]; !ok {
			return
		}
	}
	if _, ok := owners[doc.DefaultTier]; !ok {
		d.Add(line, "default_tier", "must name a tier (%s), got %q", strings.Join(names, ", "), doc.DefaultTier)
	}
}

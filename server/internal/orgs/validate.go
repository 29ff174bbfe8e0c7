package orgs

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/journal"
	"github.com/claudemock/claudemock/server/internal/yamlfile"
)

// checker holds what validation needs from the catalogue and the names
// already claimed, so duplicates are reported against their first owner.
type checker struct {
	*decoder
	cat        *catalog.Catalog
	families   map[string]bool
	orgIDs     map[string]string // organization id -> path of the organization
	workspaces map[string]string // workspace id -> path of the workspace
	keys       map[string]string // API key -> path where it was first listed
}

// validate checks what decoding cannot: unique ids and keys, tiers and
// families the catalogue knows, positive limits, and workspace limits within
// their organization's. Only values that decoded cleanly (those in d.Lines)
// are checked, so a typo is reported once.
func (d *decoder) validate(orgs []Organization, path string, cat *catalog.Catalog) {
	c := &checker{decoder: d, cat: cat, families: make(map[string]bool),
		orgIDs: make(map[string]string), workspaces: make(map[string]string), keys: make(map[string]string)}
	for _, m := range cat.Models() {
		c.families[m.Family] = true
	}
	for i := range orgs {
		c.organization(&orgs[i], fmt.Sprintf("%s[%d]", path, i))
	}
}

// organization validates one organization and its workspaces.
func (c *checker) organization(o *Organization, p string) {
	c.claim(o.ID, strconv.Quote(o.ID), p+".id", p, c.orgIDs)
	tier, tierOK := c.tier(o.Tier, p+".tier")
	c.checkLimits(o.Limits, p+".limits")
	c.claimKeys(o.Keys, p+".keys")
	c.claimKeys(o.AdminKeys, p+".admin_keys")
	c.adminKeys(o, p)
	c.amount(o.Credits, p+".credits", true)
	c.amount(o.SpendLimit, p+".spend_limit", false)
	c.priority(o.Priority, p+".priority")
	orgLimitsOK := !c.Bad[p+".limits"]
	for j := range o.Workspaces {
		w, wp := &o.Workspaces[j], fmt.Sprintf("%s.workspaces[%d]", p, j)
		if _, ok := c.Lines[wp+".id"]; ok && w.ID == DefaultWorkspace {
			c.Add(c.Lines[wp+".id"], wp+".id", "%q is reserved for the organization's default workspace", DefaultWorkspace)
		} else {
			c.claim(w.ID, strconv.Quote(w.ID), wp+".id", wp, c.workspaces)
		}
		c.checkLimits(w.Limits, wp+".limits")
		c.claimKeys(w.Keys, wp+".keys")
		c.apiKeys(w.Keys, wp+".keys")
		c.amount(w.SpendLimit, wp+".spend_limit", false)
		if tierOK && orgLimitsOK {
			c.withinOrganization(o, tier, w, wp+".limits")
		}
	}
}

// claim registers an id for the entity at owner (yamlfile's Claim), once
// it decoded cleanly. shown is how messages name the id.
func (c *checker) claim(id, shown, path, owner string, owners map[string]string) {
	if line, ok := c.Lines[path]; ok {
		c.Claim(owners, line, path, id, shown, owner)
	}
}

// claimKeys registers API keys, which must be unique across the whole file
// since each resolves to exactly one workspace. A key is named in messages
// by its last four characters only, as in the journal, so a CI log of a
// failed validation does not leak it.
func (c *checker) claimKeys(keys []string, p string) {
	for i, k := range keys {
		path := fmt.Sprintf("%s[%d]", p, i)
		c.claim(k, fmt.Sprintf("the key %q", journal.Redact(k)), path, path, c.keys)
	}
}

// adminKeys checks that every admin key has the admin prefix and no API key
// has it: the prefix is what tells the two apart on the wire, as on the
// real API, so a key on the wrong list would never authenticate where the
// file says it should.
func (c *checker) adminKeys(o *Organization, p string) {
	for i, k := range o.AdminKeys {
		path := fmt.Sprintf("%s.admin_keys[%d]", p, i)
		if line, ok := c.Lines[path]; ok && !strings.HasPrefix(k, AdminKeyPrefix) {
			c.Add(line, path, "an admin key must start with %q, got the key %q", AdminKeyPrefix, journal.Redact(k))
		}
	}
	c.apiKeys(o.Keys, p+".keys")
}

// apiKeys checks that no API key has the admin prefix.
func (c *checker) apiKeys(keys []string, p string) {
	for i, k := range keys {
		path := fmt.Sprintf("%s[%d]", p, i)
		if line, ok := c.Lines[path]; ok && strings.HasPrefix(k, AdminKeyPrefix) {
			c.Add(line, path, "an API key must not start with %q (list it under admin_keys), got the key %q", AdminKeyPrefix, journal.Redact(k))
		}
	}
}

// tier resolves an organization's tier name, empty meaning the default tier.
// An unknown name is reported and yields false.
func (c *checker) tier(name, path string) (*catalog.Tier, bool) {
	if name == "" {
		return c.cat.DefaultTier(), true
	}
	if t, ok := c.cat.Tier(name); ok {
		return t, true
	}
	if line, ok := c.Lines[path]; ok {
		names := make([]string, 0)
		for _, t := range c.cat.Tiers() {
			names = append(names, t.Name)
		}
		c.Add(line, path, "must name a tier of the catalogue (%s), got %q", strings.Join(names, ", "), name)
	}
	return nil, false
}

// checkLimits validates a limits map: every key is a model family or
// "default", every entry sets at least one dimension, each one positive (0
// would read as "no limit", so writing it is a mistake).
func (c *checker) checkLimits(limits map[string]catalog.Limits, p string) {
	for _, key := range slices.Sorted(maps.Keys(limits)) {
		path := yamlfile.Child(p, key)
		line, ok := c.Lines[path]
		if !ok {
			continue
		}
		if key != catalog.DefaultFamily && !c.families[key] {
			c.Add(line, p, "keys must be %q or a model family (%s), got %q",
				catalog.DefaultFamily, strings.Join(slices.Sorted(maps.Keys(c.families)), ", "), key)
		}
		l, set := limits[key], false
		for _, dim := range dimensions {
			dp := yamlfile.Child(path, dim.name)
			if dl, ok := c.Lines[dp]; ok {
				set = true
				if v := *dim.of(&l); v <= 0 {
					c.Add(dl, dp, "must be > 0, got %d", v)
				}
			}
		}
		if !set {
			c.Add(line, path, "must set at least one of %s, got none", strings.Join(dimensionNames, ", "))
		}
	}
}

// withinOrganization rejects workspace limits above the organization's
// effective limit for the same family and dimension: organization limits
// always apply, so a higher workspace limit could never be reached and is
// certainly a mistake. A "default" entry is checked against every family the
// workspace has no entry of its own for, naming the tightest one exceeded.
func (c *checker) withinOrganization(o *Organization, tier *catalog.Tier, w *Workspace, p string) {
	for _, key := range slices.Sorted(maps.Keys(w.Limits)) {
		path := yamlfile.Child(p, key)
		if _, ok := c.Lines[path]; !ok {
			continue
		}
		families := []string{key}
		if key == catalog.DefaultFamily {
			families = nil
			for f := range c.families {
				if _, own := w.Limits[f]; !own {
					families = append(families, f)
				}
			}
			slices.Sort(families)
		} else if !c.families[key] {
			continue
		}
		l := w.Limits[key]
		for _, dim := range dimensions {
			dp := yamlfile.Child(path, dim.name)
			line, ok := c.Lines[dp]
			v := *dim.of(&l)
			if !ok || v <= 0 {
				continue
			}
			limit, family := 0, ""
			for _, f := range families {
				e := o.Effective(tier, f)
				if orgV := *dim.of(&e); orgV > 0 && v > orgV && (limit == 0 || orgV < limit) {
					limit, family = orgV, f
				}
			}
			switch {
			case limit == 0:
			case key == catalog.DefaultFamily:
				c.Add(line, dp, "must not exceed the organization's limit of %d for %s, got %d", limit, family, v)
			default:
				c.Add(line, dp, "must not exceed the organization's limit of %d, got %d", limit, v)
			}
		}
	}
}

// amount checks a USD amount: a balance may be 0 (zeroOK: credits on, none
// left), a spend limit may not, since a limit of nothing refuses every
// request and is certainly a mistake.
func (c *checker) amount(v *float64, path string, zeroOK bool) {
	line, ok := c.Lines[path]
	switch {
	case !ok || v == nil:
	case zeroOK && *v < 0:
		c.Add(line, path, "must be >= 0, got %s", formatFloat(*v))
	case !zeroOK && *v <= 0:
		c.Add(line, path, "must be > 0, got %s", formatFloat(*v))
	}
}

// priority checks Priority Tier commitments: every key names a model of the
// catalogue, no two keys name the same model (an id and its alias would be
// two commitments for one pool) and both rates are positive.
func (c *checker) priority(commitments map[string]Commitment, p string) {
	keys := slices.SortedFunc(maps.Keys(commitments), func(a, b string) int {
		return cmp.Compare(c.Lines[yamlfile.Child(p, a)], c.Lines[yamlfile.Child(p, b)])
	})
	owners := make(map[string]string) // model id -> key that named it first
	for _, key := range keys {
		path := yamlfile.Child(p, key)
		line, ok := c.Lines[path]
		if !ok {
			continue
		}
		if m, known := c.cat.Lookup(key); !known {
			c.Add(line, p, "keys must be a model id or alias of the catalogue, got %q", key)
		} else if first, taken := owners[m.ID]; taken {
			c.Add(line, p, "%q names the same model as %q (%s)", key, first, m.ID)
		} else {
			owners[m.ID] = key
		}
		cm := commitments[key]
		for i, v := range []int{cm.InputTokensPerMinute, cm.OutputTokensPerMinute} {
			if v <= 0 {
				dp := yamlfile.Child(path, commitmentNames[i])
				c.Add(c.Lines[dp], dp, "must be > 0, got %d", v)
			}
		}
	}
}

// formatFloat prints an amount the way it would be written in YAML.
func formatFloat(f float64) string {
	return strconv.FormatFloat(f, 'g', -1, 64)
}

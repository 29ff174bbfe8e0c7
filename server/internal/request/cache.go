package request

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/jsonscan"
)

// parseCacheControl validates the cache_control of the object at owner
// ("" for the top-level one), counts it as a breakpoint and returns its TTL
// (5m unless it says 1h; 0 when absent). cache_control is a union tagged by
// type, so the real API's paths name the tag: a stray key on a system block
// is "system.1.cache_control.ephemeral.scope: Extra inputs are not
// permitted". scope is allowed with the prompt-caching-scope beta.
func (p *parser) parseCacheControl(v string, owner loc) (time.Duration, error) {
	if isNull(v) {
		return 0, nil
	}
	typ, sub, fault := unionTag(v)
	if fault != "" {
		return 0, apierror.Invalid("%s%s: %s", cachePath{owner}, sub, fault)
	}
	if typ != "ephemeral" {
		return 0, apierror.Invalid("%s: Input tag '%s' found using 'type' does not match any of the expected tags: 'ephemeral'", cachePath{owner}, typ)
	}
	var buf [4]member
	ms := members(v, buf[:0])
	scope := p.betas.has(betaCacheScope)
	bad, fault := strictFault(ms, func(key string) (kind, bool) {
		switch key {
		case "type":
			return anyValue, true
		case "ttl":
			return stringValue, true
		}
		return stringValue, key == "scope" && scope
	})
	if fault != "" {
		return 0, apierror.Invalid("%s.ephemeral.%s: %s", cachePath{owner}, bad, fault)
	}
	ttl := ""
	if i := memberIndex(ms, "ttl"); i >= 0 && ms[i].val != "null" {
		ttl = jsonscan.Unquote(ms[i].val)
	}
	if ttl != "" && ttl != "5m" && ttl != "1h" {
		return 0, apierror.Invalid("%s.ephemeral.ttl: Input should be '5m' or '1h'", cachePath{owner})
	}
	p.breakpoints++
	if ttl == "1h" {
		return time.Hour, nil
	}
	return 5 * time.Minute, nil
}

// cachePath is the path of the cache_control of owner, worded only when a
// refusal needs it.
type cachePath struct{ owner loc }

func (c cachePath) String() string { return join(c.owner.String(), "cache_control") }

// unionTag reads the "type" that tags a union value (a key matched as
// json.Unmarshal matched a struct's *string field: exactly or under case
// folding, null unsetting it), with the real API's (pydantic's) words for
// a value that is no object, a type that is no string, or no type: the
// fault is said of the value's path followed by sub.
func unionTag(v string) (typ, sub, fault string) {
	has := false
	switch {
	case v[0] == '{':
		it := jsonscan.Members(v)
		for key, val, ok := it.Next(); ok; key, val, ok = it.Next() {
			if (key == "type" || fieldOf(key, "type") != "") && !setOptional(&typ, &has, val) {
				return "", ".type", "Input should be a valid string"
			}
		}
	case v != "null":
		return "", "", "Input should be a valid dictionary"
	}
	if !has {
		return "", "", "Unable to extract tag using discriminator 'type'"
	}
	return typ, "", ""
}

// parseContextManagement accepts context_management when a context
// management beta is on (the answer then reports the edits applied, none);
// without one the real API refuses the key as it refuses any unknown one.
func (p *parser) parseContextManagement(raw json.RawMessage, out *Request) error {
	if len(raw) == 0 || IsNull(raw) {
		return nil
	}
	if !p.betas.any(contextManagementBetas) {
		return apierror.Invalid("context_management: Extra inputs are not permitted")
	}
	var edits []json.RawMessage
	if err := DecodeObject(raw, "context_management", Fields{"edits": &edits}); err != nil {
		return err
	}
	out.ContextManagement = true
	return nil
}

func itoa(i int) string { return strconv.Itoa(i) }

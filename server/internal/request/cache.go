package request

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"

	"github.com/claudemock/claudemock/server/internal/apierror"
)

// parseCacheControl validates the cache_control of the object at owner
// ("" for the top-level one), counts it as a breakpoint and returns its TTL
// (5m unless it says 1h; 0 when absent). cache_control is a union tagged by
// type, so the real API's paths name the tag: a stray key on a system block
// is "system.1.cache_control.ephemeral.scope: Extra inputs are not
// permitted". scope is allowed with the prompt-caching-scope beta.
func (p *parser) parseCacheControl(raw json.RawMessage, owner string) (time.Duration, error) {
	if len(raw) == 0 || IsNull(raw) {
		return 0, nil
	}
	path := join(owner, "cache_control")
	var typ, ttl string
	if err := decodeTag(raw, path, &typ); err != nil {
		return 0, err
	}
	if typ != "ephemeral" {
		return 0, apierror.Invalid("%s: Input tag '%s' found using 'type' does not match any of the expected tags: 'ephemeral'", path, typ)
	}
	f := Fields{"type": nil, "ttl": &ttl}
	if p.betas.has(betaCacheScope) {
		f["scope"] = new(string)
	}
	if err := DecodeObject(raw, path+".ephemeral", f); err != nil {
		return 0, err
	}
	if ttl != "" && ttl != "5m" && ttl != "1h" {
		return 0, apierror.Invalid("%s.ephemeral.ttl: Input should be '5m' or '1h'", path)
	}
	p.breakpoints++
	if ttl == "1h" {
		return time.Hour, nil
	}
	return 5 * time.Minute, nil
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

// compact is the JSON text that the token estimator counts for a value.
func compact(raw json.RawMessage) string {
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return string(raw)
	}
	return buf.String()
}

func itoa(i int) string { return strconv.Itoa(i) }

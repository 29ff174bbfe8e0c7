package batch

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/limits"
	"github.com/claudemock/claudemock/server/internal/request"
)

// MaxRequests is the most requests one batch may hold (api-facts §2.5),
// as the limits registry defines it.
const MaxRequests = limits.MaxBatchRequests

// MaxBodyBytes is the Batch API's request size limit, 256 MB (§5.4).
const MaxBodyBytes = 256 << 20

// MaxCustomID is the longest custom_id, in characters.
const MaxCustomID = 64

// Entry is one validated request of a create body: its custom_id, its
// params as sent (for scenario matching) and as validated.
type Entry struct {
	CustomID string
	Body     []byte
	Params   *request.Request
}

// rawEntry is one element of `requests` before validation.
type rawEntry struct {
	CustomID *string
	Params   json.RawMessage
}

// Parse decodes and validates a create body as r says (betas, time, the
// files it may name): `requests` of 1 to MaxRequests entries,
// each a custom_id of 1 to 64 letters, digits, '_' or '-' unique in the
// batch, and params that are a valid non-streaming Messages request. The
// first fault is the error, its field named from the body's root
// ("requests.3.params.max_tokens: ...").
func Parse(body []byte, r Reading) ([]Entry, error) {
	if err := request.CheckSyntax(body); err != nil {
		return nil, err
	}
	var raws []json.RawMessage
	if err := request.DecodeObject(body, "", request.Fields{"requests": &raws}); err != nil {
		return nil, err
	}
	if err := countRequests(raws); err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(raws))
	seen := make(map[string]int, len(raws))
	for i, raw := range raws {
		e, err := parseEntry(r, raw, i)
		if err != nil {
			return nil, err
		}
		if j, dup := seen[e.CustomID]; dup {
			return nil, apierror.Invalid("requests.%d.custom_id: Duplicate custom_id %q: it is already used by requests.%d; each custom_id must be unique within the batch", i, e.CustomID, j)
		}
		seen[e.CustomID] = i
		out = append(out, e)
	}
	return out, nil
}

// Reading is what a batch body is validated against: the catalogue, the
// anthropic-beta values the create sent, its time, and the files the
// creating key's workspace may name (nil: none resolves).
type Reading struct {
	Catalog *catalog.Catalog
	Betas   []string
	Now     time.Time
	Files   request.FileResolver
}

// countRequests checks that `requests` is present and holds 1 to
// MaxRequests entries.
func countRequests(raws []json.RawMessage) error {
	switch {
	case raws == nil:
		return apierror.Invalid("requests: Field required")
	case len(raws) == 0:
		return apierror.Invalid("requests: List should have at least 1 item after validation, not 0")
	case len(raws) > MaxRequests:
		return apierror.Invalid("requests: List should have at most %d items after validation, not %d", MaxRequests, len(raws))
	}
	return nil
}

// parseEntry validates requests.i: its two fields, its custom_id and its
// params as a Messages request.
func parseEntry(rd Reading, raw json.RawMessage, i int) (Entry, error) {
	path := fmt.Sprintf("requests.%d", i)
	var r rawEntry
	if err := request.DecodeObject(raw, path, request.Fields{"custom_id": &r.CustomID, "params": &r.Params}); err != nil {
		return Entry{}, err
	}
	if r.CustomID == nil {
		return Entry{}, apierror.Invalid("%s.custom_id: Field required", path)
	}
	if err := checkCustomID(*r.CustomID, path+".custom_id"); err != nil {
		return Entry{}, err
	}
	if r.Params == nil || request.IsNull(r.Params) {
		return Entry{}, apierror.Invalid("%s.params: Field required", path)
	}
	p, err := parseParams(rd, r.Params, path+".params")
	return Entry{CustomID: *r.CustomID, Body: r.Params, Params: p}, err
}

// checkCustomID enforces the documented format, ^[a-zA-Z0-9_-]{1,64}$.
func checkCustomID(id, path string) error {
	switch {
	case id == "":
		return apierror.Invalid("%s: String should have at least 1 character", path)
	case len(id) > MaxCustomID:
		return apierror.Invalid("%s: String should have at most %d characters", path, MaxCustomID)
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return apierror.Invalid("%s: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'", path)
		}
	}
	return nil
}

// parseParams validates one request's params with request.Parse and
// names its fields from the batch body's root. Streaming has no meaning in
// a batch, so stream: true is refused.
func parseParams(rd Reading, raw json.RawMessage, path string) (*request.Request, error) {
	p, err := request.ParseWithFiles(rd.Catalog, raw, false, rd.Betas, rd.Now, rd.Files)
	if err != nil {
		return nil, rename(err, path)
	}
	if p.Stream {
		return nil, apierror.Invalid("%s.stream: Streaming is not supported in the Message Batches API", path)
	}
	return p, nil
}

// rename puts path in front of the field a Messages error names:
// "max_tokens: ..." becomes "requests.0.params.max_tokens: ...", and a
// message about the whole body names the params.
func rename(err error, path string) error {
	e, ok := err.(*apierror.Error)
	if !ok {
		return err
	}
	out := *e
	switch {
	case strings.HasPrefix(e.Message, "body: "):
		out.Message = path + ": " + strings.TrimPrefix(e.Message, "body: ")
	case fieldFirst(e.Message):
		out.Message = path + "." + e.Message
	default:
		out.Message = path + ": " + e.Message
	}
	return &out
}

// fieldFirst reports whether a message starts with a field path and a
// colon ("messages.0.role: ..."), as the real API's field errors do.
func fieldFirst(msg string) bool {
	head, _, found := strings.Cut(msg, ": ")
	return found && head != "" && !strings.ContainsAny(head, " '\"")
}

// invalid is a 400 invalid_request_error saying msg.
func invalid(msg string) error { return apierror.Invalid("%s", msg) }

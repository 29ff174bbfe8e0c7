// Package openapi is test support that validates JSON bodies against the
// official Anthropic OpenAPI 3.1 document, the one the official Go SDK
// ships as scripts/mock-spec.json.gz (see [Locate] for how it is found).
//
// OpenAPI 3.1 schemas are JSON Schema 2020-12 plus extra keywords
// (discriminator, example, x-stainless-*, ...). The whole document is
// registered as a single JSON Schema resource and individual locations
// (#/components/schemas/<Name>, #/paths/.../schema) are compiled from it
// lazily; unknown keywords are ignored as 2020-12 requires, so
// `discriminator` is an annotation only and the `oneOf` it decorates is
// what is enforced.
//
// Keys the document requires but real responses leave out are exempt:
// see [Exemptions], the list with a reason for each. Every other required
// key is enforced.
//
// Formats ARE asserted, using the validator's standard implementations
// (date-time is RFC 3339 with a mandatory time-zone offset, e.g.
// "2026-09-21T00:00:00Z" or "2026-09-21T00:00:00.123+02:00"; date is
// "2026-09-21"; also email and uuid). Formats the validator does not know
// (binary, byte, int32, uint32, double) are not asserted.
//
// Patterns are ECMA-262 in the document; `\uXXXX` escapes are translated
// for Go's regexp package.
package openapi

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// resourceURL is the URL the document is registered under; it is not
// fetched, it only gives the document's internal $refs a base.
const resourceURL = "https://claudemock.invalid/anthropic-openapi.json"

// StreamEventSchema is the preferred name of the stream-event schema; if it
// is absent, [Load] searches for an equivalent oneOf/discriminator schema.
const StreamEventSchema = "MessageStreamEvent"

// streamEventKinds are the SSE event types the stream schema must cover.
var streamEventKinds = []string{
	"message_start", "content_block_start", "content_block_delta",
	"content_block_stop", "message_delta", "message_stop",
}

// Spec is the parsed OpenAPI document with a compiled-schema cache; it is
// safe for concurrent use.
type Spec struct {
	// Path is the file the document was read from.
	Path string

	doc     map[string]any
	schemas map[string]any // #/components/schemas

	streamSchema string          // name of the stream-event schema
	streamTypes  map[string]bool // event types its discriminator covers
	exempted     []Exemption     // the Exemptions that applied

	mu       sync.Mutex
	compiler *jsonschema.Compiler
	cache    map[string]compiled // by location fragment
}

type compiled struct {
	schema *jsonschema.Schema
	err    error
}

var (
	defaultOnce sync.Once
	defaultSpec *Spec
	errDefault  error
)

// Default returns the document loaded by [Load], parsing it only once per
// process.
func Default() (*Spec, error) {
	defaultOnce.Do(func() { defaultSpec, errDefault = Load() })
	return defaultSpec, errDefault
}

// Load locates (see [Locate]), gunzips and parses the OpenAPI document.
// Every call parses the document afresh; use [Default] to share one.
func Load() (*Spec, error) {
	path, err := Locate()
	if err != nil {
		return nil, err
	}
	return LoadFile(path)
}

// LoadFile parses the OpenAPI document at path (plain or gzip-compressed
// JSON).
func LoadFile(path string) (*Spec, error) {
	raw, err := readSpecFile(path)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	s, err := parse(raw)
	if err != nil {
		return nil, fmt.Errorf("openapi: %s: %w", path, err)
	}
	s.Path = path
	return s, nil
}

func parse(raw []byte) (*Spec, error) {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("document is not a JSON object")
	}
	components, _ := doc["components"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)
	if len(schemas) == 0 {
		return nil, errors.New("document has no components.schemas")
	}

	exempted := exempt(schemas, Exemptions)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.UseRegexpEngine(ecmaRegexp)
	c.UseLoader(noLoader{})
	if err := c.AddResource(resourceURL, v); err != nil {
		return nil, err
	}

	s := &Spec{doc: doc, schemas: schemas, compiler: c, cache: map[string]compiled{}, exempted: exempted}
	s.streamSchema, s.streamTypes = findStreamSchema(schemas)
	return s, nil
}

// noLoader refuses to fetch anything: every $ref must resolve inside the
// document.
type noLoader struct{}

func (noLoader) Load(u string) (any, error) {
	return nil, fmt.Errorf("openapi: refusing to load external schema %s", u)
}

// findStreamSchema returns the schema that is a oneOf discriminated by
// "type" over all streamEventKinds, preferring StreamEventSchema, then
// names without a "Beta" prefix, then the shortest name.
func findStreamSchema(schemas map[string]any) (string, map[string]bool) {
	covers := func(name string) map[string]bool {
		sch, _ := schemas[name].(map[string]any)
		disc, _ := sch["discriminator"].(map[string]any)
		mapping, _ := disc["mapping"].(map[string]any)
		if disc["propertyName"] != "type" || sch["oneOf"] == nil {
			return nil
		}
		types := map[string]bool{}
		for k := range mapping {
			types[k] = true
		}
		for _, k := range streamEventKinds {
			if !types[k] {
				return nil
			}
		}
		return types
	}
	if t := covers(StreamEventSchema); t != nil {
		return StreamEventSchema, t
	}
	var names []string
	for name := range schemas {
		if covers(name) != nil {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "", nil
	}
	sort.Slice(names, func(i, j int) bool {
		bi, bj := strings.HasPrefix(names[i], "Beta"), strings.HasPrefix(names[j], "Beta")
		if bi != bj {
			return !bi
		}
		if len(names[i]) != len(names[j]) {
			return len(names[i]) < len(names[j])
		}
		return names[i] < names[j]
	})
	return names[0], covers(names[0])
}

// StreamEventSchemaName reports the component schema [Spec.ValidateEvent]
// uses and the event types its discriminator covers.
func (s *Spec) StreamEventSchemaName() (string, []string) {
	types := make([]string, 0, len(s.streamTypes))
	for t := range s.streamTypes {
		types = append(types, t)
	}
	sort.Strings(types)
	return s.streamSchema, types
}

// HasSchema reports whether #/components/schemas/<name> exists.
func (s *Spec) HasSchema(name string) bool {
	_, ok := s.schemas[name]
	return ok
}

// Schema returns the raw (unresolved) JSON of #/components/schemas/<name>,
// or nil. The returned value must not be modified.
func (s *Spec) Schema(name string) map[string]any {
	m, _ := s.schemas[name].(map[string]any)
	return m
}

// compile compiles (once) the schema at the given pointer tokens.
func (s *Spec) compile(tokens ...string) (*jsonschema.Schema, error) {
	frag := fragment(tokens)
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.cache[frag]; ok {
		return c.schema, c.err
	}
	sch, err := s.compiler.Compile(resourceURL + "#" + frag)
	if err != nil {
		err = fmt.Errorf("openapi: compiling #%s: %w", frag, err)
	}
	s.cache[frag] = compiled{sch, err}
	return sch, err
}

// fragment renders pointer tokens as a URI fragment: RFC 6901 escaping,
// then percent-encoding (the validator path-unescapes fragments).
func fragment(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(escapeToken(t)))
	}
	return b.String()
}

func displayFragment(tokens []string) string {
	return "#" + pointer(tokens)
}

func (s *Spec) validateAt(body []byte, tokens ...string) error {
	sch, err := s.compile(tokens...)
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("openapi: body is not valid JSON: %w", err)
	}
	if err := sch.Validate(v); err != nil {
		return newValidationError(displayFragment(tokens), err)
	}
	return nil
}

// Validate validates body against #/components/schemas/<schemaName>. A
// mismatch is reported as a *ValidationError listing every violation with
// its JSON pointer.
func (s *Spec) Validate(schemaName string, body []byte) error {
	if !s.HasSchema(schemaName) {
		return fmt.Errorf("openapi: no schema #/components/schemas/%s", schemaName)
	}
	return s.validateAt(body, "components", "schemas", schemaName)
}

// ValidateResponse validates body against the schema of
// paths[path][method].responses[status].content["application/json"].
//
// path is either a key of the document's paths (e.g. "/v1/models/{model_id}"
// or "/v1/messages?beta=true") or a concrete request path
// ("/v1/models/claude-opus-4-6", optionally with "?beta=true") matched
// against the templates. The status is looked up as "404", then "4XX"
// (any case), then "default". A response without JSON content only
// accepts an empty body.
func (s *Spec) ValidateResponse(method, path string, status int, body []byte) error {
	pathKey, err := s.matchPath(path)
	if err != nil {
		return err
	}
	method = strings.ToLower(method)
	op, _ := s.pathItem(pathKey)[method].(map[string]any)
	if op == nil {
		return fmt.Errorf("openapi: no operation %s %s", strings.ToUpper(method), pathKey)
	}
	responses, _ := op["responses"].(map[string]any)
	code := strconv.Itoa(status)
	var statusKey string
	for _, k := range []string{code, code[:1] + "XX", code[:1] + "xx", "default"} {
		if _, ok := responses[k]; ok {
			statusKey = k
			break
		}
	}
	if statusKey == "" {
		return fmt.Errorf("openapi: %s %s does not document status %d", strings.ToUpper(method), pathKey, status)
	}
	resp, _ := responses[statusKey].(map[string]any)
	content, _ := resp["content"].(map[string]any)
	mediaType := "application/json"
	if _, ok := content[mediaType]; !ok {
		mediaType = ""
		for mt := range content {
			if strings.HasSuffix(strings.SplitN(mt, ";", 2)[0], "json") {
				mediaType = mt
				break
			}
		}
	}
	if mediaType == "" {
		if len(bytes.TrimSpace(body)) == 0 {
			return nil
		}
		return fmt.Errorf("openapi: %s %s %s documents no JSON body, got %d bytes", strings.ToUpper(method), pathKey, statusKey, len(body))
	}
	if mt, _ := content[mediaType].(map[string]any); mt["schema"] == nil {
		return fmt.Errorf("openapi: %s %s %s %s has no schema", strings.ToUpper(method), pathKey, statusKey, mediaType)
	}
	return s.validateAt(body, "paths", pathKey, method, "responses", statusKey, "content", mediaType, "schema")
}

func (s *Spec) pathItem(key string) map[string]any {
	paths, _ := s.doc["paths"].(map[string]any)
	m, _ := paths[key].(map[string]any)
	return m
}

// matchPath maps a concrete request path to a key of the paths object.
func (s *Spec) matchPath(path string) (string, error) {
	if s.pathItem(path) != nil {
		return path, nil
	}
	reqPath, query, _ := strings.Cut(path, "?")
	want := strings.Split(strings.Trim(reqPath, "/"), "/")
	paths, _ := s.doc["paths"].(map[string]any)
	var best string
	bestLiterals := -1
	for key := range paths {
		keyPath, keyQuery, _ := strings.Cut(key, "?")
		if keyQuery != query {
			continue
		}
		segs := strings.Split(strings.Trim(keyPath, "/"), "/")
		if len(segs) != len(want) {
			continue
		}
		literals := 0
		ok := true
		for i, seg := range segs {
			if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
				continue
			}
			if seg != want[i] {
				ok = false
				break
			}
			literals++
		}
		if ok && (literals > bestLiterals || literals == bestLiterals && key < best) {
			best, bestLiterals = key, literals
		}
	}
	if best == "" {
		return "", fmt.Errorf("openapi: no path in the document matches %q", path)
	}
	return best, nil
}

// ValidateEvent validates one SSE data payload (the JSON after "data: ").
//
// Event types covered by the stream-event schema's discriminator
// (MessageStreamEvent in the current document: message_start,
// content_block_start, content_block_delta, content_block_stop,
// message_delta, message_stop) are validated against it.
//
// The document does not describe the two other events the real API
// streams, so:
//   - "ping" is accepted only as exactly {"type":"ping"};
//   - "error" is validated against #/components/schemas/ErrorResponse
//     (so it needs "type":"error", an "error" object with a known
//     error type and a message, and "request_id", which may be null).
//
// Anything else is validated against the stream schema and therefore fails.
func (s *Spec) ValidateEvent(body []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("openapi: event is not valid JSON: %w", err)
	}
	obj, _ := v.(map[string]any)
	typ, _ := obj["type"].(string)
	if s.streamSchema != "" && s.streamTypes[typ] {
		return s.Validate(s.streamSchema, body)
	}
	switch typ {
	case "ping":
		if len(obj) != 1 {
			extra := make([]string, 0, len(obj))
			for k := range obj {
				if k != "type" {
					extra = append(extra, k)
				}
			}
			sort.Strings(extra)
			return &ValidationError{Target: "ping event", Violations: []Violation{{
				Pointer: "", Keyword: "additionalProperties",
				Message: fmt.Sprintf(`a ping event is exactly {"type":"ping"}; unexpected properties %s`, strings.Join(extra, ", ")),
			}}}
		}
		return nil
	case "error":
		return s.Validate("ErrorResponse", body)
	}
	if s.streamSchema == "" {
		return errors.New("openapi: the document has no stream-event schema")
	}
	return s.Validate(s.streamSchema, body)
}

// Properties returns the sorted top-level property names of
// #/components/schemas/<schemaName>, following $ref and collecting the
// properties of allOf members. It returns nil for an unknown schema.
func (s *Spec) Properties(schemaName string) []string {
	sch := s.Schema(schemaName)
	if sch == nil {
		return nil
	}
	set := map[string]bool{}
	s.collectProps(sch, set, 0)
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Required returns the sorted names in the top-level "required" list of
// #/components/schemas/<schemaName> (following $ref and allOf), as
// validated: without the [Exemptions].
func (s *Spec) Required(schemaName string) []string {
	sch := s.Schema(schemaName)
	if sch == nil {
		return nil
	}
	set := map[string]bool{}
	s.collectRequired(sch, set, 0)
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

const maxRefDepth = 32

func (s *Spec) resolve(sch map[string]any) map[string]any {
	for i := 0; i < maxRefDepth; i++ {
		ref, _ := sch["$ref"].(string)
		if ref == "" {
			return sch
		}
		name, ok := strings.CutPrefix(ref, "#/components/schemas/")
		if !ok {
			return sch
		}
		next := s.Schema(name)
		if next == nil {
			return sch
		}
		sch = next
	}
	return sch
}

func (s *Spec) collectProps(sch map[string]any, set map[string]bool, depth int) {
	if depth > maxRefDepth {
		return
	}
	sch = s.resolve(sch)
	props, _ := sch["properties"].(map[string]any)
	for k := range props {
		set[k] = true
	}
	all, _ := sch["allOf"].([]any)
	for _, m := range all {
		if mm, ok := m.(map[string]any); ok {
			s.collectProps(mm, set, depth+1)
		}
	}
}

func (s *Spec) collectRequired(sch map[string]any, set map[string]bool, depth int) {
	if depth > maxRefDepth {
		return
	}
	sch = s.resolve(sch)
	req, _ := sch["required"].([]any)
	for _, r := range req {
		if name, ok := r.(string); ok {
			set[name] = true
		}
	}
	all, _ := sch["allOf"].([]any)
	for _, m := range all {
		if mm, ok := m.(map[string]any); ok {
			s.collectRequired(mm, set, depth+1)
		}
	}
}

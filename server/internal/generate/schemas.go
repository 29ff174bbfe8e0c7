package generate

import (
	"encoding/json"
	"sync"
)

// schemas caches decoded JSON Schemas by their text: a client sends the
// same tool definitions with every request, and decoding one is most of
// what generating its input allocates. A decoded schema is only read,
// never changed (merge and withoutAllOf build new maps), so one copy
// serves every request at once.
var schemas = schemaCache{byText: map[string]map[string]any{}}

// The cache's bounds: a schema larger than maxCachedSchema is decoded each
// time, and the cache starts over when it would hold more than
// maxCachedSchemas or more than maxCachedBytes of schema text, so that
// clients sending ever new schemas cannot grow it without end.
const (
	maxCachedSchema  = 16 << 10
	maxCachedSchemas = 256
	maxCachedBytes   = 1 << 20
)

type schemaCache struct {
	mu     sync.RWMutex
	byText map[string]map[string]any
	bytes  int // the text of the schemas held
}

// decodeSchema is raw decoded as a JSON object; nil when it is not one.
func decodeSchema(raw json.RawMessage) map[string]any {
	if len(raw) > maxCachedSchema {
		return decodeObject(raw)
	}
	schemas.mu.RLock()
	root, ok := schemas.byText[string(raw)]
	schemas.mu.RUnlock()
	if ok {
		return root
	}
	root = decodeObject(raw)
	if root == nil {
		return nil
	}
	schemas.mu.Lock()
	if len(schemas.byText) >= maxCachedSchemas || schemas.bytes+len(raw) > maxCachedBytes {
		clear(schemas.byText)
		schemas.bytes = 0
	}
	if _, held := schemas.byText[string(raw)]; !held {
		schemas.bytes += len(raw)
	}
	schemas.byText[string(raw)] = root
	schemas.mu.Unlock()
	return root
}

// decodeObject is raw decoded as a JSON object; nil when it is not one.
func decodeObject(raw json.RawMessage) map[string]any {
	var root map[string]any
	if json.Unmarshal(raw, &root) != nil {
		return nil
	}
	return root
}

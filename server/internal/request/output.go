package server

import (
	"bytes"
	"encoding/json"
)

// parseOutput reads output_config once: its effort level, checked against
// the model later (checkEffort), and the structured-output schema:
// output_config.format (generally available) or the deprecated beta
// top-level output_format.
// Both are validated; when both are given output_config.format is used.
// The beta header output_format was introduced with is not required, and
// the schema itself is not judged (any JSON object is taken), so no
// schema a real client sends is refused.
func parseOutput(raw *rawParams, out *params) error {
	var format json.RawMessage
	if len(raw.OutputConfig) > 0 && !isNull(raw.OutputConfig) {
		f := fields{"effort": &out.effort, "format": &format, "task_budget": nil}
		if err := decodeObject(raw.OutputConfig, "output_config", f); err != nil {
			return err
		}
	}
	current, err := jsonOutputFormat(format, "output_config.format")
	if err != nil {
		return err
	}
	legacy, err := jsonOutputFormat(raw.OutputFormat, "output_format")
	if err != nil {
		return err
	}
	out.format = current
	if current == nil {
		out.format = legacy
	}
	return nil
}

// jsonOutputFormat validates one JsonOutputFormat
// ({"type":"json_schema","schema":{…}}) and returns its schema; nil when
// the field is absent or null.
func jsonOutputFormat(raw json.RawMessage, path string) (json.RawMessage, error) {
	if len(raw) == 0 || isNull(raw) {
		return nil, nil
	}
	var typ *string
	var schema json.RawMessage
	if err := decodeObject(raw, path, fields{"type": &typ, "schema": &schema}); err != nil {
		return nil, err
	}
	switch {
	case typ == nil:
		return nil, invalid("%s.type: Field required", path)
	case *typ != "json_schema":
		return nil, invalid("%s.type: Input should be 'json_schema'", path)
	case schema == nil:
		return nil, invalid("%s.schema: Field required", path)
	case !bytes.HasPrefix(bytes.TrimSpace(schema), []byte("{")):
		return nil, invalid("%s.schema: Input should be a valid dictionary", path)
	}
	return schema, nil
}

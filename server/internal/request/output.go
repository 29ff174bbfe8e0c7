package request

import (
	"bytes"
	"encoding/json"

	"github.com/claudemock/claudemock/server/internal/apierror"
)

// parseOutput reads output_config once: its effort level, checked against
// the model later (checkEffort), and the structured-output schema:
// output_config.format (generally available) or the deprecated beta
// top-level output_format.
// Both are validated; when both are given output_config.format is used.
// The beta header output_format was introduced with is not required, and
// the schema itself is not judged (any JSON object is taken), so no
// schema a real client sends is refused.
func parseOutput(raw *rawParams, out *Request) error {
	format, err := outputConfig(raw.OutputConfig, out)
	if err != nil {
		return err
	}
	current, err := jsonOutputFormat(format, "output_config.format")
	if err != nil {
		return err
	}
	legacy, err := jsonOutputFormat(raw.OutputFormat, "output_format")
	if err != nil {
		return err
	}
	out.Format = current
	if current == nil {
		out.Format = legacy
	}
	return nil
}

// outputConfig decodes output_config, setting out.Effort, and returns its
// format (nil when absent).
func outputConfig(raw json.RawMessage, out *Request) (json.RawMessage, error) {
	if len(raw) == 0 || IsNull(raw) {
		return nil, nil
	}
	var format json.RawMessage
	f := Fields{"effort": &out.Effort, "format": &format, "task_budget": nil}
	if err := DecodeObject(raw, "output_config", f); err != nil {
		return nil, err
	}
	return format, nil
}

// jsonOutputFormat validates one JsonOutputFormat
// ({"type":"json_schema","schema":{…}}) and returns its schema; nil when
// the field is absent or null.
func jsonOutputFormat(raw json.RawMessage, path string) (json.RawMessage, error) {
	if len(raw) == 0 || IsNull(raw) {
		return nil, nil
	}
	var typ *string
	var schema json.RawMessage
	if err := DecodeObject(raw, path, Fields{"type": &typ, "schema": &schema}); err != nil {
		return nil, err
	}
	switch {
	case typ == nil:
		return nil, apierror.Invalid("%s.type: Field required", path)
	case *typ != "json_schema":
		return nil, apierror.Invalid("%s.type: Input should be 'json_schema'", path)
	case schema == nil:
		return nil, apierror.Invalid("%s.schema: Field required", path)
	case !bytes.HasPrefix(bytes.TrimSpace(schema), []byte("{")):
		return nil, apierror.Invalid("%s.schema: Input should be a valid dictionary", path)
	}
	return schema, nil
}

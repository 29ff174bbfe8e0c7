package request

import (
	"encoding/json"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/jsonscan"
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

// outputConfig decodes output_config, setting out.Effort, and returns the
// JSON text of its format ("" when absent or null).
func outputConfig(v string, out *Request) (string, error) {
	if isNull(v) {
		return "", nil
	}
	if v[0] != '{' {
		return "", apierror.Invalid("output_config: Input should be a valid dictionary")
	}
	var buf [4]member
	ms := members(v, buf[:0])
	if bad, fault := strictFault(ms, func(key string) (kind, bool) {
		switch key {
		case "format", "task_budget":
			return anyValue, true
		}
		return stringValue, key == "effort"
	}); fault != "" {
		return "", apierror.Invalid("output_config.%s: %s", bad, fault)
	}
	if effort := messageValue(ms, "effort"); effort != "" {
		level := jsonscan.Unquote(effort)
		out.Effort = &level
	}
	return messageValue(ms, "format"), nil
}

// jsonOutputFormat validates one JsonOutputFormat
// ({"type":"json_schema","schema":{…}}) and returns its schema; nil when
// the field is absent or null.
func jsonOutputFormat(v string, path string) (json.RawMessage, error) {
	if isNull(v) {
		return nil, nil
	}
	if v[0] != '{' {
		return nil, apierror.Invalid("%s: Input should be a valid dictionary", path)
	}
	var buf [4]member
	ms := members(v, buf[:0])
	if bad, fault := strictFault(ms, func(key string) (kind, bool) {
		if key == "schema" {
			return anyValue, true
		}
		return stringValue, key == "type"
	}); fault != "" {
		return nil, apierror.Invalid("%s.%s: %s", path, bad, fault)
	}
	typ, schema := messageValue(ms, "type"), messageValue(ms, "schema")
	switch {
	case typ == "":
		return nil, apierror.Invalid("%s.type: Field required", path)
	case jsonscan.Unquote(typ) != "json_schema":
		return nil, apierror.Invalid("%s.type: Input should be 'json_schema'", path)
	case schema == "":
		return nil, apierror.Invalid("%s.schema: Field required", path)
	case schema[0] != '{':
		return nil, apierror.Invalid("%s.schema: Input should be a valid dictionary", path)
	}
	return rawJSON(schema), nil
}

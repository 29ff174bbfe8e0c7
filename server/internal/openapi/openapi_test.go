package openapi_test

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/openapi"
)

// minimalMessage is the smallest Message the schema accepts: every
// required field present, every nullable one null.
const minimalMessage = `{
  "id": "msg_01",
  "type": "message",
  "role": "assistant",
  "content": [{"type": "text", "text": "Hello!", "citations": null}],
  "model": "claude-opus-4-6",
  "stop_reason": "end_turn",
  "stop_sequence": null,
  "stop_details": null,
  "usage": {
    "input_tokens": 10,
    "output_tokens": 5,
    "cache_creation": null,
    "cache_creation_input_tokens": null,
    "cache_read_input_tokens": null,
    "inference_geo": null,
    "output_tokens_details": null,
    "server_tool_use": null,
    "service_tier": null,
    "speed": null
  },
  "diagnostics": null,
  "container": null
}`

// fullMessage fills the nullable objects the way the real API does.
const fullMessage = `{
  "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
  "type": "message",
  "role": "assistant",
  "content": [
    {"type": "thinking", "thinking": "Let me think.", "signature": "c2ln"},
    {"type": "text", "text": "Calling a tool.", "citations": null},
    {"type": "tool_use", "id": "toolu_01A", "name": "get_weather", "input": {"city": "Paris"}, "caller": {"type": "direct"}}
  ],
  "model": "claude-sonnet-4-5",
  "stop_reason": "tool_use",
  "stop_sequence": null,
  "stop_details": null,
  "usage": {
    "input_tokens": 2095,
    "output_tokens": 503,
    "cache_creation": {"ephemeral_1h_input_tokens": 0, "ephemeral_5m_input_tokens": 0},
    "cache_creation_input_tokens": 0,
    "cache_read_input_tokens": 0,
    "inference_geo": "global",
    "output_tokens_details": {"thinking_tokens": 12},
    "server_tool_use": {"web_fetch_requests": 0, "web_search_requests": 0},
    "service_tier": "standard",
    "speed": "standard"
  },
  "diagnostics": {"cache_miss_reason": null},
  "container": {"id": "container_1", "expires_at": "2026-09-21T00:00:00Z", "skills": null}
}`

const modelCapabilities = `{
  "batch": {"supported": true},
  "citations": {"supported": true},
  "code_execution": {"supported": false},
  "context_management": {"supported": true, "clear_thinking_20251015": null, "clear_tool_uses_20250919": {"supported": true}, "compact_20260112": null},
  "effort": {"supported": true, "low": {"supported": true}, "medium": {"supported": true}, "high": {"supported": true}, "max": {"supported": false}, "xhigh": null},
  "image_input": {"supported": true},
  "pdf_input": {"supported": true},
  "server_tools": {"supported": false, "code_execution": {"supported": false}, "web_search": {"supported": false}},
  "structured_outputs": {"supported": true},
  "thinking": {"supported": true, "types": {"adaptive": {"supported": true}, "between_tools": {"supported": false}, "disabled": {"supported": true}, "enabled": {"supported": true}}}
}`

func decode(s string) map[string]any {
	var m map[string]any
	ExpectWithOffset(1, json.Unmarshal([]byte(s), &m)).To(Succeed())
	return m
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	ExpectWithOffset(1, err).NotTo(HaveOccurred())
	return b
}

// modelInfoFromSpecExamples builds a ModelInfo from the `examples` the
// document gives for each ModelInfo property (the document has no
// whole-object example); properties without an example get a hand-written
// value.
func modelInfoFromSpecExamples() map[string]any {
	props := spec.Schema("ModelInfo")["properties"].(map[string]any)
	m := map[string]any{
		"type":             "model",
		"lifecycle":        "active",
		"deprecated_at":    nil,
		"retires_at":       nil,
		"max_input_tokens": 200000,
		"max_tokens":       64000,
		"capabilities":     decode(modelCapabilities),
	}
	used := 0
	for name, p := range props {
		ex, ok := p.(map[string]any)["examples"].([]any)
		if ok && len(ex) > 0 {
			m[name] = ex[0]
			used++
		}
	}
	ExpectWithOffset(1, used).To(BeNumerically(">=", 3), "spec examples for ModelInfo properties")
	return m
}

func violations(err error) []openapi.Violation {
	var ve *openapi.ValidationError
	ExpectWithOffset(1, errors.As(err, &ve)).To(BeTrue(), "want *openapi.ValidationError, got %v", err)
	return ve.Violations
}

var _ = Describe("Spec", func() {
	Describe("locating the document", func() {
		It("finds the SDK's mock-spec.json.gz without a hard-coded path", func() {
			if os.Getenv(openapi.EnvSpec) != "" {
				Skip(openapi.EnvSpec + " is set")
			}
			p, err := openapi.Locate()
			Expect(err).NotTo(HaveOccurred())
			Expect(filepath.ToSlash(p)).To(HaveSuffix("/scripts/mock-spec.json.gz"))
			Expect(filepath.ToSlash(p)).To(ContainSubstring("github.com/anthropics/anthropic-sdk-go@"))
			Expect(spec.Path).To(Equal(p))
		})

		It("honours CLAUDEMOCK_OPENAPI_SPEC with plain and gzipped JSON", func() {
			dir := GinkgoT().TempDir()
			doc := `{"openapi":"3.1.0","paths":{},"components":{"schemas":{"Thing":{"type":"object","required":["n"],"properties":{"n":{"type":"integer"}}}}}}`
			plain := filepath.Join(dir, "spec.json")
			Expect(os.WriteFile(plain, []byte(doc), 0o600)).To(Succeed())
			gz := filepath.Join(dir, "spec.json.gz")
			f, err := os.Create(gz)
			Expect(err).NotTo(HaveOccurred())
			zw := gzip.NewWriter(f)
			_, err = zw.Write([]byte(doc))
			Expect(err).NotTo(HaveOccurred())
			Expect(zw.Close()).To(Succeed())
			Expect(f.Close()).To(Succeed())

			for _, p := range []string{plain, gz} {
				GinkgoT().Setenv(openapi.EnvSpec, p)
				Expect(openapi.Locate()).To(Equal(p))
				s, err := openapi.Load()
				Expect(err).NotTo(HaveOccurred())
				Expect(s.Path).To(Equal(p))
				Expect(s.Validate("Thing", []byte(`{"n":1}`))).To(Succeed())
				Expect(s.Validate("Thing", []byte(`{}`))).To(MatchError(ContainSubstring("'n'")))
			}
		})
	})

	Describe("Validate Message", func() {
		It("accepts a minimal valid Message", func() {
			Expect(spec.Validate("Message", []byte(minimalMessage))).To(Succeed())
		})

		It("accepts a Message with thinking, text and tool_use blocks and filled usage", func() {
			Expect(spec.Validate("Message", []byte(fullMessage))).To(Succeed())
		})

		It("rejects a Message without usage.input_tokens, naming it", func() {
			m := decode(minimalMessage)
			delete(m["usage"].(map[string]any), "input_tokens")
			err := spec.Validate("Message", encode(m))
			Expect(err).To(MatchError(ContainSubstring("input_tokens")))
			Expect(violations(err)).To(ContainElement(SatisfyAll(
				HaveField("Pointer", "/usage"),
				HaveField("Keyword", "required"),
			)))
		})

		It("rejects a wrong type const", func() {
			m := decode(minimalMessage)
			m["type"] = "completion"
			err := spec.Validate("Message", encode(m))
			Expect(err).To(HaveOccurred())
			Expect(violations(err)).To(ContainElement(HaveField("Pointer", "/type")))
		})

		DescribeTable("really requires the newer fields real responses carry",
			func(path []string) {
				m := decode(minimalMessage)
				obj := m
				for _, p := range path[:len(path)-1] {
					obj = obj[p].(map[string]any)
				}
				delete(obj, path[len(path)-1])
				Expect(spec.Validate("Message", encode(m))).To(MatchError(ContainSubstring("'" + path[len(path)-1] + "'")))
			},
			Entry("stop_details", []string{"stop_details"}),
			Entry("usage.inference_geo", []string{"usage", "inference_geo"}),
			Entry("usage.service_tier", []string{"usage", "service_tier"}),
		)

		It("lists every violation with its JSON pointer and prunes unrelated alternatives", func() {
			m := decode(minimalMessage)
			delete(m, "id")
			m["stop_reason"] = "finished"
			m["content"] = []any{map[string]any{"type": "text"}}
			err := spec.Validate("Message", encode(m))
			Expect(err).To(MatchError(SatisfyAll(
				ContainSubstring(`at "": missing property 'id'`),
				ContainSubstring(`at "/stop_reason"`),
				ContainSubstring(`at "/content/0": missing property 'text'`),
			)))
			// only the "text" alternative of ContentBlock is reported
			Expect(err.Error()).NotTo(Or(ContainSubstring("'input'"), ContainSubstring("'signature'"), ContainSubstring("'data'")))
			Expect(violations(err)).To(HaveLen(3))
		})

		It("rejects malformed JSON", func() {
			Expect(spec.Validate("Message", []byte(`{"id":`))).To(MatchError(ContainSubstring("not valid JSON")))
			Expect(spec.Validate("Message", []byte(minimalMessage+`{}`))).To(HaveOccurred())
		})

		It("reports unknown schema names", func() {
			Expect(spec.Validate("NoSuchSchema", []byte(`{}`))).To(MatchError(ContainSubstring("NoSuchSchema")))
		})
	})

	Describe("exemptions", func() {
		// realMessage has the shape of a recorded 2026 reply (the values
		// are made up): no citations, diagnostics, container, speed,
		// server_tool_use or output_tokens_details.
		const realMessage = `{"model":"claude-sonnet-4-6","id":"msg_01","type":"message","role":"assistant",
			"content":[{"type":"text","text":"Hi"},{"type":"tool_use","id":"toolu_01","name":"f","input":{},"caller":{"type":"direct"}}],
			"stop_reason":"tool_use","stop_sequence":null,"stop_details":null,
			"usage":{"input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,
				"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},
				"output_tokens":5,"service_tier":"standard","inference_geo":"global"}}`

		It("all apply to the SDK's document, each with its reason", func() {
			Expect(spec.Exempted()).To(Equal(openapi.Exemptions))
			Expect(openapi.Exemptions).To(HaveLen(24))
			for _, e := range openapi.Exemptions {
				Expect(e.Reason).NotTo(BeEmpty(), e.Schema+"."+e.Property)
			}
		})

		It("accept a Message shaped like a real 2026 reply", func() {
			Expect(spec.Validate("Message", []byte(realMessage))).To(Succeed())
			Expect(spec.ValidateResponse("post", "/v1/messages", 200, []byte(realMessage))).To(Succeed())
			Expect(spec.ValidateResponse("post", "/v1/messages?beta=true", 200, []byte(realMessage))).To(Succeed())
		})

		DescribeTable("let an exempt key be absent",
			func(schema, body string) {
				Expect(spec.Validate(schema, []byte(body))).To(Succeed())
			},
			Entry("text block citations", "ResponseTextBlock", `{"type":"text","text":"Hi"}`),
			Entry("beta text block citations", "BetaResponseTextBlock", `{"type":"text","text":"Hi"}`),
			Entry("usage speed, server_tool_use, output_tokens_details", "Usage",
				`{"input_tokens":1,"output_tokens":1,"cache_creation":null,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"inference_geo":"global","service_tier":"standard"}`),
			Entry("message_delta delta container", "MessageDelta", `{"stop_reason":"end_turn","stop_sequence":null,"stop_details":null}`),
			Entry("message_delta usage server_tool_use, output_tokens_details", "MessageDeltaUsage",
				`{"input_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":2}`),
		)

		It("let the events of a real stream leave them out", func() {
			Expect(spec.ValidateEvent([]byte(`{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`))).To(Succeed())
			Expect(spec.ValidateEvent([]byte(`{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null,"stop_details":null},` +
				`"usage":{"input_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":2,"output_tokens_details":{"thinking_tokens":1}}}`))).To(Succeed())
		})

		It("still check an exempt key's value when it is present", func() {
			err := spec.Validate("ResponseTextBlock", []byte(`{"type":"text","text":"Hi","citations":"none"}`))
			Expect(violations(err)).To(ContainElement(HaveField("Pointer", "/citations")))
		})

		DescribeTable("still require every other key",
			func(schema, body, missing string) {
				Expect(spec.Validate(schema, []byte(body))).To(MatchError(ContainSubstring("missing property '" + missing + "'")))
			},
			Entry("text block text", "ResponseTextBlock", `{"type":"text"}`, "text"),
			Entry("tool_use caller", "ResponseToolUseBlock", `{"type":"tool_use","id":"toolu_01","name":"f","input":{}}`, "caller"),
			Entry("message stop_details", "Message", strings.Replace(realMessage, `"stop_details":null,`, "", 1), "stop_details"),
			Entry("usage inference_geo", "Usage",
				`{"input_tokens":1,"output_tokens":1,"cache_creation":null,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"service_tier":"standard"}`, "inference_geo"),
			Entry("message_delta stop_details", "MessageDelta", `{"stop_reason":"end_turn","stop_sequence":null}`, "stop_details"),
			Entry("message_delta usage cache_read_input_tokens", "MessageDeltaUsage",
				`{"input_tokens":1,"cache_creation_input_tokens":0,"output_tokens":2}`, "cache_read_input_tokens"),
		)

		It("apply only where the document requires the key, and say which did", func() {
			doc := `{"openapi":"3.1.0","paths":{},"components":{"schemas":{
				"Message":{"type":"object","required":["id","container"],"properties":{"id":{"type":"string"},"container":{"type":["object","null"]}}},
				"Usage":{"type":"object","required":["input_tokens"],"properties":{"input_tokens":{"type":"integer"}}}}}}`
			p := filepath.Join(GinkgoT().TempDir(), "spec.json")
			Expect(os.WriteFile(p, []byte(doc), 0o600)).To(Succeed())
			s, err := openapi.LoadFile(p)
			Expect(err).NotTo(HaveOccurred())
			Expect(s.Exempted()).To(HaveLen(1))
			Expect(s.Exempted()[0].Schema + "." + s.Exempted()[0].Property).To(Equal("Message.container"))
			Expect(s.Validate("Message", []byte(`{"id":"msg_01"}`))).To(Succeed())
			Expect(s.Validate("Message", []byte(`{"container":null}`))).To(MatchError(ContainSubstring("missing property 'id'")))
			Expect(s.Required("Message")).To(Equal([]string{"id"}))
		})
	})

	Describe("Validate ErrorResponse", func() {
		It("accepts a valid error", func() {
			Expect(spec.Validate("ErrorResponse", []byte(`{"type":"error","error":{"type":"not_found_error","message":"model: x"},"request_id":"req_1"}`))).To(Succeed())
		})

		It("rejects an unknown error type", func() {
			err := spec.Validate("ErrorResponse", []byte(`{"type":"error","error":{"type":"bogus","message":"model: x"},"request_id":"req_1"}`))
			Expect(err).To(MatchError(SatisfyAll(ContainSubstring("/error/type"), ContainSubstring("not_found_error"))))
		})
	})

	Describe("Validate models", func() {
		It("accepts a ModelInfo built from the spec's examples", func() {
			Expect(spec.Validate("ModelInfo", encode(modelInfoFromSpecExamples()))).To(Succeed())
		})

		It("accepts a ListResponse_ModelInfo_", func() {
			list := map[string]any{
				"data":     []any{modelInfoFromSpecExamples()},
				"first_id": "claude-opus-5-5",
				"last_id":  "claude-opus-5-5",
				"has_more": false,
			}
			Expect(spec.Validate("ListResponse_ModelInfo_", encode(list))).To(Succeed())
			empty := `{"data":[],"first_id":null,"last_id":null,"has_more":false}`
			Expect(spec.Validate("ListResponse_ModelInfo_", []byte(empty))).To(Succeed())
		})

		It("asserts date-time formats (RFC 3339) without rejecting valid ones", func() {
			m := modelInfoFromSpecExamples()
			for _, ok := range []string{"2026-09-21T00:00:00Z", "2025-02-19T00:00:00.123456789Z", "2025-02-19T10:00:00+02:00", "1970-01-01T00:00:00Z"} {
				m["created_at"] = ok
				Expect(spec.Validate("ModelInfo", encode(m))).To(Succeed(), ok)
			}
			for _, bad := range []string{"2026-09-21 00:00:00", "2026-09-21", "2026-09-21T00:00:00"} {
				m["created_at"] = bad
				Expect(spec.Validate("ModelInfo", encode(m))).To(MatchError(ContainSubstring("/created_at")), bad)
			}
		})
	})

	Describe("ValidateResponse", func() {
		It("validates the count_tokens 200 response", func() {
			Expect(spec.ValidateResponse("post", "/v1/messages/count_tokens", 200, []byte(`{"input_tokens": 5}`))).To(Succeed())
			Expect(spec.ValidateResponse("POST", "/v1/messages/count_tokens", 200, []byte(`{"tokens": 5}`))).To(MatchError(ContainSubstring("input_tokens")))
		})

		It("matches concrete paths against templates", func() {
			body := encode(modelInfoFromSpecExamples())
			Expect(spec.ValidateResponse("GET", "/v1/models/claude-opus-4-6", 200, body)).To(Succeed())
			Expect(spec.ValidateResponse("GET", "/v1/models/{model_id}", 200, body)).To(Succeed())
			Expect(spec.ValidateResponse("GET", "/v1/models/claude-opus-4-6", 404,
				[]byte(`{"type":"error","error":{"type":"not_found_error","message":"model: x"},"request_id":"req_1"}`))).To(Succeed())
			Expect(spec.ValidateResponse("GET", "/v1/models", 200, []byte(`{"data":[],"first_id":null,"last_id":null,"has_more":false}`))).To(Succeed())
		})

		It("uses the inline per-status schemas of /v1/messages", func() {
			Expect(spec.ValidateResponse("POST", "/v1/messages", 200, []byte(minimalMessage))).To(Succeed())
			Expect(spec.ValidateResponse("POST", "/v1/messages", 400,
				[]byte(`{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"},"request_id":"req_1"}`))).To(Succeed())
			Expect(spec.ValidateResponse("POST", "/v1/messages", 400,
				[]byte(`{"type":"error","error":{"type":"not_found_error","message":"x"},"request_id":"req_1"}`))).To(MatchError(ContainSubstring("/error/type")))
			Expect(spec.ValidateResponse("POST", "/v1/messages", 529,
				[]byte(`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":null}`))).To(Succeed())
		})

		It("reports undocumented paths, methods and statuses", func() {
			Expect(spec.ValidateResponse("GET", "/v1/nope", 200, []byte(`{}`))).To(MatchError(ContainSubstring("/v1/nope")))
			Expect(spec.ValidateResponse("DELETE", "/v1/messages", 200, []byte(`{}`))).To(MatchError(ContainSubstring("no operation")))
			Expect(spec.ValidateResponse("POST", "/v1/messages", 418, []byte(`{}`))).To(MatchError(ContainSubstring("418")))
		})
	})

	Describe("ValidateEvent", func() {
		It("uses MessageStreamEvent for the six message events", func() {
			name, types := spec.StreamEventSchemaName()
			Expect(name).To(Equal("MessageStreamEvent"))
			Expect(types).To(ConsistOf("message_start", "content_block_start", "content_block_delta",
				"content_block_stop", "message_delta", "message_stop"))
		})

		messageStart := func() []byte {
			m := decode(minimalMessage)
			m["content"] = []any{}
			m["stop_reason"] = nil
			m["usage"].(map[string]any)["output_tokens"] = 1
			return encode(map[string]any{"type": "message_start", "message": m})
		}

		It("accepts message_start with a full message", func() {
			Expect(spec.ValidateEvent(messageStart())).To(Succeed())
		})

		DescribeTable("accepts hand-written events",
			func(body string) {
				Expect(spec.ValidateEvent([]byte(body))).To(Succeed())
			},
			Entry("content_block_start text", `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":"","citations":null}}`),
			Entry("content_block_start tool_use", `{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{},"caller":{"type":"direct"}}}`),
			Entry("content_block_start thinking", `{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}`),
			Entry("content_block_delta text_delta", `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}`),
			Entry("content_block_delta input_json_delta", `{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\": \"Pa"}}`),
			Entry("content_block_delta thinking_delta", `{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Hmm"}}`),
			Entry("content_block_delta signature_delta", `{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"c2ln"}}`),
			Entry("content_block_stop", `{"type":"content_block_stop","index":0}`),
			Entry("message_delta with usage", `{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null,"stop_details":null,"container":null},"usage":{"input_tokens":10,"output_tokens":15,"cache_creation_input_tokens":null,"cache_read_input_tokens":null,"output_tokens_details":null,"server_tool_use":null}}`),
			Entry("message_stop", `{"type":"message_stop"}`),
			Entry("ping", `{"type":"ping"}`),
			Entry("error", `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}`),
		)

		DescribeTable("rejects bad events",
			func(body, wantSubstring string) {
				Expect(spec.ValidateEvent([]byte(body))).To(MatchError(ContainSubstring(wantSubstring)))
			},
			Entry("wrong delta type", `{"type":"content_block_delta","index":0,"delta":{"type":"text","text":"Hello"}}`, "/delta/type"),
			Entry("message_delta without usage", `{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null,"stop_details":null,"container":null}}`, "'usage'"),
			Entry("ping with extras", `{"type":"ping","x":1}`, "x"),
			Entry("error with unknown type", `{"type":"error","error":{"type":"bogus","message":"m"},"request_id":null}`, "/error/type"),
			Entry("unknown event", `{"type":"message_pause"}`, "/type"),
			Entry("not JSON", `data: {}`, "not valid JSON"),
		)
	})

	Describe("Properties", func() {
		It("lists the top-level request fields", func() {
			Expect(spec.Properties("CreateMessageParams")).To(ContainElements("model", "messages", "max_tokens", "thinking", "output_config"))
			Expect(spec.Required("CreateMessageParams")).To(ConsistOf("model", "messages", "max_tokens"))
			Expect(spec.Properties("NoSuchSchema")).To(BeNil())
		})
	})

	It("compiles schemas whose ECMA-262 patterns use \\u escapes", func() {
		ok := `{"tab_id":"t1","title":"Example","url":"https://example.com"}`
		Expect(spec.Validate("BrowserStateTabEntry", []byte(ok))).To(Succeed())
		bad := `{"tab_id":"t1","title":"a\u2028b","url":""}`
		Expect(spec.Validate("BrowserStateTabEntry", []byte(bad))).To(MatchError(ContainSubstring("/title")))
	})

	It("is safe for concurrent use", func() {
		s, err := openapi.Load() // fresh cache, so compilation races too
		Expect(err).NotTo(HaveOccurred())
		bodies := map[string]string{
			"Message":                    minimalMessage,
			"ErrorResponse":              `{"type":"error","error":{"type":"api_error","message":"x"},"request_id":null}`,
			"CountMessageTokensResponse": `{"input_tokens":1}`,
			"MessageStopEvent":           `{"type":"message_stop"}`,
		}
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for i := 0; i < 8; i++ {
			for name, body := range bodies {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs <- s.Validate(name, []byte(body))
				}()
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			Expect(err).NotTo(HaveOccurred())
		}
	})
})

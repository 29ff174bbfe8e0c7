package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/claudemock/claudemock/server"
)

// FuzzMessages throws arbitrary bodies at POST /v1/messages and
// count_tokens: the answer must always be a 200 or one of the real API's
// error envelopes, never a 500, a panic or a non-JSON body.
func FuzzMessages(f *testing.F) {
	for _, seed := range []string{
		hello, ``, `{`, `[]`, `null`, `{"model":1}`,
		`{"model":"claude-haiku-4-5","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}]}`,
		`{"model":"claude-haiku-4-5","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"x"}],"tools":[{"name":"t","input_schema":{"$ref":"#"}}],"tool_choice":{"type":"any"}}`,
		`{"model":"claude-haiku-4-5","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"a","name":"b","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"a"}]}]}`,
		`{"model":"claude-haiku-4-5","max_tokens":5000,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"x"}],"system":[{"type":"text","text":"s"}]}`,
		`{"model":"claude-haiku-4-5","max_tokens":50,"output_config":{"format":{"type":"json_schema","schema":{"properties":{"a":{"$ref":"#"}},"required":["a"]}}},"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"claude-haiku-4-5","max_tokens":50,"output_format":{"type":"json_schema","schema":{"type":"string","pattern":"^(a|b)+$"}},"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"claude-haiku-4-5","max_tokens":50,"tools":[{"name":"do_it","input_schema":{"required":["x"]}}],"messages":[{"role":"user","content":[{"type":"text","text":"do it"}]}]}`,
	} {
		f.Add(seed)
	}
	s, err := server.New(server.Options{})
	if err != nil {
		f.Fatal(err)
	}
	h := s.Handler()
	f.Fuzz(func(t *testing.T, body string) {
		for _, rec := range postBoth(h, body) {
			checkFuzzReply(t, rec)
		}
	})
}

// postBoth sends body to both POST endpoints and returns the answers.
func postBoth(h http.Handler, body string) []*httptest.ResponseRecorder {
	var out []*httptest.ResponseRecorder
	for _, path := range []string{"/v1/messages", "/v1/messages/count_tokens"} {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("x-api-key", "k")
		req.Header.Set("anthropic-version", "2023-06-01")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		out = append(out, rec)
	}
	return out
}

func checkFuzzReply(t *testing.T, rec *httptest.ResponseRecorder) {
	if rec.Code == 200 {
		return
	}
	var env struct {
		Type  string `json:"type"`
		Error struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"error"`
		RequestID string `json:"request_id"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil || env.Type != "error" || env.Error.Message == "" {
		t.Fatalf("status %d with a body that is not the envelope: %q", rec.Code, rec.Body)
	}
	if rec.Code >= 500 {
		t.Fatalf("server error %d: %s", rec.Code, rec.Body)
	}
}

// fuzzScenario injects a fault or a scripted reply into about half the
// fuzzed requests; its faults answer below 500, so a 5xx still means a bug.
const fuzzScenario = `name: fuzz
clock: {mode: manual}
faults:
  - when: {probability: 0.1}
    rate_limit: {dimension: input_tokens}
  - when: {probability: 0.1}
    status: {code: 418, type: invalid_request_error}
  - when: {probability: 0.1}
    credit_exhausted: {}
  - match: {stream: true}
    when: {every: 2}
    stream_error: {after_events: 4}
  - match: {stream: true}
    when: {every: 3}
    malformed_event: {break: frame}
  - when: {every: 5}
    disconnect: {after_bytes: 40}
replies:
  - when: {every: 2}
    thinking: {length: 3}
    tool_use: {name: t}
    usage: {cache_creation_input_tokens: 7}
  - when: {every: 3}
    text: "scripted"
    stop_reason: refusal
`

// FuzzScenarioMessages is FuzzMessages with a scenario playing: faults,
// cut streams and scripted replies must never turn a body into a panic.
func FuzzScenarioMessages(f *testing.F) {
	f.Add(hello)
	f.Add(`{"model":"claude-haiku-4-5","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"x"}],"tools":[{"name":"t","input_schema":{"type":"object","properties":{"a":{"type":"integer"}}}}]}`)
	f.Add(`{"model":"claude-opus-4-5","max_tokens":1,"messages":[{"role":"user","content":"x"}]}`)
	s, err := server.New(server.Options{Scenario: []byte(fuzzScenario)})
	if err != nil {
		f.Fatal(err)
	}
	h := s.Handler()
	f.Fuzz(func(t *testing.T, body string) {
		for _, rec := range postBoth(h, body) {
			if rec.Code != 418 {
				checkFuzzReply(t, rec)
			}
		}
	})
}

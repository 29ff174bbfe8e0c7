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
	} {
		f.Add(seed)
	}
	s, err := server.New(server.Options{})
	if err != nil {
		f.Fatal(err)
	}
	h := s.Handler()
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/v1/messages", "/v1/messages/count_tokens"} {
			req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
			req.Header.Set("x-api-key", "k")
			req.Header.Set("anthropic-version", "2023-06-01")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			checkFuzzReply(t, rec)
		}
	})
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

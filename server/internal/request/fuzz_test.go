package request_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/claudemock/claudemock"
	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/jsonscan"
	"github.com/claudemock/claudemock/server/internal/request"
)

// FuzzParse throws arbitrary bodies at Parse, as a Messages and as a
// count_tokens body: it must never panic, and every refusal must be an
// *apierror.Error with something to say. The one-pass decoder must accept
// exactly the bodies CheckSyntax (encoding/json, then the UTF-8 and
// surrogate rules) lets through: JSON objects.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		hello, ``, `{`, `[]`, `null`, `{"model":1}`, "{\"a\":\"\\ud800\"}",
		`{"model":"claude-haiku-4-5","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"a","name":"b","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"a"}]}]}`,
		`{"model":"claude-haiku-4-5","max_tokens":5000,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"x"}],"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral","ttl":"1h"}}]}`,
		`{"model":"claude-haiku-4-5","max_tokens":100,"messages":[{"role":"user","content":[{"TYPE":"text","Text":"h\u00e9","type":null,"ſource":1}]}]}`,
		`{"model":"claude-haiku-4-5","max_tokens":100,"zz":1,"top_k":"x","messages":[{"role":"user","content":"x"}],"messages":null}`,
		`{"model":"claude-haiku-4-5","max_tokens":50,"output_config":{"format":{"type":"json_schema","schema":{}}},"messages":[{"role":"user","content":"x"},{"role":"system","content":"y"}]}`,
	} {
		f.Add(seed)
	}
	cat, err := catalog.Load("tiers.yaml", claudemock.Tiers)
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	betas := []string{"mid-conversation-system-2026-04-07", "prompt-caching-scope-2026-01-05"}
	f.Fuzz(func(t *testing.T, body string) {
		scanned := jsonscan.Valid(body) && strings.TrimLeft(body, " \t\r\n")[0] == '{'
		if checked := request.CheckSyntax([]byte(body)) == nil; scanned != checked {
			t.Fatalf("jsonscan.Valid says %v of %q, CheckSyntax %v", scanned, body, checked)
		}
		for _, forCount := range []bool{false, true} {
			r, err := request.Parse(cat, []byte(body), forCount, betas, now)
			var apiErr *apierror.Error
			switch {
			case err == nil && r == nil:
				t.Fatalf("no request and no refusal for %q", body)
			case err != nil && (!errors.As(err, &apiErr) || apiErr.Message == ""):
				t.Fatalf("refusal %#v for %q is no worded *apierror.Error", err, body)
			}
		}
	})
}

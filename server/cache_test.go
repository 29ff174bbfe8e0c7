package server_test

import (
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

// cached is a Haiku 4.5 request whose system prompt (sys tokens) carries a
// cache breakpoint, followed by a user message of user tokens.
func cached(sys, user int, ttl string) string {
	cc := `{"type":"ephemeral"}`
	if ttl != "" {
		cc = `{"type":"ephemeral","ttl":"` + ttl + `"}`
	}
	return fmt.Sprintf(`{"model":"claude-haiku-4-5","max_tokens":100,"system":[{"type":"text","text":%q,"cache_control":%s}],"messages":[{"role":"user","content":%q}]}`,
		strings.Repeat("abcd", sys), cc, strings.Repeat("abcd", user))
}

var _ = Describe("Prompt caching", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{Clock: "manual", Start: start})
	})

	usage := func(r reply) map[string]any {
		Expect(r.status).To(Equal(200), string(r.body))
		return r.json()["usage"].(map[string]any)
	}

	It("writes the cached prefix, then reads it back inside the TTL", func() {
		// Prefix: 7 request + 3 system + 5,000 = 5,010 (Haiku 4.5 caches from 4,096); then 3 + 20.
		first := usage(c.post("/v1/messages", cached(5000, 20, "")))
		Expect(first["input_tokens"]).To(BeEquivalentTo(23))
		Expect(first["cache_creation_input_tokens"]).To(BeEquivalentTo(5010))
		Expect(first["cache_read_input_tokens"]).To(BeEquivalentTo(0))
		Expect(first["cache_creation"]).To(Equal(map[string]any{"ephemeral_5m_input_tokens": 5010.0, "ephemeral_1h_input_tokens": 0.0}))

		_, err := s.Advance(4 * time.Minute)
		Expect(err).NotTo(HaveOccurred())
		second := usage(c.post("/v1/messages", cached(5000, 20, "")))
		Expect(second["input_tokens"]).To(BeEquivalentTo(23))
		Expect(second["cache_creation_input_tokens"]).To(BeEquivalentTo(0))
		Expect(second["cache_read_input_tokens"]).To(BeEquivalentTo(5010))

		_, err = s.Advance(6 * time.Minute) // 10 minutes since the last use: expired
		Expect(err).NotTo(HaveOccurred())
		Expect(usage(c.post("/v1/messages", cached(5000, 20, "")))["cache_creation_input_tokens"]).To(BeEquivalentTo(5010))
	})

	It("reports 1h writes separately and keeps them past five minutes", func() {
		first := usage(c.post("/v1/messages", cached(5000, 20, "1h")))
		Expect(first["cache_creation"]).To(Equal(map[string]any{"ephemeral_5m_input_tokens": 0.0, "ephemeral_1h_input_tokens": 5010.0}))
		_, err := s.Advance(30 * time.Minute)
		Expect(err).NotTo(HaveOccurred())
		Expect(usage(c.post("/v1/messages", cached(5000, 20, "1h")))["cache_read_input_tokens"]).To(BeEquivalentTo(5010))
	})

	It("caches nothing below the model's minimum, and count_tokens ignores the cache", func() {
		Expect(usage(c.post("/v1/messages", cached(1000, 20, "")))["cache_creation_input_tokens"]).To(BeEquivalentTo(0))
		c.post("/v1/messages", cached(5000, 20, ""))
		count := c.post("/v1/messages/count_tokens", strings.Replace(cached(5000, 20, ""), `"max_tokens":100,`, "", 1)).json()
		Expect(count["input_tokens"]).To(BeEquivalentTo(5010 + 23))
	})

	It("gives a streamed reply the same cache usage", func() {
		c.post("/v1/messages", cached(5000, 20, ""))
		whole := c.post("/v1/messages", cached(5000, 20, "")).json()["usage"]
		streamed := accumulate(events(c.post("/v1/messages", strings.Replace(cached(5000, 20, ""), `{"model"`, `{"stream":true,"model"`, 1)).body))
		Expect(streamed["usage"]).To(Equal(whole))
	})

	It("counts cache reads out of ITPM: an 80% hit rate admits about five times the input", func() {
		// Each request: 8,010 cached + 2,003 uncached tokens. Tier-1 Haiku 4.5: 50,000 ITPM.
		Expect(s.SetTier(s.DefaultOrganization(), "tier-1")).To(Succeed())
		body := cached(8000, 2000, "")
		Expect(c.post("/v1/messages", body).status).To(Equal(200)) // writes: costs 10,013
		admitted := 1
		for c.post("/v1/messages", body).status == 200 {
			admitted++
		}
		Expect(admitted).To(Equal(1 + (50000-10013)/2003)) // 20 more, at 2,003 each
		total := admitted * 10013
		Expect(float64(total) / 50000).To(BeNumerically(">", 4)) // ~4.2× at one instant; 5× over a minute
	})
})

package server_test

import (
	"bytes"
	"log"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

var _ = Describe("The access log", func() {
	var (
		c    *client
		logs *bytes.Buffer
	)

	BeforeEach(func() {
		logs = &bytes.Buffer{}
		_, c = newServer(server.Options{Logger: log.New(logs, "", 0)})
	})

	It("writes one line per request, a path's escaped newline included, so none can be forged", func() {
		c.do("GET", "/v1/x%0afake%20200%20line%0d%0a", "")
		lines := strings.Split(strings.TrimSuffix(logs.String(), "\n"), "\n")
		Expect(lines).To(HaveLen(1))
		Expect(lines[0]).To(HavePrefix("GET /v1/x%0afake%20200%20line%0d%0a 404 req_011C"))
	})

	It("ends the line of a request that names a test with the name, quoted", func() {
		c.post("/v1/messages", hello, "x-claudemock-test", `retry "fast"`)
		c.post("/v1/messages", hello)
		lines := strings.Split(strings.TrimSuffix(logs.String(), "\n"), "\n")
		Expect(lines).To(HaveLen(2))
		Expect(lines[0]).To(MatchRegexp(`^POST /v1/messages 200 req_011C\w{20} \S+ test "retry \\"fast\\""$`))
		Expect(lines[1]).To(MatchRegexp(`^POST /v1/messages 200 req_011C\w{20} \S+$`))
	})
})

var _ = Describe("The control API's YAML bodies", func() {
	var c *client

	BeforeEach(func() {
		c = newClient(server.Options{})
	})

	DescribeTable("are refused over 4 MiB with a 413, before any decoding",
		func(method, path string) {
			huge := "name: big\ndescription: " + strings.Repeat("x", 4<<20) + "\n"
			r := c.do(method, path, huge)
			Expect(r.status).To(Equal(413))
			Expect(string(r.body)).To(Equal(`{"error":{"type":"request_too_large","message":"control API bodies are limited to 4 MiB"}}`))
		},
		Entry("a scenario", "PUT", "/_mock/scenario"),
		Entry("an organizations file", "PUT", "/_mock/organizations"),
	)

	It("still load a file just under the limit", func() {
		body := "name: big\ndescription: " + strings.Repeat("x", 4<<20-64) + "\n"
		Expect(c.do("PUT", "/_mock/scenario", body).status).To(Equal(200))
	})
})

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
})

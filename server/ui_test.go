package server_test

import (
	"encoding/base64"
	"regexp"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

// basic is an Authorization header carrying password as Basic's password,
// as a browser sends what its prompt was given.
func basic(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}

var _ = Describe("The dashboard page, GET /_mock/ui", func() {
	It("is one self-contained HTML page: nothing to load from anywhere else", func() {
		r := newClient(server.Options{}).do("GET", "/_mock/ui", "")
		Expect(r.status).To(Equal(200))
		Expect(r.header.Get("Content-Type")).To(Equal("text/html; charset=utf-8"))
		Expect(r.header.Get("Cache-Control")).To(Equal("no-store"))
		Expect(r.header.Get("Content-Security-Policy")).To(Equal("default-src 'none'; script-src 'unsafe-inline'; " +
			"style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"))
		page := string(r.body)
		Expect(page).To(HavePrefix("<!doctype html>"))
		Expect(page).To(ContainSubstring("<title>claudemock dashboard</title>"))
		Expect(regexp.MustCompile(`(?i)\b(src|href)\s*=|@import|url\(`).FindAllString(page, -1)).To(BeEmpty())
		Expect(regexp.MustCompile(`fetch\(|"/_mock/[a-z]+"`).FindAllString(page, -1)).To(Equal([]string{
			"fetch(", `"/_mock/state"`, `"/_mock/scenario"`, `"/_mock/report"`, `"/_mock/requests"`}))
	})

	Context("with a control token", func() {
		var c *client

		BeforeEach(func() {
			c = newClient(server.Options{ControlToken: "s3cret"})
		})

		It("is refused without it, with a Basic challenge a browser answers with a prompt", func() {
			r := c.do("GET", "/_mock/ui", "")
			status, typ, msg := r.errorOf()
			Expect([]any{status, typ, msg}).To(Equal([]any{401, "authentication_error",
				"control API: Authorization: Bearer <control token> required"}))
			Expect(r.header.Get("WWW-Authenticate")).To(Equal(`Basic realm="claudemock control API", charset="UTF-8"`))
			Expect(c.do("GET", "/_mock/ui", "", "Authorization", basic("me", "guess")).status).To(Equal(401))
		})

		It("is served for the token as Bearer, or as Basic's password under any user name", func() {
			for _, auth := range []string{"Bearer s3cret", basic("me", "s3cret"), basic("", "s3cret")} {
				r := c.do("GET", "/_mock/ui", "", "Authorization", auth)
				Expect([]any{r.status, r.header.Get("Content-Type"), r.header.Get("WWW-Authenticate")}).To(
					Equal([]any{200, "text/html; charset=utf-8", ""}), auth)
			}
		})

		It("lets the page's requests through with Basic too; other refusals carry no challenge", func() {
			Expect(c.do("GET", "/_mock/state", "", "Authorization", basic("me", "s3cret")).status).To(Equal(200))
			r := c.do("GET", "/_mock/state", "")
			Expect([]any{r.status, r.header.Values("WWW-Authenticate")}).To(Equal([]any{401, []string(nil)}))
		})
	})
})

var _ = Describe("Spend against the cap in GET /_mock/state", func() {
	It("is the tier's monthly_spend_limit, or the organization's own limit when lower", func() {
		s, c := newServer(server.Options{Clock: "manual", Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Tier: "tier-1"})
		spendCap := func() any {
			return c.do("GET", "/_mock/state", "").json()["organizations"].([]any)[0].(map[string]any)["spend_cap"]
		}
		Expect(spendCap()).To(Equal(100.0))
		Expect(c.do("PUT", "/_mock/organizations/"+s.DefaultOrganization(), `{"spend_limit": 7.5}`).status).To(Equal(200))
		Expect(spendCap()).To(Equal(7.5))
		Expect(*s.State().Organizations[0].SpendCap).To(Equal(7.5))
	})
})

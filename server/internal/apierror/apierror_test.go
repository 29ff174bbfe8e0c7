package apierror_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/apierror"
)

var _ = Describe("the error vocabulary", func() {
	It("lists the kinds in the order the API documents them", func() {
		Expect(apierror.Kinds()).To(Equal([]string{"invalid_request_error", "authentication_error", "billing_error",
			"permission_error", "not_found_error", "request_too_large", "rate_limit_error", "api_error", "timeout_error",
			"overloaded_error"}))
	})

	DescribeTable("ties each kind to one status and its wording",
		func(k apierror.Kind, status int, message string) {
			Expect([]any{k.Status(), k.Message()}).To(Equal([]any{status, message}))
			back, ok := apierror.ForStatus(status)
			Expect([]any{back, ok}).To(Equal([]any{k, true}))
		},
		Entry("invalid request", apierror.InvalidRequest, 400, "Invalid request"),
		Entry("authentication", apierror.Authentication, 401, "invalid x-api-key"),
		Entry("billing", apierror.Billing, 402, "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."),
		Entry("permission", apierror.Permission, 403, "Your API key does not have permission to use the specified resource."),
		Entry("not found", apierror.NotFound, 404, "The requested resource could not be found."),
		Entry("request too large", apierror.RequestTooLarge, 413, "Request exceeds the maximum size"),
		Entry("rate limit", apierror.RateLimit, 429, "Number of requests has exceeded your rate limit. Please try again later."),
		Entry("api error", apierror.APIFailure, 500, "Internal server error"),
		Entry("timeout", apierror.Timeout, 504, "Request timed out"),
		Entry("overloaded", apierror.Overloaded, 529, "Overloaded"),
	)

	It("knows no status or wording for a kind the API does not have", func() {
		k := apierror.Kind("teapot_error")
		Expect([]any{k.Status(), k.Message()}).To(Equal([]any{0, ""}))
	})

	It("has no kind for a status the API sends none with", func() {
		k, ok := apierror.ForStatus(418)
		Expect([]any{k, ok}).To(Equal([]any{apierror.Kind(""), false}))
	})
})

var _ = Describe("Error", func() {
	It("words an invalid request with its kind and the formatted message", func() {
		err := apierror.Invalid("%s: Field required", "model")
		Expect(*err).To(Equal(apierror.Error{Kind: apierror.InvalidRequest, Message: "model: Field required"}))
		Expect(err.Error()).To(Equal("invalid_request_error: model: Field required"))
	})
})

var _ = DescribeTable("ShouldRetry names the x-should-retry of an error status",
	func(status int, want string) { Expect(apierror.ShouldRetry(status)).To(Equal(want)) },
	Entry("400", 400, "false"), Entry("401", 401, "false"), Entry("404", 404, "false"), Entry("413", 413, "false"),
	Entry("408", 408, ""), Entry("409", 409, ""), Entry("429, left to the refusal", 429, ""),
	Entry("500", 500, "true"), Entry("529", 529, "true"),
	Entry("502", 502, ""), Entry("503", 503, ""), Entry("504", 504, ""),
	Entry("200", 200, ""),
)

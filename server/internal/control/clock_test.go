package control_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/control"
)

var _ = Describe("the clock and credit bodies", func() {
	invalid := func(message string) error { return apierror.Invalid("%s", message) }

	It("read the time to set, in RFC 3339", func() {
		t, err := control.DecodeTime([]byte(`{"now":"2026-01-01T00:00:00Z"}`))
		Expect(err).NotTo(HaveOccurred())
		Expect(t).To(Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
		_, err = control.DecodeTime([]byte(`{"now":"yesterday"}`))
		Expect(err).To(Equal(invalid(`now: "yesterday" is not an RFC 3339 time such as "2026-01-01T00:00:00Z"`)))
		_, err = control.DecodeTime([]byte(`{}`))
		Expect(err).To(Equal(invalid("now: Field required")))
	})

	It("read an advance as a duration or as seconds, never both", func() {
		d, err := control.DecodeAdvance([]byte(`{"duration":"1m30s"}`))
		Expect(err).NotTo(HaveOccurred())
		Expect(d).To(Equal(90 * time.Second))
		d, err = control.DecodeAdvance([]byte(`{"seconds":1.5}`))
		Expect(err).NotTo(HaveOccurred())
		Expect(d).To(Equal(1500 * time.Millisecond))
		_, err = control.DecodeAdvance([]byte(`{"duration":"90s","seconds":90}`))
		Expect(err).To(Equal(invalid("give either duration or seconds, not both")))
		_, err = control.DecodeAdvance([]byte(`{"seconds":1e300}`))
		Expect(err).To(Equal(invalid("seconds: must be between 0 and 9223372036 (about 292 years), got 1e+300")))
		_, err = control.DecodeAdvance([]byte(`{}`))
		Expect(err).To(Equal(invalid("duration: Field required (or seconds)")))
	})

	It("read a credit purchase", func() {
		amount, err := control.DecodeAmount([]byte(`{"amount":40}`))
		Expect(err).NotTo(HaveOccurred())
		Expect(amount).To(Equal(40.0))
		_, err = control.DecodeAmount([]byte(`{"amount":"forty"}`))
		Expect(err).To(HaveOccurred())
		Expect(err.Error()).To(HavePrefix("invalid_request_error: amount: "))
		_, err = control.DecodeAmount([]byte(`{}`))
		Expect(err).To(Equal(invalid("amount: Field required")))
	})
})

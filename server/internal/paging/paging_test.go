package paging_test

import (
	"slices"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/paging"
)

var _ = Describe("Limit", func() {
	DescribeTable("reads a page size between 1 and most, the default when absent",
		func(raw string, want int, refusal string) {
			n, err := paging.Limit(raw, 20, 1000)
			if refusal != "" {
				Expect(err).To(Equal(apierror.Invalid("%s", refusal)))
				return
			}
			Expect(err).NotTo(HaveOccurred())
			Expect(n).To(Equal(want))
		},
		Entry("absent", "", 20, ""),
		Entry("in range", "7", 7, ""),
		Entry("the most", "1000", 1000, ""),
		Entry("not a number", "ten", 0, "limit: Input should be a valid integer, unable to parse string as an integer"),
		Entry("zero", "0", 0, "limit: Input should be greater than or equal to 1"),
		Entry("too many", "1001", 0, "limit: Input should be less than or equal to 1000"),
	)
})

var _ = Describe("Window", func() {
	ids := []string{"e", "d", "c", "b", "a"} // newest first
	index := func(id string) int { return slices.Index(ids, id) }
	window := func(after, before string, limit int) []any {
		lo, hi, more, err := paging.Window(len(ids), index, after, before, limit, "thing")
		return []any{lo, hi, more, err}
	}

	It("pages from the start, after a cursor, and before one", func() {
		Expect(window("", "", 2)).To(Equal([]any{0, 2, true, nil}))
		Expect(window("d", "", 2)).To(Equal([]any{2, 4, true, nil}))
		Expect(window("b", "", 2)).To(Equal([]any{4, 5, false, nil}))
		Expect(window("", "b", 2)).To(Equal([]any{1, 3, true, nil}))
		Expect(window("", "d", 2)).To(Equal([]any{0, 1, false, nil}))
	})

	It("refuses an unknown cursor naming the list's noun, and both cursors at once", func() {
		Expect(window("x", "", 2)[3]).To(Equal(apierror.Invalid("after_id: no thing with id x")))
		Expect(window("", "x", 2)[3]).To(Equal(apierror.Invalid("before_id: no thing with id x")))
		Expect(window("a", "b", 2)[3]).To(Equal(apierror.Invalid("after_id and before_id cannot both be set")))
	})
})

package run_test

import (
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/run"
)

var _ = Describe("a run", func() {
	var r *run.Run
	BeforeEach(func() { r = run.New(nil, 7, t0) })

	It("finds a named test's namespace again, and lists the default one first, then the tests by name", func() {
		b, err := r.Named("b", t0)
		Expect(err).NotTo(HaveOccurred())
		_, err = r.Named("a", t0)
		Expect(err).NotTo(HaveOccurred())
		again, err := r.Named("b", t0)
		Expect(err).NotTo(HaveOccurred())
		Expect(again).To(BeIdenticalTo(b))
		Expect(r.Find("b")).To(BeIdenticalTo(b))
		Expect(names(r.All())).To(Equal([]string{"", "a", "b"}))
	})

	It("reads a test that sent nothing as an empty namespace without keeping it", func() {
		Expect(r.Find("ghost").Journal.Len()).To(Equal(0))
		Expect(names(r.All())).To(Equal([]string{""}))
	})

	It("numbers each namespace's requests on its own, with its own mix", func() {
		a, _ := r.Named("a", t0)
		a.Next()
		seq, mix := a.Next()
		def, defMix := r.Find("").Next()
		Expect([]uint64{seq, def, defMix}).To(Equal([]uint64{2, 1, 0}))
		Expect(mix).NotTo(BeZero())
	})

	It("refuses the 1,001st name with ErrFull, and still finds the first thousand", func() {
		for i := range run.MaxTests {
			_, err := r.Named(fmt.Sprint("test-", i), t0)
			Expect(err).NotTo(HaveOccurred())
		}
		_, err := r.Named("one-too-many", t0)
		Expect(err).To(MatchError(run.ErrFull))
		Expect(err.Error()).To(Equal("the run already keeps the most tests it will"))
		_, err = r.Named("test-999", t0)
		Expect(err).NotTo(HaveOccurred())
	})

	DescribeTable("refuses a bad name with its problem",
		func(name, problem string) {
			Expect(run.NameProblem(name)).To(Equal(problem))
			_, err := r.Named(name, t0)
			Expect(err).To(MatchError(problem))
		},
		Entry("the wildcard", "*", `"*" is reserved: it stands for every test in the control API`),
		Entry("too long", strings.Repeat("x", 257), "a test name is at most 256 bytes, got 257"),
		Entry("a control character", "a\nb", `a test name is printable ASCII (letters, digits, spaces and punctuation), got "a\nb"`),
		Entry("non-ASCII", "café", `a test name is printable ASCII (letters, digits, spaces and punctuation), got "caf\u00e9"`),
	)

	It("keeps the journals within the bound together, the longest giving way first", func() {
		r.LimitJournals(30)
		a, _ := r.Named("a", t0)
		b, _ := r.Named("b", t0)
		record(r, r.Find(""), 5)
		record(r, a, 20)
		record(r, b, 6)
		Expect([]int{r.Find("").Journal.Len(), a.Journal.Len(), b.Journal.Len()}).To(Equal([]int{5, 18, 6}))
		Expect([]int{r.Find("").Journal.Dropped(), a.Journal.Dropped(), b.Journal.Dropped()}).To(Equal([]int{0, 2, 0}))
	})
})

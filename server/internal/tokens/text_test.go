package tokens_test

import (
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/tokens"
)

var _ = Describe("Text", func() {
	DescribeTable("counts ceil(ASCII bytes / 4) plus one per non-ASCII rune",
		func(s string, want int) {
			Expect(tokens.Text(s)).To(Equal(want))
		},
		Entry("empty", "", 0),
		Entry("one ASCII byte", "a", 1),
		Entry("four ASCII bytes", "abcd", 1),
		Entry("five ASCII bytes", "abcde", 2),
		Entry("Hi", "Hi", 1),
		Entry("Hello, world", "Hello, world", 3),
		Entry("CJK", "日本語", 3),
		Entry("mixed Latin", "héllo", 2),              // 4 ASCII → 1, é → 1
		Entry("mixed CJK and ASCII", "Hello, 世界!", 4), // 8 ASCII → 2, 2 runes
		Entry("emoji", "👍🏽", 2),
		Entry("long ASCII crosses the 8-byte fast path", strings.Repeat("x", 1001), 251),
		Entry("long CJK crosses the 8-byte fast path", strings.Repeat("語", 100), 100),
		Entry("a stray continuation byte adds nothing", "\x80\x80", 0),
		Entry("an invalid lead byte counts as a rune", "\xff", 1),
	)

	It("is monotonic over a table of growing strings", func() {
		growing := []string{
			"", "H", "Hi", "Hi ", "Hi t", "Hi th", "Hi the", "Hi there",
			"Hi there,", "Hi there, 世", "Hi there, 世界", "Hi there, 世界 🌍",
			"Hi there, 世界 🌍" + strings.Repeat(" and more", 40),
		}
		for i := 1; i < len(growing); i++ {
			Expect(tokens.Text(growing[i])).To(BeNumerically(">=", tokens.Text(growing[i-1])), "%q", growing[i])
		}
	})

	It("is monotonic byte by byte, even through a split UTF-8 sequence", func() {
		s := "a日本\xe8\xaa\x9e語b\x80c"
		for i := 1; i <= len(s); i++ {
			Expect(tokens.Text(s[:i])).To(BeNumerically(">=", tokens.Text(s[:i-1])))
		}
	})

	It("does not allocate", func() {
		s := strings.Repeat("Hello, 世界. ", 100)
		Expect(testing.AllocsPerRun(100, func() { tokens.Text(s) })).To(BeZero())
	})
})

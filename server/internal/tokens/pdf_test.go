package tokens_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/tokens"
)

var _ = Describe("PDFPages", func() {
	It("counts the /Type /Page objects of a three-page PDF, whatever the whitespace", func() {
		Expect(tokens.PDFPages([]byte(threePagePDF))).To(Equal(3))
		Expect(tokens.PDFPagesBase64(b64([]byte(threePagePDF)))).To(Equal(3))
		Expect(tokens.PDFPagesBase64(mime(b64([]byte(threePagePDF))))).To(Equal(3))
	})

	DescribeTable("reads names exactly",
		func(pdf string, want int) {
			Expect(tokens.PDFPages([]byte(pdf))).To(Equal(want))
			Expect(tokens.PDFPagesBase64(b64([]byte(pdf)))).To(Equal(want))
		},
		Entry("empty data is 0", "", 0),
		Entry("data without pages is at least 1", "%PDF-1.7 compressed object streams", 1),
		Entry("/Pages is not a page", "/Type /Pages /Type /Pages", 1),
		Entry("a page at the very end", "<</Type /Pages>> <</Type/Page", 1),
		Entry("delimiters end the name", "/Type/Page/A /Type/Page>> /Type/Page( /Type/Page[ /Type/Page%", 5),
		Entry("a longer name is not /Page", "/Type /PageX /Type /Pagez", 1),
		Entry("whitespace of every kind", "/Type\x00\t\n\f\r /Page ", 1),
		Entry("other dictionary keys do not count", "/Subtype /Page /Type /Catalog /Page", 1),
	)

	It("counts the same across every split of the 8 KiB base64 window", func() {
		for pad := 8150; pad < 8200; pad++ {
			pdf := strings.Repeat("%", pad) + threePagePDF
			Expect(tokens.PDFPagesBase64(b64([]byte(pdf)))).To(Equal(3), "pad %d", pad)
		}
	})

	It("keeps a marker whose whitespace runs across many windows", func() {
		pdf := "/Type" + strings.Repeat(" ", 30000) + "/Page /Type" + strings.Repeat("\n", 9000) + "/Pages"
		Expect(tokens.PDFPages([]byte(pdf))).To(Equal(1))
		Expect(tokens.PDFPagesBase64(b64([]byte(pdf)))).To(Equal(1))
	})

	It("survives garbage", func() {
		Expect(tokens.PDFPagesBase64("not base64 at all")).To(Equal(1)) // "not" decodes to bytes before the space
		Expect(tokens.PDFPagesBase64("!!!!")).To(Equal(0))
	})
})

package request_test

import (
	"encoding/base64"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/request"
)

// twoPages is a PDF whose page tree names two pages.
const twoPages = "%PDF-1.4 <</Type /Page>> <</Type /Page>>"

// withBlock is a Messages body whose one user message holds block.
func withBlock(block string) []byte {
	return []byte(`{"model":"claude-haiku-4-5","max_tokens":10,"messages":[{"role":"user","content":[` + block + `,{"type":"text","text":"Sum up."}]}]}`)
}

var _ = Describe("ParseWithFiles", func() {
	stored := map[string]string{"file_pdf": "application/pdf", "file_txt": "text/plain"}
	files := request.FileFunc(func(id string) (string, []byte, bool) {
		switch stored[id] {
		case "application/pdf":
			return "application/pdf", []byte(twoPages), true
		case "text/plain":
			return "text/plain", []byte("plain words"), true
		}
		return "", nil, false
	})
	beta := []string{"files-api-2025-04-14"}

	parsed := func(block string, betas []string) (*request.Request, error) {
		return request.ParseWithFiles(cat, withBlock(block), false, betas, received, files)
	}

	It("counts a file exactly as its bytes sent inline", func() {
		byFile, err := parsed(`{"type":"document","source":{"type":"file","file_id":"file_pdf"}}`, beta)
		Expect(err).NotTo(HaveOccurred())
		inline, err := parsed(`{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"`+
			base64.StdEncoding.EncodeToString([]byte(twoPages))+`"}}`, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(byFile.InputTokens).To(Equal(inline.InputTokens))
		Expect(byFile.Prompt).To(Equal(inline.Prompt))

		text, err := parsed(`{"type":"document","source":{"type":"file","file_id":"file_txt"}}`, beta)
		Expect(err).NotTo(HaveOccurred())
		inlineText, err := parsed(`{"type":"document","source":{"type":"text","media_type":"text/plain","data":"plain words"}}`, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(text.Prompt).To(Equal(inlineText.Prompt))
	})

	DescribeTable("refuses a file source as the real API does",
		func(block string, betas []string, want string) {
			_, err := parsed(block, betas)
			Expect(err).To(MatchError("invalid_request_error: " + want))
		},
		Entry("without the beta, in a document", `{"type":"document","source":{"type":"file","file_id":"file_pdf"}}`, nil,
			"messages.0.content.0.document.source: Input tag 'file' found using 'type' does not match any of the expected tags: 'base64', 'content', 'text', 'url'"),
		Entry("without the beta, in an image", `{"type":"image","source":{"type":"file","file_id":"file_pdf"}}`, nil,
			"messages.0.content.0.image.source: Input tag 'file' found using 'type' does not match any of the expected tags: 'base64', 'url'"),
		Entry("without a file_id", `{"type":"document","source":{"type":"file"}}`, beta,
			"messages.0.content.0.document.source.file.file_id: Field required"),
		Entry("naming no stored file", `{"type":"document","source":{"type":"file","file_id":"file_gone"}}`, beta,
			"File not found: file_gone"),
		Entry("a PDF in an image block", `{"type":"image","source":{"type":"file","file_id":"file_pdf"}}`, beta,
			"messages.0.content.0.image.source.file: File file_pdf has mime type application/pdf, which is not a supported image type: 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'"),
	)

	It("leaves a file source unresolved without a resolver, as Parse does", func() {
		r, err := request.Parse(cat, withBlock(`{"type":"document","source":{"type":"file","file_id":"file_x"}}`), false, beta, received)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Prompt.Blocks[0].Pages).To(BeZero())
	})
})

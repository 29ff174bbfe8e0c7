package files_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/files"
)

// refusal is an error's kind, status and message.
func refusal(err error) []any {
	GinkgoHelper()
	e, ok := err.(*apierror.Error)
	Expect(ok).To(BeTrue(), "want *apierror.Error, got %v", err)
	return []any{e.Kind, e.Message}
}

var _ = Describe("the Files store", func() {
	var s *files.Store

	BeforeEach(func() { s = files.New(files.Limits{}) })

	It("describes an upload with the documented defaults", func() {
		m := add(s, acme, "file_1", `C:\Users\me\report.pdf`, []byte("%PDF-1.7"))
		Expect(m).To(Equal(files.Metadata{ID: "file_1", Type: "file", Filename: "report.pdf", MimeType: "application/pdf",
			SizeBytes: 8, CreatedAt: "2026-03-01T12:00:00.000000Z"}))
		Expect(s.MaxFileBytes()).To(Equal(int64(500 << 20)))
	})

	It("draws another id when the first is taken", func() {
		add(s, acme, "file_1", "a.txt", []byte("a"))
		m, err := s.Add(files.Upload{Scope: acme, ID: "file_1", NewID: func() string { return "file_2" }, Filename: "b.txt", Data: []byte("b"), Now: now})
		Expect(err).NotTo(HaveOccurred())
		Expect(m.ID).To(Equal("file_2"))
	})

	DescribeTable("names the mime type",
		func(contentType, name string, data, want string) {
			Expect(files.MediaType(contentType, name, []byte(data))).To(Equal(want))
		},
		Entry("from the part", "text/csv; charset=utf-8", "x.bin", "a,b", "text/csv"),
		Entry("from the extension when the part says octet-stream", "application/octet-stream", "x.pdf", "", "application/pdf"),
		Entry("from the bytes when neither says", "", "noext", "\x89PNG\r\n\x1a\n....", "image/png"),
		Entry("webp by its RIFF header", "", "noext", "RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
		Entry("text when valid UTF-8", "", "noext", "héllo", "text/plain"),
		Entry("bytes otherwise", "", "noext", "\xff\xfe\x00", "application/octet-stream"),
	)

	DescribeTable("refuses what the documented rules refuse",
		func(u files.Upload, want []any) {
			u.Scope, u.ID, u.Now = acme, "file_1", now
			if u.Data == nil {
				u.Data = []byte("x")
			}
			_, err := s.Add(u)
			Expect(refusal(err)).To(Equal(want))
		},
		Entry("a forbidden character", files.Upload{Filename: "a?b.txt"}, []any{apierror.InvalidRequest,
			`file: Filename contains forbidden characters: <>:"|?*, or control characters`}),
		Entry("a control character", files.Upload{Filename: "a\tb.txt"}, []any{apierror.InvalidRequest,
			`file: Filename contains forbidden characters: <>:"|?*, or control characters`}),
		Entry("a name over 255 characters", files.Upload{Filename: strings.Repeat("a", 256)}, []any{apierror.InvalidRequest,
			"file: Filename must be between 1 and 255 characters long"}),
		Entry("an expiry under an hour", files.Upload{Filename: "a", ExpiresIn: "3599"}, []any{apierror.InvalidRequest,
			"expires_in_seconds: Input should be greater than or equal to 3600"}),
		Entry("an expiry over ninety days", files.Upload{Filename: "a", ExpiresIn: "7776001"}, []any{apierror.InvalidRequest,
			"expires_in_seconds: Input should be less than or equal to 7776000"}),
		Entry("an expiry that is no number", files.Upload{Filename: "a", ExpiresIn: "soon"}, []any{apierror.InvalidRequest,
			"expires_in_seconds: Input should be a valid integer, unable to parse string as an integer"}),
	)

	It("sets expires_at from expires_in_seconds", func() {
		m, err := s.Add(files.Upload{Scope: acme, ID: "file_1", Filename: "a", Data: []byte("x"), ExpiresIn: "3600", Now: now})
		Expect(err).NotTo(HaveOccurred())
		Expect(*m.ExpiresAt).To(Equal("2026-03-01T13:00:00.000000Z"))
	})

	It("counts storage per organization, across its workspaces", func() {
		s = files.New(files.Limits{MaxStorageBytes: 10})
		add(s, acme, "file_1", "a", []byte("12345"))
		add(s, files.Scope{Org: "org-acme", Workspace: "wrkspc_b"}, "file_2", "b", []byte("12345"))
		add(s, files.Scope{Org: "org-other"}, "file_3", "c", []byte("12345"))
		_, err := s.Add(files.Upload{Scope: acme, ID: "file_4", Filename: "d", Data: []byte("1"), Now: now})
		Expect(err.(*apierror.Error).Details).To(Equal(map[string]string{"error_code": "storage_quota_exceeded"}))
		_, err = s.Delete(acme, "file_1")
		Expect(err).NotTo(HaveOccurred())
		add(s, acme, "file_4", "d", []byte("1"))
	})

	It("resolves a file only in its own workspace, and never once deleted", func() {
		add(s, acme, "file_1", "a.txt", []byte("hello"))
		mt, data, ok := s.Resolve(acme, "file_1")
		Expect([]any{mt, string(data), ok}).To(Equal([]any{"text/plain", "hello", true}))
		_, _, ok = s.Resolve(files.Scope{Org: "org-acme", Workspace: "wrkspc_b"}, "file_1")
		Expect(ok).To(BeFalse())
		Expect(s.Delete(acme, "file_1")).To(Equal(files.Deleted{ID: "file_1", Type: "file_deleted"}))
		_, _, ok = s.Resolve(acme, "file_1")
		Expect(ok).To(BeFalse())
		_, err := s.Get(acme, "file_1")
		Expect(refusal(err)).To(Equal([]any{apierror.NotFound, "File not found: file_1"}))
	})

	Describe("listing", func() {
		BeforeEach(func() {
			for _, id := range []string{"file_a", "file_b", "file_c", "file_d", "file_e"} {
				add(s, acme, id, "f", []byte("x"))
			}
		})

		page := func(q files.Query) []any {
			GinkgoHelper()
			p, err := s.List(acme, q)
			Expect(err).NotTo(HaveOccurred())
			out := []any{}
			for _, m := range p.Data {
				out = append(out, m.ID)
			}
			next := "<nil>"
			if p.NextPage != nil {
				next = *p.NextPage
			}
			return append(out, p.HasMore, next)
		}

		It("pages newest first with next_page and after_id alike", func() {
			first, err := s.List(acme, files.Query{Limit: "2"})
			Expect(err).NotTo(HaveOccurred())
			Expect(page(files.Query{Limit: "2"})).To(Equal([]any{"file_e", "file_d", true, *first.NextPage}))
			Expect(*first.NextPage).To(HavePrefix("page_"))
			Expect(page(files.Query{Limit: "2", Page: *first.NextPage})).To(Equal(page(files.Query{Limit: "2", AfterID: "file_d"})))
			Expect(page(files.Query{Limit: "4", AfterID: "file_c"})).To(Equal([]any{"file_b", "file_a", false, "<nil>"}))
			Expect(page(files.Query{Limit: "2", BeforeID: "file_b"})).To(Equal([]any{"file_d", "file_c", true, "<nil>"}))
		})

		It("restricts to ids[], leaving unknown ones out", func() {
			Expect(page(files.Query{IDs: []string{"file_a", "file_zz", "file_c"}})).To(Equal([]any{"file_c", "file_a", false, "<nil>"}))
		})

		It("shows nothing for a scope_id: the mock keeps no session files", func() {
			Expect(page(files.Query{ScopeID: "sesn_1"})).To(Equal([]any{false, "<nil>"}))
		})

		DescribeTable("refuses a bad query",
			func(q files.Query, want string) {
				_, err := s.List(acme, q)
				Expect(refusal(err)).To(Equal([]any{apierror.InvalidRequest, want}))
			},
			Entry(nil, files.Query{Limit: "0"}, "limit: Input should be greater than or equal to 1"),
			Entry(nil, files.Query{Limit: "1001"}, "limit: Input should be less than or equal to 1000"),
			Entry(nil, files.Query{Limit: "x"}, "limit: Input should be a valid integer, unable to parse string as an integer"),
			Entry(nil, files.Query{Page: "nope"}, "page: invalid page cursor"),
			Entry(nil, files.Query{AfterID: "file_a", BeforeID: "file_b"}, "after_id and before_id cannot both be set"),
			Entry(nil, files.Query{AfterID: "file_zz"}, "after_id: no file with id file_zz"),
			Entry(nil, files.Query{IDs: []string{"file_a"}, Limit: "2"}, "ids[]: cannot be combined with page or limit"),
		)
	})
})

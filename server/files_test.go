package server_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

// threePages is a PDF whose page tree names three pages.
const threePages = "%PDF-1.4\n1 0 obj <</Type /Page>> endobj\n2 0 obj <</Type /Page>> endobj\n3 0 obj <</Type /Page>> endobj\n%%EOF\n"

// pngOf is a w×h PNG.
func pngOf(w, h int) []byte {
	var buf bytes.Buffer
	Expect(png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h)))).To(Succeed())
	return buf.Bytes()
}

// validating is SDK middleware that checks every JSON answer against the
// OpenAPI document at the path the SDK called (plain or ?beta=true); the
// Files API's only, Messages answers are checked by their own specs.
func validating(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	res, err := next(req)
	if err != nil || !strings.HasPrefix(req.URL.Path, "/v1/files") || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		return res, err
	}
	body, _ := io.ReadAll(res.Body)
	res.Body = io.NopCloser(bytes.NewReader(body))
	if res.StatusCode == 413 {
		return res, nil // the edge's body, not the API's (errors_test.go)
	}
	path := req.URL.Path
	if req.URL.Query().Get("beta") == "true" {
		path += "?beta=true"
	}
	Expect(spec.ValidateResponse(req.Method, path, res.StatusCode, body)).To(Succeed(), "%s %s: %s", req.Method, path, body)
	return res, nil
}

// sdkFor is an official Go SDK client of s with key, validating answers.
func sdkFor(s *server.Server, key string) anthropic.Client {
	return anthropic.NewClient(option.WithoutEnvironmentDefaults(), option.WithBaseURL(s.URL()),
		option.WithAPIKey(key), option.WithMaxRetries(0), option.WithMiddleware(validating))
}

// fileError is the status and error body of a refusal.
func fileError(err error) (int, map[string]any) {
	GinkgoHelper()
	var apiErr *anthropic.Error
	Expect(errors.As(err, &apiErr)).To(BeTrue(), "want *anthropic.Error, got %v", err)
	var body map[string]any
	Expect(json.Unmarshal([]byte(apiErr.RawJSON()), &body)).To(Succeed())
	return apiErr.StatusCode, body["error"].(map[string]any)
}

var filesBeta = []anthropic.AnthropicBeta{anthropic.AnthropicBetaFilesAPI2025_04_14}

func upload(c anthropic.Client, name, mediaType string, data []byte) *anthropic.BetaFileMetadata {
	GinkgoHelper()
	meta, err := c.Beta.Files.Upload(context.Background(), anthropic.BetaFileUploadParams{
		File: anthropic.File(bytes.NewReader(data), name, mediaType), Betas: filesBeta})
	Expect(err).NotTo(HaveOccurred())
	return meta
}

var _ = Describe("the Files API", func() {
	var (
		s   *server.Server
		sdk anthropic.Client
		ctx = context.Background()
	)

	BeforeEach(func() {
		s = server.RunT(GinkgoT(), server.Options{Clock: "manual", Start: start, Organizations: []byte(orgsYAML)})
		sdk = sdkFor(s, "sk-acme")
	})

	It("stores an upload and describes it, with an id drawn from the seed", func() {
		meta := upload(sdk, "dir/report.pdf", "application/pdf", []byte(threePages))
		Expect(meta.ID).To(HavePrefix("file_011C"))
		Expect(meta.ID).To(HaveLen(len("file_011CNha8iCJcU1wXNR6q4V8w")))
		raw := map[string]any{}
		Expect(json.Unmarshal([]byte(meta.RawJSON()), &raw)).To(Succeed())
		Expect(raw).To(Equal(map[string]any{"id": meta.ID, "type": "file", "filename": "report.pdf",
			"mime_type": "application/pdf", "size_bytes": float64(len(threePages)),
			"created_at": "2026-01-01T00:00:00.000000Z", "downloadable": false, "expires_at": nil}))

		got, err := sdk.Beta.Files.GetMetadata(ctx, meta.ID, anthropic.BetaFileGetMetadataParams{Betas: filesBeta})
		Expect(err).NotTo(HaveOccurred())
		Expect(got.RawJSON()).To(Equal(meta.RawJSON()))

		again := server.RunT(GinkgoT(), server.Options{Clock: "manual", Start: start, Organizations: []byte(orgsYAML)})
		Expect(upload(sdkFor(again, "sk-acme"), "report.pdf", "application/pdf", []byte(threePages)).ID).To(Equal(meta.ID))
	})

	It("takes the mime type from the part, else the name, else the bytes; names an unnamed file", func() {
		Expect(upload(sdk, "notes.txt", "application/octet-stream", []byte("hi")).MimeType).To(Equal("text/plain"))
		Expect(upload(sdk, "blob", "application/octet-stream", pngOf(2, 2)).MimeType).To(Equal("image/png"))
		Expect(upload(sdk, "", "application/pdf", []byte(threePages)).Filename).To(Equal("unnamed.pdf"))
	})

	It("lists newest first and pages through the SDK's auto-pager", func() {
		var ids []string
		for i := range 5 {
			ids = append([]string{upload(sdk, "f.txt", "text/plain", []byte{byte('a' + i)}).ID}, ids...)
		}
		var paged []string
		pager := sdk.Beta.Files.ListAutoPaging(ctx, anthropic.BetaFileListParams{Limit: anthropic.Int(2), Betas: filesBeta})
		for pager.Next() {
			paged = append(paged, pager.Current().ID)
		}
		Expect(pager.Err()).NotTo(HaveOccurred())
		Expect(paged).To(Equal(ids))

		var plain []string
		all := sdk.Files.ListAutoPaging(ctx, anthropic.FileListParams{Limit: anthropic.Int(3)})
		for all.Next() {
			plain = append(plain, all.Current().ID)
		}
		Expect(all.Err()).NotTo(HaveOccurred())
		Expect(plain).To(Equal(ids))
	})

	It("pages by id for older clients, with has_more, first_id and last_id", func() {
		var ids []string
		for range 3 {
			ids = append([]string{upload(sdk, "f.txt", "text/plain", []byte("x")).ID}, ids...)
		}
		page := map[string]any{}
		res, err := http.DefaultClient.Do(apiRequest(s, "GET", "/v1/files?limit=1&after_id="+ids[0], "sk-acme", nil, ""))
		Expect(err).NotTo(HaveOccurred())
		body, _ := io.ReadAll(res.Body)
		Expect(spec.ValidateResponse("get", "/v1/files", 200, body)).To(Succeed())
		Expect(json.Unmarshal(body, &page)).To(Succeed())
		Expect(page["has_more"]).To(BeTrue())
		Expect(page["first_id"]).To(Equal(ids[1]))
		Expect(page["last_id"]).To(Equal(ids[1]))
		Expect(page["next_page"]).To(HavePrefix("page_"))
	})

	It("deletes a file for good", func() {
		id := upload(sdk, "a.txt", "text/plain", []byte("gone")).ID
		gone, err := sdk.Beta.Files.Delete(ctx, id, anthropic.BetaFileDeleteParams{Betas: filesBeta})
		Expect(err).NotTo(HaveOccurred())
		Expect(gone.RawJSON()).To(MatchJSON(`{"id":"` + id + `","type":"file_deleted"}`))

		_, err = sdk.Files.GetMetadata(ctx, id, anthropic.FileGetMetadataParams{})
		status, e := fileError(err)
		Expect([]any{status, e["type"], e["message"]}).To(Equal([]any{404, "not_found_error", "File not found: " + id}))
		_, err = sdk.Beta.Files.Delete(ctx, id, anthropic.BetaFileDeleteParams{})
		status, _ = fileError(err)
		Expect(status).To(Equal(404))
	})

	It("keeps a workspace's files from every other workspace", func() {
		id := upload(sdk, "a.txt", "text/plain", []byte("mine")).ID
		other := sdkFor(s, "sk-batch")
		_, err := other.Beta.Files.GetMetadata(ctx, id, anthropic.BetaFileGetMetadataParams{})
		status, e := fileError(err)
		Expect([]any{status, e["type"], e["message"]}).To(Equal([]any{404, "not_found_error", "File not found: " + id}))
		page, err := other.Beta.Files.List(ctx, anthropic.BetaFileListParams{})
		Expect(err).NotTo(HaveOccurred())
		Expect(page.Data).To(BeEmpty())

		_, err = other.Beta.Messages.CountTokens(ctx, countDocument(anthropic.BetaFileDocumentSourceParam{FileID: id}))
		status, e = fileError(err)
		Expect([]any{status, e["type"], e["message"]}).To(Equal([]any{400, "invalid_request_error", "File not found: " + id}))
	})

	It("refuses to download an upload, as the real API does", func() {
		id := upload(sdk, "a.txt", "text/plain", []byte("mine")).ID
		_, err := sdk.Beta.Files.Download(ctx, id, anthropic.BetaFileDownloadParams{Betas: filesBeta})
		status, e := fileError(err)
		Expect([]any{status, e["type"], e["details"]}).To(Equal([]any{400, "invalid_request_error",
			map[string]any{"error_code": "file_not_downloadable"}}))
	})

	It("downloads an upload's bytes when Options.FilesDownloadable says so", func() {
		open := server.RunT(GinkgoT(), server.Options{FilesDownloadable: true})
		c := sdkFor(open, "k")
		meta := upload(c, "chart.png", "image/png", pngOf(3, 3))
		Expect(meta.Downloadable).To(BeTrue())
		res, err := c.Files.Download(ctx, meta.ID, anthropic.FileDownloadParams{})
		Expect(err).NotTo(HaveOccurred())
		got, _ := io.ReadAll(res.Body)
		Expect(got).To(Equal(pngOf(3, 3)))
		Expect(res.Header.Get("Content-Type")).To(Equal("application/octet-stream"))
	})

	It("refuses a file over the size limit with the edge's 413, and a full organization with 400", func() {
		small := server.RunT(GinkgoT(), server.Options{FileSizeLimit: 2000, FileStorageLimit: 1500})
		c := sdkFor(small, "k")
		_, err := c.Beta.Files.Upload(ctx, anthropic.BetaFileUploadParams{File: anthropic.File(bytes.NewReader(make([]byte, 2500)), "big.bin", "")})
		var apiErr *anthropic.Error
		Expect(errors.As(err, &apiErr)).To(BeTrue())
		Expect(apiErr.StatusCode).To(Equal(413))
		Expect(apiErr.RawJSON()).To(MatchJSON(tooLarge))

		upload(c, "a.txt", "text/plain", bytes.Repeat([]byte("a"), 800))
		_, err = c.Beta.Files.Upload(ctx, anthropic.BetaFileUploadParams{File: anthropic.File(bytes.NewReader(bytes.Repeat([]byte("b"), 800)), "b.txt", "text/plain")})
		status, e := fileError(err)
		Expect([]any{status, e["type"], e["details"]}).To(Equal([]any{400, "invalid_request_error",
			map[string]any{"error_code": "storage_quota_exceeded"}}))
	})

	It("answers a malformed multipart body or one without a file with the real 400", func() {
		res, err := http.DefaultClient.Do(apiRequest(s, "POST", "/v1/files", "sk-acme",
			strings.NewReader("--x\r\nbroken"), "multipart/form-data; boundary=x"))
		Expect(err).NotTo(HaveOccurred())
		Expect(rawRefusal(res)).To(Equal([]any{400, "invalid_request_error", "There was an error parsing the body"}))

		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		Expect(w.WriteField("expires_in_seconds", "3600")).To(Succeed())
		Expect(w.Close()).To(Succeed())
		res, err = http.DefaultClient.Do(apiRequest(s, "POST", "/v1/files?beta=true", "sk-acme", &buf, w.FormDataContentType()))
		Expect(err).NotTo(HaveOccurred())
		Expect(rawRefusal(res)).To(Equal([]any{400, "invalid_request_error", "file: Field required"}))
	})

	It("refuses a body that is not multipart, and a chunked one over the limit with the edge's 413", func() {
		res, err := http.DefaultClient.Do(apiRequest(s, "POST", "/v1/files", "sk-acme", strings.NewReader(`{}`), "application/json"))
		Expect(err).NotTo(HaveOccurred())
		Expect(rawRefusal(res)).To(Equal([]any{400, "invalid_request_error", `content-type: expected multipart/form-data, got "application/json"`}))

		small := server.RunT(GinkgoT(), server.Options{FileSizeLimit: 100})
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		part, _ := w.CreateFormFile("file", "big.txt")
		_, _ = part.Write(bytes.Repeat([]byte("x"), 500))
		Expect(w.Close()).To(Succeed())
		req := apiRequest(small, "POST", "/v1/files", "k", io.MultiReader(&buf), w.FormDataContentType())
		Expect(req.ContentLength).To(BeZero()) // sent chunked: the limit is met while reading
		res, err = http.DefaultClient.Do(req)
		Expect(err).NotTo(HaveOccurred())
		body, _ := io.ReadAll(res.Body)
		Expect([]any{res.StatusCode, string(body)}).To(Equal([]any{413, tooLarge}))
	})

	Describe("a file_id in a Messages request", func() {
		It("counts exactly as the same bytes sent inline", func() {
			pdf := upload(sdk, "r.pdf", "application/pdf", []byte(threePages)).ID
			img := upload(sdk, "p.png", "image/png", pngOf(800, 600)).ID
			txt := upload(sdk, "t.txt", "text/plain", []byte("The quick brown fox jumps over the lazy dog.")).ID

			pairs := []struct {
				byFile, inline anthropic.BetaContentBlockParamUnion
			}{
				{anthropic.NewBetaDocumentBlock(anthropic.BetaFileDocumentSourceParam{FileID: pdf}),
					anthropic.NewBetaDocumentBlock(anthropic.BetaBase64PDFSourceParam{Data: base64.StdEncoding.EncodeToString([]byte(threePages))})},
				{anthropic.NewBetaImageBlock(anthropic.BetaFileImageSourceParam{FileID: img}),
					anthropic.NewBetaImageBlock(anthropic.BetaBase64ImageSourceParam{MediaType: "image/png", Data: base64.StdEncoding.EncodeToString(pngOf(800, 600))})},
				{anthropic.NewBetaDocumentBlock(anthropic.BetaFileDocumentSourceParam{FileID: txt}),
					anthropic.NewBetaDocumentBlock(anthropic.BetaPlainTextSourceParam{Data: "The quick brown fox jumps over the lazy dog."})},
			}
			for _, p := range pairs {
				Expect(inputTokens(sdk, p.byFile)).To(Equal(inputTokens(sdk, p.inline)))
				Expect(messageTokens(sdk, p.byFile)).To(Equal(messageTokens(sdk, p.inline)))
				Expect(messageTokens(sdk, p.byFile)).To(Equal(inputTokens(sdk, p.byFile)))
			}
			Expect(inputTokens(sdk, pairs[0].byFile)).To(BeNumerically(">", inputTokens(sdk, anthropic.NewBetaTextBlock("x"))+3000))
		})

		It("counts the same in a Message Batch request as inline", func() {
			pdf := upload(sdk, "r.pdf", "application/pdf", []byte(threePages)).ID
			doc := func(source string) string {
				return `{"model":"claude-haiku-4-5","max_tokens":16,"messages":[{"role":"user","content":[` +
					`{"type":"document","source":` + source + `},{"type":"text","text":"Sum up."}]}]}`
			}
			inline := `{"type":"base64","media_type":"application/pdf","data":"` + base64.StdEncoding.EncodeToString([]byte(threePages)) + `"}`
			body := `{"requests":[{"custom_id":"file","params":` + doc(`{"type":"file","file_id":"`+pdf+`"}`) +
				`},{"custom_id":"inline","params":` + doc(inline) + `}]}`
			req := apiRequest(s, "POST", "/v1/messages/batches", "sk-acme", strings.NewReader(body), "application/json")
			req.Header.Set("anthropic-beta", "files-api-2025-04-14")
			res, err := http.DefaultClient.Do(req)
			Expect(err).NotTo(HaveOccurred())
			var created struct{ ID string }
			Expect(json.NewDecoder(res.Body).Decode(&created)).To(Succeed())
			Expect(res.Body.Close()).To(Succeed())
			Expect(res.StatusCode).To(Equal(200))
			_, err = s.Advance(time.Hour)
			Expect(err).NotTo(HaveOccurred())
			res, err = http.DefaultClient.Do(apiRequest(s, "GET", "/v1/messages/batches/"+created.ID+"/results", "sk-acme", nil, ""))
			Expect(err).NotTo(HaveOccurred())
			defer res.Body.Close()
			tokens := map[string]int{}
			dec := json.NewDecoder(res.Body)
			for dec.More() {
				var line struct {
					CustomID string `json:"custom_id"`
					Result   struct {
						Message struct {
							Usage struct {
								InputTokens int `json:"input_tokens"`
							} `json:"usage"`
						} `json:"message"`
					} `json:"result"`
				}
				Expect(dec.Decode(&line)).To(Succeed())
				tokens[line.CustomID] = line.Result.Message.Usage.InputTokens
			}
			Expect(tokens["file"]).To(Equal(tokens["inline"]))
			Expect(tokens["file"]).To(BeNumerically(">", 3000))
		})

		It("shares the prompt cache with the same bytes sent inline", func() {
			pdf := strings.Repeat(threePages, 4)
			id := upload(sdk, "long.pdf", "application/pdf", []byte(pdf)).ID
			cached := func(block anthropic.BetaContentBlockParamUnion) anthropic.BetaContentBlockParamUnion {
				block.OfDocument.CacheControl = anthropic.NewBetaCacheControlEphemeralParam()
				return block
			}
			byFile := cached(anthropic.NewBetaDocumentBlock(anthropic.BetaFileDocumentSourceParam{FileID: id}))
			inline := cached(anthropic.NewBetaDocumentBlock(anthropic.BetaBase64PDFSourceParam{Data: base64.StdEncoding.EncodeToString([]byte(pdf))}))
			written, err := sdk.Beta.Messages.New(ctx, messageWith(byFile))
			Expect(err).NotTo(HaveOccurred())
			read, err := sdk.Beta.Messages.New(ctx, messageWith(inline))
			Expect(err).NotTo(HaveOccurred())
			Expect(written.Usage.CacheCreationInputTokens).To(BeNumerically(">", 0))
			Expect(read.Usage.CacheReadInputTokens).To(Equal(written.Usage.CacheCreationInputTokens))
		})

		It("refuses an unknown or deleted id", func() {
			id := upload(sdk, "r.pdf", "application/pdf", []byte(threePages)).ID
			_, err := sdk.Beta.Files.Delete(ctx, id, anthropic.BetaFileDeleteParams{})
			Expect(err).NotTo(HaveOccurred())
			for _, missing := range []string{id, "file_nope"} {
				_, err := sdk.Beta.Messages.New(ctx, messageWith(anthropic.NewBetaDocumentBlock(anthropic.BetaFileDocumentSourceParam{FileID: missing})))
				status, e := fileError(err)
				Expect([]any{status, e["type"], e["message"]}).To(Equal([]any{400, "invalid_request_error", "File not found: " + missing}))
			}
		})

		It("refuses a file whose type the block cannot hold", func() {
			id := upload(sdk, "p.png", "image/png", pngOf(4, 4)).ID
			_, err := sdk.Beta.Messages.CountTokens(ctx, countDocument(anthropic.BetaFileDocumentSourceParam{FileID: id}))
			status, e := fileError(err)
			Expect([]any{status, e["type"], e["message"]}).To(Equal([]any{400, "invalid_request_error",
				"messages.0.content.0.document.source.file: File " + id + " has mime type image/png, which cannot be used in a document block: 'application/pdf' or 'text/plain'"}))
		})

		It("is not a source without the files beta, as the real API answers", func() {
			id := upload(sdk, "r.pdf", "application/pdf", []byte(threePages)).ID
			params := countDocument(anthropic.BetaFileDocumentSourceParam{FileID: id})
			params.Betas = nil
			_, err := sdk.Beta.Messages.CountTokens(ctx, params)
			status, e := fileError(err)
			Expect([]any{status, e["type"], e["message"]}).To(Equal([]any{400, "invalid_request_error",
				"messages.0.content.0.document.source: Input tag 'file' found using 'type' does not match any of the expected tags: 'base64', 'content', 'text', 'url'"}))
		})
	})
})

// messageWith is a one-block user message asking haiku, with the files beta.
func messageWith(block anthropic.BetaContentBlockParamUnion) anthropic.BetaMessageNewParams {
	return anthropic.BetaMessageNewParams{Model: "claude-haiku-4-5", MaxTokens: 16, Betas: filesBeta,
		Messages: []anthropic.BetaMessageParam{anthropic.NewBetaUserMessage(block, anthropic.NewBetaTextBlock("Summarise."))}}
}

func countDocument(src anthropic.BetaFileDocumentSourceParam) anthropic.BetaMessageCountTokensParams {
	return countWith(anthropic.NewBetaDocumentBlock(src))
}

func countWith(block anthropic.BetaContentBlockParamUnion) anthropic.BetaMessageCountTokensParams {
	m := messageWith(block)
	return anthropic.BetaMessageCountTokensParams{Model: m.Model, Messages: m.Messages, Betas: filesBeta}
}

// inputTokens is count_tokens' answer for a message holding block.
func inputTokens(c anthropic.Client, block anthropic.BetaContentBlockParamUnion) int64 {
	GinkgoHelper()
	n, err := c.Beta.Messages.CountTokens(context.Background(), countWith(block))
	Expect(err).NotTo(HaveOccurred())
	return n.InputTokens
}

// messageTokens is the usage.input_tokens of a Messages answer.
func messageTokens(c anthropic.Client, block anthropic.BetaContentBlockParamUnion) int64 {
	GinkgoHelper()
	m, err := c.Beta.Messages.New(context.Background(), messageWith(block))
	Expect(err).NotTo(HaveOccurred())
	return m.Usage.InputTokens
}

// apiRequest is a raw request to s with key.
func apiRequest(s *server.Server, method, path, key string, body io.Reader, contentType string) *http.Request {
	GinkgoHelper()
	req, err := http.NewRequest(method, s.URL()+path, body)
	Expect(err).NotTo(HaveOccurred())
	req.Header.Set("x-api-key", key)
	req.Header.Set("anthropic-version", "2023-06-01")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}

// rawRefusal is the status, error type and message of a raw refusal,
// validated against the document.
func rawRefusal(res *http.Response) []any {
	GinkgoHelper()
	body, _ := io.ReadAll(res.Body)
	Expect(spec.ValidateResponse(res.Request.Method, res.Request.URL.Path, res.StatusCode, body)).To(Succeed())
	var env struct {
		Error struct{ Type, Message string }
	}
	Expect(json.Unmarshal(body, &env)).To(Succeed())
	return []any{res.StatusCode, env.Error.Type, env.Error.Message}
}

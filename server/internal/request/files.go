package request

import (
	"time"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/tokens"
)

// FileResolver is what a file_id stands for in the requester's workspace:
// the stored file's media type and bytes, ok false for an id that is
// unknown, deleted or another workspace's. The server answers it from its
// Files store, so this package needs no HTTP and no store. It is an
// interface so that the server can hand over the per-request value it
// already has instead of allocating a closure for every request.
type FileResolver interface {
	ResolveFile(fileID string) (mediaType string, data []byte, ok bool)
}

// FileFunc adapts a function to FileResolver.
type FileFunc func(fileID string) (mediaType string, data []byte, ok bool)

// ResolveFile calls f.
func (f FileFunc) ResolveFile(fileID string) (string, []byte, bool) { return f(fileID) }

// betaFiles is the beta a request must name to use a file source: without
// it the real API validates against the document without the file tag.
const betaFiles = "files-api-2025-04-14"

// ParseWithFiles is Parse for a request whose image and document blocks may
// name an uploaded file: each file_id is resolved through files and counted
// exactly as its bytes would be inline. With a nil files a file source is
// accepted unresolved (and counts nothing), as Parse does.
func ParseWithFiles(cat *catalog.Catalog, body []byte, forCount bool, betas []string, now time.Time, files FileResolver) (*Request, error) {
	return parse(cat, body, forCount, betas, now, files)
}

// resolveFile reads the file a source names, the real errors for a source
// without the beta, without a file_id or naming a file the requester cannot
// see. ok is false when there is no resolver to ask.
func (p *parser) resolveFile(src source, path, without string) (mediaType string, data []byte, ok bool, err error) {
	if !p.betas.has(betaFiles) {
		return "", nil, false, apierror.Invalid("%s: Input tag 'file' found using 'type' does not match any of the expected tags: %s", path, without)
	}
	if src.FileID == "" {
		return "", nil, false, apierror.Invalid("%s.file.file_id: Field required", path)
	}
	if p.files == nil {
		return "", nil, false, nil
	}
	mediaType, data, found := p.files.ResolveFile(src.FileID)
	if !found {
		return "", nil, false, apierror.Invalid("File not found: %s", src.FileID)
	}
	return mediaType, data, true, nil
}

// imageFile fills an image block from the file its source names.
func (p *parser) imageFile(block *tokens.Block, src source, path string) error {
	mediaType, data, ok, err := p.resolveFile(src, path+".image.source", "'base64', 'url'")
	if err != nil || !ok {
		return err
	}
	if !contains(imageMediaTypes, mediaType) {
		return apierror.Invalid("%s.image.source.file: File %s has mime type %s, which is not a supported image type: %s", path, src.FileID, mediaType, oneOf(imageMediaTypes))
	}
	w, h, decoded := tokens.ImageSize(mediaType, data)
	if !decoded {
		return apierror.Invalid("%s.image.source.file: The image data could not be decoded as %s", path, mediaType)
	}
	block.Width, block.Height = w, h
	return nil
}

// documentFile fills a document block from the file its source names: a
// PDF counts its pages, a text file its text, as base64 and text sources do.
func (p *parser) documentFile(block *tokens.Block, src source, path string) error {
	mediaType, data, ok, err := p.resolveFile(src, path+".document.source", "'base64', 'content', 'text', 'url'")
	if err != nil || !ok {
		return err
	}
	switch mediaType {
	case "application/pdf":
		block.Pages = tokens.PDFPages(data)
	case "text/plain":
		block.Kind, block.Text = tokens.KindText, string(data)
	default:
		return apierror.Invalid("%s.document.source.file: File %s has mime type %s, which cannot be used in a document block: 'application/pdf' or 'text/plain'", path, src.FileID, mediaType)
	}
	return nil
}

package files

import (
	"mime"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/claudemock/claudemock/server/internal/apierror"
)

// Metadata is a file object as the API sends it (FileMetadataSchema).
type Metadata struct {
	ID           string  `json:"id"`
	Type         string  `json:"type"`
	Filename     string  `json:"filename"`
	MimeType     string  `json:"mime_type"`
	SizeBytes    int64   `json:"size_bytes"`
	CreatedAt    string  `json:"created_at"`
	Downloadable bool    `json:"downloadable"`
	ExpiresAt    *string `json:"expires_at"`
}

// Deleted is the answer to a deletion (FileDeleteResponse).
type Deleted struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// Upload is one multipart upload as the server read it.
type Upload struct {
	Scope Scope
	// ID is the new file's id, drawn by the caller from the request's
	// seeded random source; NewID is asked for another on a collision.
	ID    string
	NewID func() string
	// Filename and ContentType are the file part's, as sent.
	Filename, ContentType string
	Data                  []byte
	// ExpiresIn is expires_in_seconds as sent, "" when absent.
	ExpiresIn string
	Now       time.Time
}

// Add stores an upload and returns its metadata, or the real refusal: 413
// for a file over the size limit, 400 for a bad filename or expiry or a full
// organization (error_code storage_quota_exceeded).
func (s *Store) Add(u Upload) (Metadata, error) {
	if int64(len(u.Data)) > s.limits.MaxFileBytes {
		return Metadata{}, &apierror.Error{Kind: apierror.RequestTooLarge, Message: apierror.RequestTooLarge.Message()}
	}
	expires, err := expiry(u.ExpiresIn, u.Now)
	if err != nil {
		return Metadata{}, err
	}
	mediaType := MediaType(u.ContentType, u.Filename, u.Data)
	name, err := filename(u.Filename, mediaType)
	if err != nil {
		return Metadata{}, err
	}
	m := Metadata{Type: "file", Filename: name, MimeType: mediaType, SizeBytes: int64(len(u.Data)),
		CreatedAt: timestamp(u.Now), Downloadable: s.limits.UploadsDownloadable, ExpiresAt: expires}
	return s.store(u, m)
}

// store keeps the file under a fresh id unless the organization is full.
func (s *Store) store(u Upload, m Metadata) (Metadata, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.used(u.Scope.Org)+m.SizeBytes > s.limits.MaxStorageBytes {
		return Metadata{}, &apierror.Error{Kind: apierror.InvalidRequest,
			Message: "Your organization's file storage quota has been exceeded. Delete files to free up space, then retry the upload.",
			Details: map[string]string{"error_code": "storage_quota_exceeded"}}
	}
	m.ID = u.ID
	for s.byID[m.ID] != nil && u.NewID != nil {
		m.ID = u.NewID()
	}
	f := &File{Meta: m, Org: u.Scope.Org, Workspace: u.Scope.Workspace, Data: u.Data}
	s.files = append(s.files, f)
	s.byID[m.ID] = f
	return m, nil
}

// forbidden are the characters the docs forbid in a filename besides the
// control characters (the path separators are cut off before).
const forbidden = `<>:"|?*`

// filename keeps the final path component of the part's filename, or names
// an unnamed file "unnamed" plus its media type's extension, and checks the
// documented rules: 1 to 255 characters, none of forbidden or U+0000-U+001F.
func filename(raw, mediaType string) (string, error) {
	name := path.Base(strings.ReplaceAll(raw, `\`, "/"))
	if raw == "" || name == "/" || name == "." {
		name = "unnamed" + extension(mediaType)
	}
	if utf8.RuneCountInString(name) > 255 {
		return "", apierror.Invalid("file: Filename must be between 1 and 255 characters long")
	}
	for _, r := range name {
		if r < 0x20 || strings.ContainsRune(forbidden, r) {
			return "", apierror.Invalid("file: Filename contains forbidden characters: %s, or control characters", forbidden)
		}
	}
	return name, nil
}

// extension is the usual extension of a media type, "" when none is known.
func extension(mediaType string) string {
	switch mediaType {
	case "application/pdf":
		return ".pdf"
	case "text/plain":
		return ".txt"
	case "image/jpeg":
		return ".jpg"
	}
	if exts, _ := mime.ExtensionsByType(mediaType); len(exts) > 0 {
		return exts[0]
	}
	return ""
}

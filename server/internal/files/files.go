package files

import (
	"slices"
	"sync"
	"time"

	"github.com/claudemock/claudemock/server/internal/apierror"
)

// The documented limits (platform.claude.com/docs/en/build-with-claude/files,
// "File storage and limits"): 500 MB a file (also the Files API's request size
// limit, api-facts §5.4) and 100 GB of storage an organization.
const (
	DefaultMaxFileBytes    int64 = 500 << 20
	DefaultMaxStorageBytes int64 = 100 << 30
)

// Limits are a Store's bounds; zero values take the documented defaults.
type Limits struct {
	MaxFileBytes    int64
	MaxStorageBytes int64
	// UploadsDownloadable makes uploaded files downloadable. The real API
	// lets only files a tool created be downloaded; the mock runs no tool
	// that creates files, so without this no download could ever be tested.
	UploadsDownloadable bool
}

// File is one stored file and the scope it belongs to.
type File struct {
	Meta      Metadata
	Org       string
	Workspace string
	Data      []byte
}

// Store holds every workspace's files; it is safe for concurrent use.
type Store struct {
	limits Limits
	mu     sync.Mutex
	files  []*File // oldest first
	byID   map[string]*File
}

// New is an empty Store with the given limits.
func New(l Limits) *Store {
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = DefaultMaxFileBytes
	}
	if l.MaxStorageBytes <= 0 {
		l.MaxStorageBytes = DefaultMaxStorageBytes
	}
	return &Store{limits: l, byID: map[string]*File{}}
}

// MaxFileBytes is the largest upload the store takes.
func (s *Store) MaxFileBytes() int64 { return s.limits.MaxFileBytes }

// Reset forgets every file (a scenario restart).
func (s *Store) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files, s.byID = nil, map[string]*File{}
}

// Scope is whom a request acts for: files are visible to keys of the same
// workspace only, and storage is counted per organization.
type Scope struct {
	Org, Workspace string
}

// lookup is the file id names in scope, or the real API's not-found.
func (s *Store) lookup(sc Scope, id string) (*File, error) {
	f, ok := s.byID[id]
	if !ok || f.Workspace != sc.Workspace || f.Org != sc.Org {
		return nil, NotFound(id)
	}
	return f, nil
}

// NotFound is the answer for an id that is unknown, deleted or another
// workspace's: the docs' "File not found" (404).
func NotFound(id string) *apierror.Error {
	return &apierror.Error{Kind: apierror.NotFound, Message: "File not found: " + id}
}

// Get is a file's metadata.
func (s *Store) Get(sc Scope, id string) (Metadata, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.lookup(sc, id)
	if err != nil {
		return Metadata{}, err
	}
	return f.Meta, nil
}

// Delete removes a file for good; its id is never found again.
func (s *Store) Delete(sc Scope, id string) (Deleted, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.lookup(sc, id)
	if err != nil {
		return Deleted{}, err
	}
	delete(s.byID, id)
	s.files = slices.DeleteFunc(s.files, func(x *File) bool { return x == f })
	return Deleted{ID: id, Type: "file_deleted"}, nil
}

// Content is a downloadable file's bytes and media type; a file the client
// uploaded is refused as the real API refuses it (400, error_code
// file_not_downloadable).
func (s *Store) Content(sc Scope, id string) (mediaType string, data []byte, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.lookup(sc, id)
	if err != nil {
		return "", nil, err
	}
	if !f.Meta.Downloadable {
		return "", nil, &apierror.Error{Kind: apierror.InvalidRequest,
			Message: "File " + id + " is not downloadable: only files created by a tool can be downloaded",
			Details: map[string]string{"error_code": "file_not_downloadable"}}
	}
	return f.Meta.MimeType, f.Data, nil
}

// Resolve is what a Messages request's file_id stands for: the stored
// file's media type and bytes, ok false when scope cannot see it.
func (s *Store) Resolve(sc Scope, id string) (mediaType string, data []byte, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.lookup(sc, id)
	if err != nil {
		return "", nil, false
	}
	return f.Meta.MimeType, f.Data, true
}

// used is the bytes org stores; the caller holds mu.
func (s *Store) used(org string) int64 {
	var n int64
	for _, f := range s.files {
		if f.Org == org {
			n += f.Meta.SizeBytes
		}
	}
	return n
}

// timestamp is how the API writes created_at and expires_at: RFC 3339 in
// UTC with microseconds.
func timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}

package server

import (
	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/files"
	"github.com/claudemock/claudemock/server/internal/generate"
)

// fileScope is whose files a request sees: its key's workspace, in its
// key's organization (whose storage the quota counts).
func fileScope(acct accounts.Account) files.Scope {
	return files.Scope{Org: acct.OrgID, Workspace: acct.WorkspaceHeader()}
}

// ResolveFile is what a request's file_ids stand for (request.FileResolver):
// the files of the workspace its key belongs to.
func (x *exchange) ResolveFile(id string) (string, []byte, bool) {
	return x.s.files.Resolve(fileScope(x.acct), id)
}

// newFileID is a file id in the real API's style (file_011C…), drawn from
// the request's seeded random source.
func newFileID(x *exchange) string { return generate.ID(x.rng, "file_011C", 20) }

// uploadFile serves POST /v1/files: the multipart body's file part stored
// in the key's workspace.
func (s *Server) uploadFile(c echo.Context) error {
	x := state(c)
	form, err := readUpload(c.Request(), s.files.MaxFileBytes())
	if err != nil {
		return err
	}
	meta, err := s.files.Add(files.Upload{Scope: fileScope(x.acct), ID: newFileID(x),
		NewID: func() string { return newFileID(x) }, Filename: form.filename, ContentType: form.contentType,
		Data: form.data, ExpiresIn: form.expiresIn, Now: x.now})
	if err != nil {
		return err
	}
	return writeJSON(c, 200, meta)
}

// listFiles serves GET /v1/files: the workspace's files, newest first.
func (s *Server) listFiles(c echo.Context) error {
	q := files.Query{Limit: c.QueryParam("limit"), Page: c.QueryParam("page"), AfterID: c.QueryParam("after_id"),
		BeforeID: c.QueryParam("before_id"), IDs: c.QueryParams()["ids[]"], ScopeID: c.QueryParam("scope_id")}
	page, err := s.files.List(fileScope(state(c).acct), q)
	if err != nil {
		return err
	}
	return writeJSON(c, 200, page)
}

// getFile serves GET /v1/files/{file_id}: one file's metadata.
func (s *Server) getFile(c echo.Context) error {
	meta, err := s.files.Get(fileScope(state(c).acct), c.Param("file_id"))
	if err != nil {
		return err
	}
	return writeJSON(c, 200, meta)
}

// deleteFile serves DELETE /v1/files/{file_id}.
func (s *Server) deleteFile(c echo.Context) error {
	gone, err := s.files.Delete(fileScope(state(c).acct), c.Param("file_id"))
	if err != nil {
		return err
	}
	return writeJSON(c, 200, gone)
}

// downloadFile serves GET /v1/files/{file_id}/content: the bytes of a
// downloadable file, as application/octet-stream as the document says.
func (s *Server) downloadFile(c echo.Context) error {
	_, data, err := s.files.Content(fileScope(state(c).acct), c.Param("file_id"))
	if err != nil {
		return err
	}
	return c.Blob(200, "application/octet-stream", data)
}

package server

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"github.com/labstack/echo/v4"
)

// uploadBody runs before the journal on POST /v1/files: the multipart body
// is not JSON and may be far larger than 32 MB, so the journal and
// authenticate must not read it as they read other bodies. A body declared
// larger than the Files API's limit gets the edge's 413, in authenticate's
// turn, as an oversized Messages body does.
func (s *Server) uploadBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		st := state(c)
		st.bodyRead = true
		if c.Request().ContentLength > s.files.MaxFileBytes() {
			st.bodyErr = errTooLarge
		}
		return next(c)
	}
}

// upload is what a multipart upload carried.
type upload struct {
	filename, contentType, expiresIn string
	data                             []byte
}

// errMultipart is the 400 for a body that is not the multipart form it
// claims to be, in the words of the framework behind the real API.
var errMultipart = invalid("There was an error parsing the body")

// readUpload reads a multipart/form-data body of at most limit bytes: the
// file part and expires_in_seconds; other fields are ignored.
func readUpload(req *http.Request, limit int64) (upload, error) {
	media, params, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if err != nil || media != "multipart/form-data" || params["boundary"] == "" {
		return upload{}, invalid("content-type: expected multipart/form-data, got %q", req.Header.Get("Content-Type"))
	}
	body := &countingReader{r: io.LimitReader(req.Body, limit+1)}
	form, err := readParts(multipart.NewReader(body, params["boundary"]), limit)
	switch {
	case body.n > limit:
		return upload{}, errTooLarge
	case err != nil:
		return upload{}, err
	case form.data == nil:
		return upload{}, invalid("file: Field required")
	}
	return form, nil
}

// readParts walks the parts of a multipart body.
func readParts(r *multipart.Reader, limit int64) (upload, error) {
	var form upload
	for {
		part, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			return form, nil
		}
		if err != nil {
			return form, errMultipart
		}
		if err := readPart(part, &form, limit); err != nil {
			return form, err
		}
	}
}

// readPart keeps the part if it is one the API reads.
func readPart(part *multipart.Part, form *upload, limit int64) error {
	defer part.Close()
	switch part.FormName() {
	case "file":
		data, err := io.ReadAll(io.LimitReader(part, limit+1))
		if err != nil {
			return errMultipart
		}
		form.data, form.filename, form.contentType = data, part.FileName(), part.Header.Get("Content-Type")
		if form.data == nil {
			form.data = []byte{}
		}
	case "expires_in_seconds":
		v, err := io.ReadAll(io.LimitReader(part, 64))
		if err != nil {
			return errMultipart
		}
		form.expiresIn = string(v)
	}
	return nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

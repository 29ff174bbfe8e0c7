package server

import (
	"io"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/batch"
)

// MaxRequestBytes is the real API's request size limit for the Messages and
// Token Counting endpoints (32 MB); a larger body gets the 413 its edge sends.
const MaxRequestBytes = 32 << 20

// readBody reads a JSON request body, refusing bodies over MaxRequestBytes
// and content types other than JSON. A missing Content-Type is taken as JSON.
func readBody(c echo.Context) ([]byte, error) {
	st := state(c)
	if !st.bodyRead {
		st.body, st.bodyErr = readAll(c.Request())
		st.bodyRead = true
	}
	return st.body, st.bodyErr
}

// bodyLimit is the size limit of a request's body: the Batch API's 256 MB
// for a batch's creation, MaxRequestBytes for every other endpoint.
func bodyLimit(req *http.Request) int64 {
	if req.Method == http.MethodPost && req.URL.Path == "/v1/messages/batches" {
		return batch.MaxBodyBytes
	}
	return MaxRequestBytes
}

// readAll reads a JSON request body of at most bodyLimit bytes.
func readAll(req *http.Request) ([]byte, error) {
	limit := bodyLimit(req)
	if req.ContentLength > limit {
		return nil, errTooLarge
	}
	if ct := req.Header.Get("Content-Type"); ct != "" && ct != "application/json" {
		media, _, err := mime.ParseMediaType(ct)
		if err != nil || media != "application/json" {
			return nil, invalid("content-type: expected application/json, got %q", ct)
		}
	}
	body, err := readUpTo(req.Body, req.ContentLength, limit)
	if err != nil {
		return nil, bodyError(err)
	}
	if int64(len(body)) > limit {
		return nil, errTooLarge
	}
	return body, nil
}

// readUpTo reads r to its end, or to one byte past limit. It is
// io.ReadAll(io.LimitReader(r, limit+1)) with the buffer sized once from
// the declared length (when it is known and within the limit), so a body
// costs one allocation rather than a reader and a few regrowths.
func readUpTo(r io.Reader, declared, limit int64) ([]byte, error) {
	if r == nil {
		return []byte{}, nil
	}
	size := int64(512)
	if declared > 0 && declared <= limit {
		size = declared + 1 // room to see the end without growing
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		room := min(int64(cap(buf)-len(buf)), limit+1-int64(len(buf)))
		n, err := r.Read(buf[len(buf) : len(buf)+int(room)])
		buf = buf[:len(buf)+n]
		if err == io.EOF || int64(len(buf)) > limit {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

package server

import (
	"net/http"
	"strconv"
	"time"
	"unsafe"
)

// headerScratch is the storage of one answer's header values: the bytes of
// the numbers and instants formatted into them and the one-element slices
// the header map holds. It lives in the exchange, so that setting a header
// allocates nothing, where Header.Set would canonicalise the name (an
// allocation for a lower-case one), allocate a []string and, for a number
// or an instant, its string.
type headerScratch struct {
	// text is only ever appended to: the bytes under a string handed out
	// are never written again.
	text   [320]byte
	ntext  int
	slots  [32]string
	nslots int
}

// put sets h[key] to the one value; key must be in canonical form (the
// names below are). The slice is capped at its one element, so that an
// Add to the header copies it instead of writing into the next slot.
func (hs *headerScratch) put(h http.Header, key, value string) {
	if hs.nslots == len(hs.slots) {
		h[key] = []string{value}
		return
	}
	i := hs.nslots
	hs.nslots++
	hs.slots[i] = value
	h[key] = hs.slots[i : i+1 : i+1]
}

// int formats n as a header value, in text while it has room.
func (hs *headerScratch) int(n int64) string {
	return hs.keep(strconv.AppendInt(hs.free(), n, 10))
}

// instant formats t as RFC 3339, as time.Format would, in text while it
// has room.
func (hs *headerScratch) instant(t time.Time) string {
	return hs.keep(t.AppendFormat(hs.free(), time.RFC3339))
}

// free is text's unused part, empty, for appending to.
func (hs *headerScratch) free() []byte { return hs.text[hs.ntext:hs.ntext] }

// keep turns what was appended to free() into a string. When it still fits
// in text, the string is text's bytes (unsafe.String: they are never
// written again, see text) and text's use advances past them; when append
// had to move to a new array, the string is that array's, which nothing
// else holds.
func (hs *headerScratch) keep(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if cap(b) == len(hs.text)-hs.ntext { // not moved: still text
		hs.ntext += len(b)
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// The canonical names of the headers the hot path sets with put.
const (
	headerRequestID    = "Request-Id"
	headerOrganization = "Anthropic-Organization-Id"
	headerWorkspace    = "Anthropic-Workspace-Id"
	headerContentType  = "Content-Type"
	headerCacheControl = "Cache-Control"
	headerRetryAfter   = "Retry-After"
	headerShouldRetry  = "X-Should-Retry"
)

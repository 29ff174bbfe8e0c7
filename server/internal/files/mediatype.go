package files

import (
	"bytes"
	"mime"
	"path"
	"strings"
	"unicode/utf8"
)

// MediaType is the mime_type a file is stored with: the part's Content-Type
// when it says something (not application/octet-stream, which SDKs send for
// any bytes), else what the filename's extension means, else what the bytes
// begin with. Parameters such as charset are dropped.
func MediaType(contentType, filename string, data []byte) string {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil && mt != "application/octet-stream" {
		return mt
	}
	if t := mime.TypeByExtension(strings.ToLower(path.Ext(filename))); t != "" {
		if mt, _, err := mime.ParseMediaType(t); err == nil {
			return mt
		}
	}
	return sniff(data)
}

// magic are the leading bytes of the formats a Messages request can use.
var magic = []struct {
	prefix, mediaType string
}{
	{"%PDF-", "application/pdf"},
	{"\x89PNG\r\n\x1a\n", "image/png"},
	{"\xff\xd8\xff", "image/jpeg"},
	{"GIF87a", "image/gif"},
	{"GIF89a", "image/gif"},
}

// sniff names the format of data by its first bytes: a PDF or an image
// Messages can read, text when it is valid UTF-8, else bytes.
func sniff(data []byte) string {
	for _, m := range magic {
		if bytes.HasPrefix(data, []byte(m.prefix)) {
			return m.mediaType
		}
	}
	if len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP" {
		return "image/webp"
	}
	if utf8.Valid(data) {
		return "text/plain"
	}
	return "application/octet-stream"
}

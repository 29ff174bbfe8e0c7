package differential_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// sourceFile is one testdata file: the shapes extracted from one public
// repository at one commit (or, for issue threads, from several threads).
type sourceFile struct {
	Repository string      `yaml:"repository"`
	Commit     string      `yaml:"commit"`
	Cases      []*exchange `yaml:"cases"`
}

// exchange is one recorded request and the shape of its answer.
type exchange struct {
	Name   string `yaml:"name"`
	Source struct {
		Path     string `yaml:"path"`
		URL      string `yaml:"url"`
		Index    int    `yaml:"index"`
		Recorded string `yaml:"recorded"`
		DateFrom string `yaml:"date_from"`
		Model    string `yaml:"model"`
	} `yaml:"source"`
	// Scenario, when set, is loaded before the request (faults the mock
	// needs to answer as the recording did: a 529, a 429).
	Scenario string  `yaml:"scenario"`
	Request  request `yaml:"request"`
	Response struct {
		Status          int      `yaml:"status"`
		Headers         []string `yaml:"headers"`
		HeadersComplete bool     `yaml:"headers_complete"`
		// Partial marks a recording that shows only some keys (a jq
		// projection in an issue): nothing is absent in it.
		Partial  bool     `yaml:"partial"`
		Shape    string   `yaml:"shape"`
		SSE      *sse     `yaml:"sse"`
		Blocks   []string `yaml:"blocks"`
		JSONText *bool    `yaml:"json_text"`
		// Models are limits a models list showed, by model id.
		Models map[string]map[string]int `yaml:"models"`
	} `yaml:"response"`

	repository string // from the file
	commit     string
}

type request struct {
	Method string         `yaml:"method"`
	Path   string         `yaml:"path"`
	Beta   []string       `yaml:"beta"`
	Body   map[string]any `yaml:"body"`
	// Key is the API key sent; the server's own when empty (a recorded
	// 401 sends another).
	Key string `yaml:"key"`
	// Oversize pads the body to this many bytes (the 413 case).
	Oversize int `yaml:"oversize"`
}

// id names an exchange in failures and in deviations.yaml's case globs.
func (e *exchange) id() string { return e.repository + "/" + e.Name }

// source says where the recording is, for a person reading a failure.
func (e *exchange) source() string {
	if e.Source.URL != "" {
		return fmt.Sprintf("%s (%s)", e.Source.URL, e.Source.Recorded)
	}
	return fmt.Sprintf("%s %s@%.12s #%d (%s %s)", e.repository, e.Source.Path, e.commit, e.Source.Index,
		e.Source.DateFrom, e.Source.Recorded)
}

// summary describes the request for deviations.yaml's request globs:
// "stream=false tool_choice=auto thinking=enabled last=tool_result".
func (e *exchange) summary() string {
	b := e.Request.Body
	choice := "-"
	if _, ok := b["tools"]; ok {
		choice = "default"
	}
	if tc, ok := b["tool_choice"].(map[string]any); ok {
		choice = fmt.Sprint(tc["type"])
	}
	thinking := "-"
	if t, ok := b["thinking"].(map[string]any); ok {
		thinking = fmt.Sprint(t["type"])
	}
	return fmt.Sprintf("stream=%t tool_choice=%s thinking=%s last=%s", e.stream(), choice, thinking, lastBlock(b))
}

// lastBlock is the type of the last content block of the last message.
func lastBlock(body map[string]any) string {
	msgs, _ := body["messages"].([]any)
	if len(msgs) == 0 {
		return "-"
	}
	m, _ := msgs[len(msgs)-1].(map[string]any)
	blocks, ok := m["content"].([]any)
	if !ok || len(blocks) == 0 {
		return "text"
	}
	t, _ := typeOf(blocks[len(blocks)-1])
	return t
}

var dateSuffix = regexp.MustCompile(`-\d{8}$`)

// mapped reports whether the replayed model is not the recorded one (an
// older model is replayed as the current one of its kind).
func (e *exchange) mapped() bool {
	model, _ := e.Request.Body["model"].(string)
	return dateSuffix.ReplaceAllString(e.Source.Model, "") != model
}

func (e *exchange) stream() bool {
	s, _ := e.Request.Body["stream"].(bool)
	return s && e.Response.Status == 200
}

// class groups exchanges whose shapes may be compared across eras.
func (e *exchange) class() string {
	return fmt.Sprintf("%s|%t|%d", e.Request.Path, e.stream(), e.Response.Status)
}

func (e *exchange) shapeLines() []string {
	if strings.TrimSpace(e.Response.Shape) == "" {
		return nil
	}
	return strings.Split(strings.TrimSpace(e.Response.Shape), "\n")
}

// loadExchanges reads every testdata file but deviations.yaml, newest
// recordings first.
func loadExchanges(dir string) ([]*exchange, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	var all []*exchange
	for _, name := range names {
		if filepath.Base(name) == "deviations.yaml" {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var f sourceFile
		if err := yaml.Unmarshal(data, &f); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for _, e := range f.Cases {
			e.repository, e.commit = f.Repository, f.Commit
			all = append(all, e)
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Source.Recorded > all[j].Source.Recorded })
	return all, nil
}

// The placeholders testdata writes instead of text: every string is
// expanded by expand before the request is sent.
var (
	fillerRE = regexp.MustCompile(`<filler (\d+)>`)
	stopRE   = regexp.MustCompile(`^<stop (\d+)>$`)
	vocab    = strings.Fields(`plain words chosen for this suite alone carry no meaning beyond their
length they stand where a recorded prompt stood and keep its size so that token counts and
cache thresholds behave alike orange violet maple harbor lantern meadow quartz timber velvet`)
)

// filler is n characters of this suite's own words, never starting or
// ending with a space.
func filler(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(vocab[(i*7)%len(vocab)])
	}
	s := []byte(b.String()[:n])
	if s[len(s)-1] == ' ' {
		s[len(s)-1] = 'x'
	}
	return string(s)
}

// expand is a copy of v with the placeholders replaced, recursively.
func expand(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, child := range x {
			out[k] = expand(child)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, child := range x {
			out[i] = expand(child)
		}
		return out
	case string:
		return expandString(x)
	}
	return v
}

func expandString(s string) string {
	switch s {
	case "PNG1X1":
		return samplePNG
	case "PDF1P":
		return base64.StdEncoding.EncodeToString([]byte(samplePDF))
	case "<signature>":
		return base64.StdEncoding.EncodeToString([]byte("differential suite signature placeholder"))
	case "<redaction trigger>":
		return redactionTrigger
	case "<stop hit>":
		return "." // every generated sentence ends with one
	}
	if m := stopRE.FindStringSubmatch(s); m != nil {
		return "<<never-" + m[1] + ">>"
	}
	return fillerRE.ReplaceAllStringFunc(s, func(m string) string {
		n, _ := strconv.Atoi(fillerRE.FindStringSubmatch(m)[1])
		return filler(max(n, 1))
	})
}

// redactionTrigger is the public test string the docs give for making the
// API redact thinking; the recordings that used it are replayed with it.
const redactionTrigger = "ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253D5E2D82641AC0E52CC2876CB"

// samplePNG is this suite's own 16x16 PNG, base64.
var samplePNG = func() string {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for i := range 16 {
		img.Set(i, i, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}()

// samplePDF is this suite's own one-page PDF.
const samplePDF = "%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n" +
	"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n" +
	"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200]>> endobj\n" +
	"trailer <</Root 1 0 R>>\n%%EOF\n"

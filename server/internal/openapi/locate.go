package openapi

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"unicode"
)

const (
	// EnvSpec names the environment variable that overrides where the
	// OpenAPI document is read from. Its value is a path to a plain .json
	// file or a gzip-compressed .json.gz file (detected by content, not by
	// extension).
	EnvSpec = "CLAUDEMOCK_OPENAPI_SPEC"

	// SDKModule is the Go module that ships the official OpenAPI document.
	SDKModule = "github.com/anthropics/anthropic-sdk-go"

	// SpecPathInModule is the location of the gzip-compressed document
	// inside the SDK module directory.
	SpecPathInModule = "scripts/mock-spec.json.gz"
)

// Locate returns the path of the OpenAPI document to load.
//
// If CLAUDEMOCK_OPENAPI_SPEC is set, its value is returned as is.
// Otherwise the SDK module directory is found with
//
//	go list -m -f '{{.Dir}}' github.com/anthropics/anthropic-sdk-go
//
// run in the current working directory (which must be inside the
// claudemock module so that its go.mod selects the SDK version). If the
// module has not been extracted yet, the path is derived from
// `go env GOMODCACHE` and the version `go list -m` reports.
// No machine-specific path is hard-coded.
func Locate() (string, error) {
	if p := strings.TrimSpace(os.Getenv(EnvSpec)); p != "" {
		return p, nil
	}
	dir, err := sdkModuleDir()
	if err != nil {
		return "", fmt.Errorf("openapi: locating %s (set %s to override): %w", SDKModule, EnvSpec, err)
	}
	p := filepath.Join(dir, filepath.FromSlash(SpecPathInModule))
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("openapi: %w (run `go mod download %s` or set %s)", err, SDKModule, EnvSpec)
	}
	return p, nil
}

func sdkModuleDir() (string, error) {
	out, err := goCmd("list", "-m", "-f", "{{.Dir}}\t{{.Version}}", SDKModule)
	if err != nil {
		return "", err
	}
	dir, version, _ := strings.Cut(strings.TrimSpace(out), "\t")
	dir, version = strings.TrimSpace(dir), strings.TrimSpace(version)
	if dir != "" {
		return dir, nil
	}
	if version == "" {
		return "", fmt.Errorf("go list -m %s reported neither a directory nor a version", SDKModule)
	}
	cache, err := goCmd("env", "GOMODCACHE")
	if err != nil {
		return "", err
	}
	cache = strings.TrimSpace(cache)
	if cache == "" {
		return "", errors.New("go env GOMODCACHE is empty")
	}
	return filepath.Join(cache, filepath.FromSlash(escapeModulePath(SDKModule))+"@"+escapeModulePath(version)), nil
}

func goCmd(args ...string) (string, error) {
	cmd := exec.Command("go", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// escapeModulePath applies the module cache's case encoding: every
// upper-case letter becomes '!' followed by its lower-case form.
func escapeModulePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// readSpecFile reads path, transparently gunzipping it when the content
// starts with the gzip magic bytes.
func readSpecFile(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(raw) >= 2 && raw[0] == 0x1f && raw[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("gunzip %s: %w", path, err)
		}
		defer zr.Close()
		out, err := io.ReadAll(zr)
		if err != nil {
			return nil, fmt.Errorf("gunzip %s: %w", path, err)
		}
		return out, nil
	}
	return raw, nil
}

package files_test

import (
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/files"
)

func TestFiles(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Files Suite")
}

// now is the instant every upload happens at.
var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

var acme = files.Scope{Org: "org-acme", Workspace: "wrkspc_a"}

// add stores data under id in sc and insists it was taken.
func add(s *files.Store, sc files.Scope, id, name string, data []byte) files.Metadata {
	GinkgoHelper()
	m, err := s.Add(files.Upload{Scope: sc, ID: id, Filename: name, Data: data, Now: now})
	Expect(err).NotTo(HaveOccurred())
	return m
}

package internal_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// module is the import path every package here starts with.
const module = "github.com/claudemock/claudemock/server/internal"

// forbidden are the imports a domain package may not reach, directly or
// through another package: HTTP is the server package's business alone.
var forbidden = []string{"net/http", "github.com/labstack/echo/v4"}

// testSupport are the packages under server/internal only specs use,
// exempt from the rule.
var testSupport = []string{module + "/openapi"}

var _ = Describe("the domain packages under server/internal", func() {
	It("depend on neither net/http nor echo, directly or through another package", func() {
		readSources()
		out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, "./...").Output()
		Expect(err).NotTo(HaveOccurred())
		var listed []string
		reached := map[string][]string{}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			fields := strings.Fields(line)
			pkg, deps := fields[0], fields[1:]
			listed = append(listed, pkg)
			for _, dep := range deps {
				if slices.Contains(forbidden, dep) && !slices.Contains(testSupport, pkg) {
					reached[pkg] = append(reached[pkg], dep)
				}
			}
		}
		Expect(listed).To(ContainElements(module+"/apierror", module+"/billing", module+"/scenario", module+"/quota", module+"/compose", module+"/wire", module+"/run", module+"/junit", module+"/models", module+"/limits", module+"/request", module+"/netlimit", module+"/control", module+"/config", module+"/files", module+"/admin", module+"/batch", module+"/paging"))
		Expect(reached).To(BeEmpty())
	})
})

// readSources reads every Go file under server/internal and the module's
// go.mod. go list runs in a child process, whose reads the test cache does
// not see; reading them here makes an import added anywhere below (or a
// changed requirement) rerun this spec instead of replaying a cached pass.
func readSources() {
	_, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	Expect(err).NotTo(HaveOccurred())
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		_, err = os.ReadFile(path)
		return err
	})
	Expect(err).NotTo(HaveOccurred())
}

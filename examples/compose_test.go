package examples_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"gopkg.in/yaml.v3"
)

// composed is the part of `docker-compose config` the specs read.
type composed struct {
	Services map[string]struct {
		Build struct {
			Context string `yaml:"context"`
		} `yaml:"build"`
		Ports       []string          `yaml:"ports"`
		Volumes     []string          `yaml:"volumes"`
		Environment map[string]string `yaml:"environment"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Healthcheck struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
	} `yaml:"services"`
}

// config is `docker-compose config` of a compose file: the file as Compose
// reads it, paths resolved. There is no Docker engine on these machines,
// so the files are checked, not run; CI installs docker-compose, and a
// developer without it sees the specs skipped rather than passed.
func config(file string) composed {
	if _, err := exec.LookPath("docker-compose"); err != nil {
		if os.Getenv("CI") != "" {
			Fail("docker-compose is not installed; .ci/run installs it")
		}
		Skip("docker-compose is not installed (apt-get install docker-compose)")
	}
	out, err := exec.Command("docker-compose", "-f", file, "config").Output()
	Expect(err).NotTo(HaveOccurred(), "docker-compose config %s", file)
	var c composed
	Expect(yaml.Unmarshal(out, &c)).To(Succeed())
	return c
}

var _ = Describe("the compose files", func() {
	It("publish the mock on loopback only, with every mounted path present", func() {
		c := config("../docker-compose.yml")
		mock := c.Services["claudemock"]
		Expect(mock.Ports).To(Equal([]string{"127.0.0.1:8080:8080/tcp"}))
		for _, v := range mock.Volumes {
			Expect(strings.Split(v, ":")[0]).To(BeAnExistingFile(), "volume %s", v)
		}
		Expect(mock.Healthcheck.Test).To(Equal([]string{"CMD", "/claudemock", "healthcheck", "--url", "http://127.0.0.1:8080"}))
	})

	It("start the example app only once the mock is healthy, pointing the SDK at it", func() {
		c := config("compose/docker-compose.yml")
		app := c.Services["app"]
		Expect(app.DependsOn["claudemock"].Condition).To(Equal("service_healthy"))
		Expect(app.Environment["ANTHROPIC_BASE_URL"]).To(Equal("http://claudemock:8080"))
		root, _ := filepath.Abs("..")
		Expect(c.Services["claudemock"].Build.Context).To(Equal(root))
		Expect(filepath.Join(app.Build.Context, "Dockerfile")).To(BeAnExistingFile())
	})

	It("keep the build context to what the build needs", func() {
		data, err := os.ReadFile("../.dockerignore")
		Expect(err).NotTo(HaveOccurred())
		Expect(strings.Fields(string(data))).To(ContainElements(".git", "**/node_modules", "**/.venv", "conformance/"))
	})
})

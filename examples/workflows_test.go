package examples_test

import (
	"os"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"gopkg.in/yaml.v3"
)

var _ = Describe("the CI recipes", func() {
	It("run the tests through the action on GitHub and keep the JUnit report", func() {
		var wf struct {
			Jobs map[string]struct {
				Steps []struct {
					Uses string            `yaml:"uses"`
					With map[string]string `yaml:"with"`
					If   string            `yaml:"if"`
				} `yaml:"steps"`
			} `yaml:"jobs"`
		}
		data, err := os.ReadFile("github-actions/ci.yml")
		Expect(err).NotTo(HaveOccurred())
		Expect(yaml.Unmarshal(data, &wf)).To(Succeed())
		steps := wf.Jobs["claudemock"].Steps
		var uses []string
		for _, s := range steps {
			uses = append(uses, s.Uses)
		}
		Expect(uses).To(ContainElements("actions/checkout@v4", "claudemock/claudemock@main", "actions/upload-artifact@v4"))
		for _, s := range steps {
			switch s.Uses {
			case "claudemock/claudemock@main":
				Expect(s.With).To(Equal(map[string]string{"scenario": "burst-429", "run": "npm test"}))
			case "actions/upload-artifact@v4":
				Expect([]string{s.If, s.With["path"]}).To(Equal([]string{"always()", "claudemock-report.xml"}))
			}
		}
	})

	It("start, wait, test and judge in order on GitLab, the verdict as its test report", func() {
		var ci struct {
			Backoff struct {
				Script    []string `yaml:"script"`
				Artifacts struct {
					When    string            `yaml:"when"`
					Reports map[string]string `yaml:"reports"`
				} `yaml:"artifacts"`
			} `yaml:"backoff"`
		}
		data, err := os.ReadFile("gitlab-ci/.gitlab-ci.yml")
		Expect(err).NotTo(HaveOccurred())
		Expect(yaml.Unmarshal(data, &ci)).To(Succeed())
		var commands []string
		for _, line := range ci.Backoff.Script {
			commands = append(commands, strings.Join(strings.Fields(line)[:2], " "))
		}
		Expect(commands).To(Equal([]string{"go install", "claudemock serve", "claudemock healthcheck", "go test", "claudemock report"}))
		Expect(ci.Backoff.Script[2]).To(ContainSubstring("--wait 30s"))
		Expect(ci.Backoff.Script[4]).To(HaveSuffix("--junit claudemock-report.xml"))
		Expect(ci.Backoff.Artifacts.When).To(Equal("always"))
		Expect(ci.Backoff.Artifacts.Reports).To(Equal(map[string]string{"junit": "claudemock-report.xml"}))
	})
})

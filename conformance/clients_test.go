package conformance_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// The real clients people use with Claude, each run as its user runs it
// against `claudemock serve` with no flags but a free loopback address: its
// base URL and a key are all it is given, everything else is its default
// (max_tokens, retries, headers, betas). Each check starts its own server,
// so the journal holds exactly the check's requests.

// clientModel is the model the framework checks ask for (Claude Code picks
// its own).
const clientModel = "claude-sonnet-4-6"

// burstRules are the results of a report under the ready scenario
// burst-429: the checks on the run, then its expectations.
var burstRules = map[string]bool{
	"requests_arrived": true, "faults_fired": true,
	"respects_retry_after": true, "max_attempts": true, "backoff": true,
	"jitter": true, "no_retry_on": true, "retries_retryable": true,
}

// frameworkClient is one client driven by clients/node/run.mjs or
// clients/python/run.py.
type frameworkClient struct {
	name string // spec text
	// short names the client in capture file names.
	short string
	// python is true for run.py, false for run.mjs; arg is the driver's
	// client argument.
	python bool
	arg    string
	// v1 is true when the client's base URL includes /v1 (the AI SDK's
	// default is https://api.anthropic.com/v1).
	v1 bool
	// endTurn and toolTurn are the client's names for the stop reasons
	// end_turn and tool_use.
	endTurn, toolTurn string
	// streamOutputTokens is the output token count the client reports for a
	// stream of a default reply.
	streamOutputTokens int
}

var frameworkClients = []frameworkClient{
	{name: "Vercel AI SDK 7 (ai 7, @ai-sdk/anthropic 4)", short: "aisdk7", arg: "ai-sdk", v1: true,
		endTurn: "stop", toolTurn: "tool-calls", streamOutputTokens: replyTokens},
	{name: "Vercel AI SDK 6 (ai 6, @ai-sdk/anthropic 3)", short: "aisdk6", arg: "ai-sdk-6", v1: true,
		endTurn: "stop", toolTurn: "tool-calls", streamOutputTokens: replyTokens},
	// LangChain JS adds message_start's output_tokens (1, as the real API
	// sends it) to message_delta's cumulative count.
	{name: "LangChain JS (@langchain/anthropic)", short: "langchainjs", arg: "langchain",
		endTurn: "end_turn", toolTurn: "tool_use", streamOutputTokens: replyTokens + 1},
	{name: "LangChain Python (langchain-anthropic)", short: "langchainpy", python: true, arg: "langchain",
		endTurn: "end_turn", toolTurn: "tool_use", streamOutputTokens: replyTokens},
	{name: "litellm (anthropic/ models)", short: "litellm", python: true, arg: "litellm",
		endTurn: "stop", toolTurn: "tool_calls", streamOutputTokens: replyTokens},
}

// command is the driver command for one check against baseURL.
func (c frameworkClient) command(ctx context.Context, interpreter, baseURL, check string) *exec.Cmd {
	if c.v1 {
		baseURL += "/v1"
	}
	var cmd *exec.Cmd
	if c.python {
		cmd = exec.CommandContext(ctx, interpreter, "run.py", c.arg, check)
		cmd.Dir = clientsPython
	} else {
		cmd = exec.CommandContext(ctx, interpreter, "run.mjs", c.arg, check)
		cmd.Dir = clientsNode
	}
	// LITELLM_OFFLINE_MODE keeps litellm from fetching its model and beta
	// tables from the internet at import; it changes nothing it sends.
	cmd.Env = childEnv(baseURL, "LITELLM_OFFLINE_MODE=true")
	return cmd
}

// install checks the client is installed at its pinned version and returns
// the interpreter that runs its driver.
func (c frameworkClient) install(ctx context.Context) string {
	GinkgoHelper()
	if c.python {
		return pythonForClients(ctx)
	}
	return nodeForClients()
}

var _ = Describe("Real clients against claudemock serve", Ordered, ContinueOnFailure, func() {
	var binary string
	BeforeAll(func() { binary = buildClaudemock() })

	for _, c := range frameworkClients {
		Describe(c.name, func() {
			var (
				mock        *mockProcess
				interpreter string
			)
			BeforeEach(func(ctx SpecContext) {
				interpreter = c.install(ctx)
				mock = serveMock(binary)
			})
			run := func(ctx SpecContext, check string) (driverOutcome, []journalEntry) {
				GinkgoHelper()
				url := mock.clientURL(c.short + "-" + check)
				out := runDriver(c.command(ctx, interpreter, url, check))
				return out, mock.journal()
			}

			It("answers a plain call made with the client's defaults", func(ctx SpecContext) {
				out, journal := run(ctx, "plain")

				expectAnswered(out, journal)
				Expect(statuses(journal)).To(Equal([]int{200}), evidence(nil, journal))
				Expect(journal[0].Model).To(Equal(clientModel))
				Expect(journal[0].Stream).To(BeFalse())
				Expect(strings.Fields(out.Result.Text)).To(HaveLen(replyTokens), out.Result.Text)
				Expect(out.Result.Finish).To(Equal(c.endTurn))
				Expect(out.Result.Model).To(Equal(clientModel))
				Expect(out.Result.Usage).To(Equal(&tokenCounts{InputTokens: journal[0].Usage.InputTokens, OutputTokens: replyTokens}))
			}, NodeTimeout(3*time.Minute))

			It("streams a reply", func(ctx SpecContext) {
				out, journal := run(ctx, "stream")

				expectAnswered(out, journal)
				Expect(statuses(journal)).To(Equal([]int{200}), evidence(nil, journal))
				Expect(journal[0].Stream).To(BeTrue())
				Expect(journal[0].Delivery).To(Equal("complete"))
				Expect(strings.Fields(out.Result.Text)).To(HaveLen(replyTokens), out.Result.Text)
				Expect(out.Result.Chunks).To(BeNumerically(">", 1), "the text came in one piece")
				Expect(out.Result.Finish).To(Equal(c.endTurn))
				Expect(out.Result.Usage).To(Equal(&tokenCounts{InputTokens: journal[0].Usage.InputTokens, OutputTokens: c.streamOutputTokens}))
			}, NodeTimeout(3*time.Minute))

			// Needs the tool_choice auto rule: a tool_use when the last user
			// text names the tool, text once the last user turn is a
			// tool_result.
			It("runs a tool call and its result turn (tool_choice auto, the prompt names the tool)", func(ctx SpecContext) {
				out, journal := run(ctx, "tools")

				expectAnswered(out, journal)
				Expect(statuses(journal)).To(Equal([]int{200, 200}), evidence(nil, journal))
				Expect(out.Result.Steps).To(Equal([]string{c.toolTurn, c.endTurn}))
				Expect(out.Result.Calls).To(HaveLen(1))
				expectValid(schemaFile("get_weather.schema.json", "/input_schema"), out.Result.Calls[0])
				Expect(strings.Fields(out.Result.Text)).To(HaveLen(replyTokens), out.Result.Text)
			}, NodeTimeout(3*time.Minute))

			// Needs output_config.format (or the beta output_format)
			// answered with JSON valid against the schema.
			It("returns structured output valid against the schema", func(ctx SpecContext) {
				out, journal := run(ctx, "structured")

				expectAnswered(out, journal)
				Expect(statuses(journal)).To(Equal([]int{200}), evidence(nil, journal))
				expectValid(schemaFile("city.schema.json", ""), out.Result.Object)
			}, NodeTimeout(3*time.Minute))

			It("comes out of burst-429 with its default retries and a passing report", func(ctx SpecContext) {
				mock.loadReady("burst-429")
				out, journal := run(ctx, "burst")

				expectAnswered(out, journal)
				Expect(statuses(journal)).To(Equal([]int{429, 429, 200}), evidence(nil, journal))
				Expect(strings.Fields(out.Result.Text)).To(HaveLen(replyTokens), out.Result.Text)
				rep := mock.report()
				Expect(verdicts(rep)).To(Equal(burstRules), "%+v", rep)
				Expect(rep.Pass).To(BeTrue())
				Expect(rep.Requests).To(Equal(3))
			}, NodeTimeout(3*time.Minute))
		})
	}

	Describe("the Claude Code CLI (@anthropic-ai/claude-code)", func() {
		var (
			mock   *mockProcess
			claude claudeCode
		)
		BeforeEach(func(ctx SpecContext) {
			claude = installedClaudeCode(ctx)
			mock = serveMock(binary)
		})

		It("answers -p on its default model, claude-opus-5-5", func(ctx SpecContext) {
			out := claude.run(ctx, mock.clientURL("claude-plain"), "-p", "Say hi", "--output-format", "json")
			journal := mock.journal()

			Expect(out.IsError).To(BeFalse(), out.evidence(journal))
			Expect(statuses(journal)).To(Equal([]int{200}), evidence(nil, journal))
			Expect(journal[0].Model).To(Equal("claude-opus-5-5"))
			Expect(journal[0].Stream).To(BeTrue())
			Expect(out.NumTurns).To(Equal(1))
			Expect(out.StopReason).To(Equal("end_turn"))
			Expect(strings.Fields(out.Result)).To(HaveLen(replyTokens), out.Result)
		}, NodeTimeout(3*time.Minute))

		It("streams the reply with --output-format stream-json --include-partial-messages", func(ctx SpecContext) {
			lines := claude.stream(ctx, mock.clientURL("claude-stream"), "-p", "Say hi",
				"--output-format", "stream-json", "--verbose", "--include-partial-messages")
			journal := mock.journal()
			final, deltas := lines.summary()

			Expect(final.IsError).To(BeFalse(), final.evidence(journal))
			Expect(statuses(journal)).To(Equal([]int{200}), evidence(nil, journal))
			Expect(len(deltas)).To(BeNumerically(">", 1), "the text came in one piece")
			Expect(strings.Join(deltas, "")).To(Equal(final.Result))
			Expect(strings.Fields(final.Result)).To(HaveLen(replyTokens), final.Result)
		}, NodeTimeout(3*time.Minute))

		// Needs the tool_choice auto rule. The generated Read input names a
		// file that does not exist: the CLI sends the error as the
		// tool_result, and the mock answers text.
		It("calls a tool the prompt names and answers after its result (tool_choice auto)", func(ctx SpecContext) {
			out := claude.run(ctx, mock.clientURL("claude-tools"), "-p", "Use the Read tool to read notes.txt.", "--output-format", "json")
			journal := mock.journal()

			Expect(out.IsError).To(BeFalse(), out.evidence(journal))
			Expect(statuses(journal)).To(Equal([]int{200, 200}), evidence(nil, journal))
			Expect(out.NumTurns).To(Equal(2))
			Expect(strings.Fields(out.Result)).To(HaveLen(replyTokens), out.Result)
		}, NodeTimeout(3*time.Minute))

		// Claude Code asks for --json-schema output through a StructuredOutput
		// tool and, when the model answers text, a user turn that names it:
		// needs the tool_choice auto rule.
		It("returns --json-schema structured output valid against the schema", func(ctx SpecContext) {
			schema, err := readText(filepath.Join(clientsData, "city.schema.json"))
			Expect(err).NotTo(HaveOccurred())
			out := claude.run(ctx, mock.clientURL("claude-structured"), "-p", "Describe Paris as a city record.",
				"--json-schema", schema, "--output-format", "json")
			journal := mock.journal()

			Expect(out.IsError).To(BeFalse(), out.evidence(journal))
			Expect(statuses(journal)).To(HaveEach(200), evidence(nil, journal))
			expectValid(schemaFile("city.schema.json", ""), out.StructuredOutput)
		}, NodeTimeout(3*time.Minute))

		It("comes out of burst-429 with its default retries and a passing report", func(ctx SpecContext) {
			mock.loadReady("burst-429")
			out := claude.run(ctx, mock.clientURL("claude-burst"), "-p", "Say hi", "--output-format", "json")
			journal := mock.journal()

			Expect(out.IsError).To(BeFalse(), out.evidence(journal))
			Expect(statuses(journal)).To(Equal([]int{429, 429, 200}), evidence(nil, journal))
			rep := mock.report()
			Expect(verdicts(rep)).To(Equal(burstRules), "%+v", rep)
			Expect(rep.Pass).To(BeTrue())
		}, NodeTimeout(3*time.Minute))

		It("runs a scripted tool loop: a Bash tool_use, the command's output, the answer", func(ctx SpecContext) {
			mock.loadScenario(filepath.Join(clientsData, "claude-code-tool-loop.yaml"))
			out := claude.run(ctx, mock.clientURL("claude-loop"), "-p", "Run the printf command.",
				"--allowedTools", "Bash(printf:*)", "--output-format", "json")
			journal := mock.journal()

			Expect(out.IsError).To(BeFalse(), out.evidence(journal))
			Expect(statuses(journal)).To(Equal([]int{200, 200}), evidence(nil, journal))
			Expect([]string{journal[0].Reply, journal[1].Reply}).To(Equal([]string{"call", "answer"}))
			Expect(out.NumTurns).To(Equal(2))
			Expect(out.Result).To(Equal("The command printed claudemock-tool-loop."))
			Expect(out.PermissionDenials).To(BeEmpty())
			Expect(mock.report().Pass).To(BeTrue())
		}, NodeTimeout(3*time.Minute))
	})
})

// expectAnswered fails the spec with the client's error and the journal
// when the client raised one.
func expectAnswered(out driverOutcome, journal []journalEntry) {
	GinkgoHelper()
	if out.Error != nil {
		Fail(evidence(out.Error, journal))
	}
	Expect(out.Result).NotTo(BeNil())
}

// readText reads a whole file as a string.
func readText(path string) (string, error) {
	data, err := os.ReadFile(path)
	return string(data), err
}

// claudeResult is the JSON `claude -p --output-format json` prints, and the
// last line of stream-json.
type claudeResult struct {
	Type              string          `json:"type"`
	Subtype           string          `json:"subtype"`
	IsError           bool            `json:"is_error"`
	NumTurns          int             `json:"num_turns"`
	Result            string          `json:"result"`
	StopReason        string          `json:"stop_reason"`
	TerminalReason    string          `json:"terminal_reason"`
	APIErrorStatus    json.RawMessage `json:"api_error_status"`
	StructuredOutput  json.RawMessage `json:"structured_output"`
	PermissionDenials []any           `json:"permission_denials"`
}

// evidence is a failure message: what the CLI said and the mock's journal.
func (r claudeResult) evidence(journal []journalEntry) string {
	return "claude: " + r.Subtype + " " + r.TerminalReason + ", api_error_status " + string(r.APIErrorStatus) +
		", result: " + clip(r.Result, 1500) + "\n" + evidence(nil, journal)
}

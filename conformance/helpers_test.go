package conformance_test

import (
	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"
	. "github.com/onsi/ginkgo/v2"

	"github.com/claudemock/claudemock/server"
)

const (
	// haikuAlias is the alias the specs send; haikuID is the dated id the
	// mock must answer with.
	haikuAlias = "claude-haiku-4-5"
	haikuID    = "claude-haiku-4-5-20251001"
	// replyTokens is server.DefaultReplyTokens, spelled out so that a change
	// of the default shows up here.
	replyTokens = 24
	testKey     = "test-key"
)

// startServer starts an in-process mock; RunT registers its Close with
// GinkgoT().Cleanup, which Ginkgo runs as a DeferCleanup of the current node.
func startServer(opts server.Options) *server.Server {
	GinkgoHelper()
	return server.RunT(GinkgoT(), opts)
}

// newClient is a Go SDK client for s that ignores the ANTHROPIC_* variables
// of the environment, so nothing but the mock is ever reached.
func newClient(s *server.Server, key string, extra ...option.RequestOption) anthropic.Client {
	opts := append([]option.RequestOption{
		option.WithoutEnvironmentDefaults(),
		option.WithBaseURL(s.URL()),
		option.WithAPIKey(key),
	}, extra...)
	return anthropic.NewClient(opts...)
}

func helloMessages() []anthropic.MessageParam {
	return []anthropic.MessageParam{
		anthropic.NewUserMessage(anthropic.NewTextBlock("Hello, Claude. What is the capital of France?")),
	}
}

func textParams() anthropic.MessageNewParams {
	return anthropic.MessageNewParams{
		Model:     anthropic.Model(haikuAlias),
		MaxTokens: 256,
		Messages:  helloMessages(),
	}
}

// weatherTool has two required properties, one of them an enum, so that a
// generated input can be checked against the schema.
func weatherTool() *anthropic.ToolParam {
	return &anthropic.ToolParam{
		Name:        "get_weather",
		Description: anthropic.String("Get the current weather in a given location"),
		InputSchema: anthropic.ToolInputSchemaParam{
			Properties: map[string]any{
				"location": map[string]any{"type": "string", "description": "City and country"},
				"unit":     map[string]any{"type": "string", "enum": []string{"celsius", "fahrenheit"}},
			},
			Required: []string{"location", "unit"},
		},
	}
}

func toolParams() anthropic.MessageNewParams {
	p := textParams()
	p.Messages = []anthropic.MessageParam{
		anthropic.NewUserMessage(anthropic.NewTextBlock("What is the weather like in Paris?")),
	}
	p.Tools = []anthropic.ToolUnionParam{{OfTool: weatherTool()}}
	p.ToolChoice = anthropic.ToolChoiceParamOfTool("get_weather")
	return p
}

// texts concatenates the text blocks of a message.
func texts(m *anthropic.Message) string {
	var out string
	for _, b := range m.Content {
		if b.Type == "text" {
			out += b.Text
		}
	}
	return out
}

// accumulate drains a stream into one Message, failing the spec on any
// accumulation or stream error.
func accumulate(client anthropic.Client, ctx SpecContext, p anthropic.MessageNewParams, opts ...option.RequestOption) (anthropic.Message, []string) {
	GinkgoHelper()
	stream := client.Messages.NewStreaming(ctx, p, opts...)
	DeferCleanup(stream.Close)
	var (
		msg    anthropic.Message
		events []string
	)
	for stream.Next() {
		ev := stream.Current()
		events = append(events, ev.Type)
		if err := msg.Accumulate(ev); err != nil {
			Fail("accumulate " + ev.Type + ": " + err.Error())
		}
	}
	if err := stream.Err(); err != nil {
		Fail("stream.Err(): " + err.Error())
	}
	return msg, events
}

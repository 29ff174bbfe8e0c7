package generate

import (
	"slices"
	"strings"
	"unicode"
)

// AutoTools is the rule by which tool_choice auto (also when tool_choice
// is absent, the default of every agent framework) makes the model call a
// tool. It exists so that a framework's tool loop runs to completion
// without a script: a tool call while the conversation ends with a user's
// request, a text answer once a tool_result comes back.
type AutoTools string

// The rules a server or scenario can choose.
const (
	// AutoNamed calls the first tool (in tools order) that the last user
	// turn's text names; the default, because many clients offer tools on
	// every request (Claude Code offers two dozen with a plain "say hi").
	AutoNamed AutoTools = "named"
	// AutoNever always answers text, as before tools were simulated.
	AutoNever AutoTools = "never"
	// AutoAlways calls the first tool whenever the last user turn is not a
	// tool_result.
	AutoAlways AutoTools = "always"
)

// AutoToolsModes lists the rules by name, in documentation order.
var AutoToolsModes = []string{string(AutoNamed), string(AutoNever), string(AutoAlways)}

// Turn is the user turn a conversation ends with, as auto tool choice
// reads it (consecutive user messages merged, as the API merges them).
type Turn struct {
	// Text is the turn's text: the string content, or its text blocks.
	Text string
	// ToolResult is true when the turn carries a tool_result block.
	ToolResult bool
}

// AutoTool is the tool that tool_choice auto calls under rule, or nil for
// a text answer. turn is nil when the conversation does not end with a
// user turn (a prefill), which is answered with text, as is a turn that
// carries a tool_result. An empty rule is AutoNamed.
func AutoTool(rule AutoTools, tools []Tool, turn *Turn) *Tool {
	if turn == nil || turn.ToolResult || len(tools) == 0 || rule == AutoNever {
		return nil
	}
	if rule == AutoAlways {
		return &tools[0]
	}
	said := nameWords(withoutReminders(turn.Text))
	for i := range tools {
		if names(said, nameWords(tools[i].Name)) {
			return &tools[i]
		}
	}
	return nil
}

// names reports whether the words of a tool's name occur in said, in
// order and next to each other. A name with no words is never named.
func names(said, name []string) bool {
	if len(name) == 0 {
		return false
	}
	for i := 0; i+len(name) <= len(said); i++ {
		if slices.Equal(said[i:i+len(name)], name) {
			return true
		}
	}
	return false
}

// nameWords splits text into lower-case words: runs of letters and digits,
// further split where camelCase turns upper ("getWeather", "HTTPServer"),
// so that "get_weather", "get-weather", "getWeather" and "Get weather" are
// all the words get, weather.
func nameWords(text string) []string {
	var out []string
	for _, run := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		rs := []rune(run)
		start := 0
		for i := 1; i < len(rs); i++ {
			lowerBefore := unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1])
			acronymEnd := unicode.IsUpper(rs[i-1]) && i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsUpper(rs[i]) && (lowerBefore || acronymEnd) {
				out = append(out, strings.ToLower(string(rs[start:i])))
				start = i
			}
		}
		out = append(out, strings.ToLower(string(rs[start:])))
	}
	return out
}

// reminderOpen and reminderClose delimit the notes Claude Code adds to a
// user turn; they mention its tools by name ("use the TodoWrite tool")
// without the user asking for them, so their text does not count.
const (
	reminderOpen  = "<system-reminder>"
	reminderClose = "</system-reminder>"
)

// withoutReminders removes every <system-reminder>…</system-reminder>
// section from text (an unclosed one to the end).
func withoutReminders(text string) string {
	var b strings.Builder
	for {
		before, rest, found := strings.Cut(text, reminderOpen)
		b.WriteString(before)
		if !found {
			return b.String()
		}
		_, text, _ = strings.Cut(rest, reminderClose)
		b.WriteByte(' ')
	}
}

package generate

import (
	"strings"
	"unicode"
	"unicode/utf8"
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
	name := make([][]string, len(tools))
	for i := range tools {
		name[i] = nameWords(tools[i].Name)
	}
	if i := firstNamed(withoutReminders(turn.Text), name); i >= 0 {
		return &tools[i]
	}
	return nil
}

// maxNameWords bounds the words of a tool name firstNamed can look for;
// a name with more is never named (no real tool name comes close).
const maxNameWords = 16

// firstNamed is the index of the first name whose words occur in text, in
// order and next to each other, or -1. It walks the text's words once,
// keeping the last few in a ring, without building them: a 100k-token
// turn costs one pass and no allocation.
func firstNamed(text string, names [][]string) int {
	var ring [maxNameWords]string
	seen, best := 0, len(names)
	eachWord(text, func(w string) bool {
		ring[seen%maxNameWords] = w
		seen++
		for i := range best {
			if endsWith(&ring, seen, names[i]) {
				best = i
				break
			}
		}
		return best > 0
	})
	if best == len(names) {
		return -1
	}
	return best
}

// endsWith reports whether the last seen words in ring are name's, read
// in lower case. A name with no words, or more than the ring holds, is
// never named.
func endsWith(ring *[maxNameWords]string, seen int, name []string) bool {
	if len(name) == 0 || len(name) > maxNameWords || len(name) > seen {
		return false
	}
	for k, want := range name {
		if !lowerEqual(ring[(seen-len(name)+k)%maxNameWords], want) {
			return false
		}
	}
	return true
}

// lowerEqual reports whether strings.ToLower(word) == lower without
// building the lower-case copy.
func lowerEqual(word, lower string) bool {
	for _, r := range word {
		l, n := utf8.DecodeRuneInString(lower)
		if n == 0 || unicode.ToLower(r) != l {
			return false
		}
		lower = lower[n:]
	}
	return lower == ""
}

// eachWord calls yield with each word of text as nameWords splits it, in
// the text's own case, until yield returns false.
func eachWord(text string, yield func(string) bool) {
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !wordRune(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(text) {
			r, n := utf8.DecodeRuneInString(text[j:])
			if !wordRune(r) {
				break
			}
			j += n
		}
		if !splitRun(text[i:j], yield) {
			return
		}
		i = j
	}
}

// wordRune reports whether r belongs to a word: a letter or a digit.
func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// splitRun yields a run of letters and digits split where camelCase turns
// upper, as nameWords splits it; false when yield stopped.
func splitRun(run string, yield func(string) bool) bool {
	prev, pos := utf8.DecodeRuneInString(run)
	start := 0
	for pos < len(run) {
		r, n := utf8.DecodeRuneInString(run[pos:])
		next := rune(-1)
		if pos+n < len(run) {
			next, _ = utf8.DecodeRuneInString(run[pos+n:])
		}
		lowerBefore := unicode.IsLower(prev) || unicode.IsDigit(prev)
		acronymEnd := unicode.IsUpper(prev) && next >= 0 && unicode.IsLower(next)
		if unicode.IsUpper(r) && (lowerBefore || acronymEnd) {
			if !yield(run[start:pos]) {
				return false
			}
			start = pos
		}
		prev, pos = r, pos+n
	}
	return yield(run[start:])
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
	if !strings.Contains(text, reminderOpen) {
		return text
	}
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

package request

import (
	"strings"

	"github.com/claudemock/claudemock/server/internal/generate"
)

// lastUserTurn reads the user turn the conversation ends with, for the
// auto-tools rule and the thinking rules: consecutive user messages merged
// as the API merges them, role "system" messages (a beta) passed over. It
// is nil when the conversation ends with an assistant turn, or when the
// request neither thinks nor offers tools under tool_choice auto, as no
// rule then reads it. It reads the messages parseMessages decoded.
func lastUserTurn(msgs []inMessage, out *Request) *generate.Turn {
	thinks := out.Thinking.Type == "enabled" || out.Thinking.Type == "adaptive"
	if !thinks && (out.ToolChoice.Type != "auto" || len(out.Tools) == 0) {
		return nil
	}
	var turn *generate.Turn
	for i := len(msgs) - 1; i >= 0 && msgs[i].role != "assistant"; i-- {
		if msgs[i].role != "user" {
			continue
		}
		text, result := turnText(msgs[i].content)
		if turn == nil {
			turn = &generate.Turn{}
		}
		if turn.Text == "" {
			turn.Text = text // what the join below gives, without a copy
		} else {
			turn.Text = strings.TrimSuffix(text+"\n"+turn.Text, "\n")
		}
		turn.ToolResult = turn.ToolResult || result
	}
	return turn
}

// turnText is one user message's text (its string, or its text blocks
// one per line) and whether it carries a tool_result.
func turnText(content stringOrBlocks) (string, bool) {
	if content.isString {
		return content.text, false
	}
	var texts []string
	result := false
	it := content.blocks.elems()
	for rawBlock, ok := it.Elem(); ok; rawBlock, ok = it.Elem() {
		// Every block has passed decodeBlock by now.
		var b inBlock
		if rawBlock[0] != '{' || b.read(rawBlock) != "" {
			continue
		}
		switch b.Type {
		case "text":
			texts = append(texts, b.Text)
		case "tool_result":
			result = true
		}
	}
	return strings.Join(texts, "\n"), result
}

package tokens

import (
	"math"
	"time"
)

// Section says where a block sits in the prompt; the cache prefix order is
// Tools, System, Messages, which is also the numeric order.
type Section uint8

// The sections of a prompt, in cache-prefix order.
const (
	Tools Section = iota
	System
	Messages
)

// Kind is what a block holds, which decides how it is counted.
type Kind uint8

// The kinds of block. They are prefixed with Kind because Text, Image and
// Document name the counting functions.
const (
	KindText Kind = iota
	KindImage
	KindDocument
	KindToolDefinition
	KindToolUse
	KindToolResult
	KindThinking
	KindOther
)

// Block is one countable piece of the prompt. Each block gets its own count so
// the prompt-cache simulation can sum the prefix up to any breakpoint.
type Block struct {
	Section Section
	Kind    Kind
	// Text is the text; for KindToolDefinition, KindToolUse and KindOther the
	// compact JSON; for a text document its text (empty for a PDF).
	Text string
	// Width and Height are an image's pixel size, 0 when unknown (URL images).
	Width, Height int
	// Pages is a PDF document's page count, 0 when unknown.
	Pages int
	// Message is the index of the message the block belongs to, -1 outside
	// messages.
	Message int
	// Cache is the TTL of a cache_control breakpoint on this block (5m or
	// 1h), 0 for none.
	Cache time.Duration
}

// Prompt is a request reduced to what the estimate needs: the blocks in
// cache-prefix order, the number of messages (each adds overhead even when
// empty) and whether tool_choice forces a tool (which shortens the tool-use
// system prompt).
type Prompt struct {
	Blocks           []Block
	Messages         int
	ToolChoiceForced bool
	// AutoCache is the TTL of a top-level cache_control, which puts a
	// breakpoint on the last block; 0 for none.
	AutoCache time.Duration
}

// Fixed overheads, see the package documentation.
const (
	requestOverhead        = 7
	messageOverhead        = 3
	systemOverhead         = 3
	toolDefinitionOverhead = 5
	blockOverhead          = 3
	toolPromptAuto         = 346
	toolPromptForced       = 313
)

// Count returns the estimated input tokens of p: the overhead plus every
// block's count, so it equals the overhead plus the sum of CountBlocks. The
// sum saturates at math.MaxInt instead of wrapping, so absurd inputs (a
// Document of math.MaxInt pages) cannot make it negative.
func Count(p Prompt) int {
	n := overhead(p)
	for i := range p.Blocks {
		n = add(n, blockTokens(&p.Blocks[i]))
	}
	return n
}

// add returns a+b for non-negative counts, saturating at math.MaxInt.
func add(a, b int) int {
	if b > math.MaxInt-a {
		return math.MaxInt
	}
	return a + b
}

// CountBlocks appends each block's count to out, in block order, and returns
// the extended slice; passing a reused out keeps it allocation-free, which
// matters because the cache simulation counts every request.
func CountBlocks(p Prompt, out []int) []int {
	for i := range p.Blocks {
		out = append(out, blockTokens(&p.Blocks[i]))
	}
	return out
}

// overhead is the part of the count that belongs to no single block: the
// request, its messages, a non-empty system prompt and the tool-use prompt.
func overhead(p Prompt) int {
	n := requestOverhead + messageOverhead*min(max(p.Messages, 0), math.MaxInt/8)
	var system, tools bool
	for i := range p.Blocks {
		b := &p.Blocks[i]
		system = system || (b.Section == System && b.Text != "")
		tools = tools || b.Kind == KindToolDefinition
	}
	if system {
		n += systemOverhead
	}
	if tools && p.ToolChoiceForced {
		n += toolPromptForced
	} else if tools {
		n += toolPromptAuto
	}
	return n
}

// blockTokens counts one block by its kind. A document with pages or without
// text is a PDF (one page when the count is unknown); otherwise it is text.
func blockTokens(b *Block) int {
	switch b.Kind {
	case KindText:
		return Text(b.Text)
	case KindImage:
		return Image(b.Width, b.Height)
	case KindDocument:
		if b.Pages > 0 || b.Text == "" {
			return Document(b.Pages)
		}
		return Text(b.Text)
	case KindToolDefinition:
		return Text(b.Text) + toolDefinitionOverhead
	default:
		return Text(b.Text) + blockOverhead
	}
}

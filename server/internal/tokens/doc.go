// Package tokens estimates how many input tokens a Messages API request uses.
//
// The real API's tokenizer is not public, so claudemock uses an estimate that is
// documented, deterministic, monotonic (adding a block or appending text never
// lowers the count) and fast (one pass over each text, no allocation). The same
// numbers feed /v1/messages/count_tokens and usage.input_tokens, so the two
// always agree.
//
// The request is first turned into a [Prompt]: an ordered list of [Block]s in
// cache-prefix order (tools, then system, then messages), each counted on its
// own, plus a fixed overhead. The rules are:
//
//   - Text: ceil(ASCII bytes / 4) + number of non-ASCII runes (CJK ≈ one token
//     per character). Empty text is 0. A non-ASCII rune is counted at its UTF-8
//     lead byte (0xC0–0xFF), so a stray continuation byte in invalid UTF-8 adds
//     nothing and appending bytes can never lower the count.
//   - Overhead: the request adds 7, each message adds 3 and a non-empty system
//     prompt adds 3. A lone "Hi" user message is therefore 7 + 3 + 1 = 11.
//   - Tools: each tool definition is Text(its compact JSON) + 5. When any tool
//     is defined, the tool-use system prompt adds 346 tokens when tool_choice is
//     auto or none, and 313 when it forces a tool (any or tool); these are the
//     real API's documented overheads.
//   - Images: scaled down, keeping the aspect ratio, until the long edge is at
//     most 1568 px and the area at most 1,205,862 px (≈1.15 megapixels,
//     1.15 × 2^20, which leaves the documented 1092×1092 maximum untouched);
//     then ceil(width × height / 750), at least 1. An image of unknown size
//     (a URL image) counts as 1092×1092, that is 1590.
//   - PDF documents: 3090 per page (1500 for the text + 1590 for the page
//     image); an unknown page count (a URL PDF) counts as one page. Text
//     documents count as Text of their text.
//   - Tool use, tool result, thinking and any other block: Text of its text
//     (the compact JSON for tool use and other blocks) + 3.
//
// Image sizes come from the PNG, JPEG, GIF or WebP header ([ImageSize],
// [ImageSizeBase64]) and page counts from the "/Type /Page" objects of a PDF
// ([PDFPages], [PDFPagesBase64]); both read base64 lazily so a large upload is
// never decoded into memory just to be counted.
package tokens

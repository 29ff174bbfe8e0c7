package tokens

// Masks for counting bytes eight at a time in a little-endian word.
const (
	highBits  = 0x8080808080808080 // bit 7 of each byte
	evenBytes = 0x00FF00FF00FF00FF
	sumLanes  = 0x0001000100010001 // multiplier that adds four 16-bit lanes into the top one
)

// Text estimates the tokens of s: ceil(ASCII bytes / 4) plus one per
// non-ASCII rune, so English runs about four characters a token and CJK one
// character a token. Non-ASCII runes are counted at their lead byte
// (0xC0–0xFF), which keeps the count monotonic under appending even for
// invalid UTF-8. It reads s once, eight bytes at a time, without allocating.
func Text(s string) int {
	size, high, lead := len(s), 0, 0
	for len(s) >= 8 {
		// Per-byte counters in a word: bit 7 set marks a non-ASCII byte,
		// bits 7 and 6 set a lead byte. A lane holds at most 255 before the
		// counters are added up.
		var hv, lv uint64
		chunk := s[:min(len(s), 255*8)&^7]
		s = s[len(chunk):]
		for ; len(chunk) >= 8; chunk = chunk[8:] {
			x := uint64(chunk[0]) | uint64(chunk[1])<<8 | uint64(chunk[2])<<16 | uint64(chunk[3])<<24 |
				uint64(chunk[4])<<32 | uint64(chunk[5])<<40 | uint64(chunk[6])<<48 | uint64(chunk[7])<<56
			hv += (x & highBits) >> 7
			lv += (x & (x << 1) & highBits) >> 7
		}
		high += sumBytes(hv)
		lead += sumBytes(lv)
	}
	for i := range len(s) {
		if s[i] >= 0x80 {
			high++
		}
		if s[i] >= 0xC0 {
			lead++
		}
	}
	return (size-high+3)/4 + lead
}

// sumBytes adds up the eight bytes of v.
func sumBytes(v uint64) int {
	v = v&evenBytes + v>>8&evenBytes // four 16-bit lanes, each ≤ 510
	return int(v * sumLanes >> 48)
}

package expect

// Report is the verdict on a run: one Result per rule switched on, in the
// order of Rules' fields.
type Report struct {
	Pass     bool     `json:"pass"`
	Requests int      `json:"requests"`
	Results  []Result `json:"expectations"`
}

// Result is one rule's verdict.
type Result struct {
	// Rule is the rule's name as a file writes it ("respects_retry_after").
	Rule string `json:"rule"`
	Pass bool   `json:"pass"`
	// Summary is one line for humans: what was checked, or how it failed.
	Summary    string      `json:"summary"`
	Violations []Violation `json:"violations"`
}

// Violation is one breach of a rule, naming the requests involved by
// their journal sequence numbers (the offender last).
type Violation struct {
	Requests []int  `json:"requests"`
	Detail   string `json:"detail"`
}

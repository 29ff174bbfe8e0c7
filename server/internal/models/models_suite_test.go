package models_test

import (
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/models"
)

func TestModels(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Models Suite")
}

// now is the instant every spec judges stages at.
var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// day is midnight UTC of a day in 2026.
func day(month time.Month, d int) *time.Time {
	t := time.Date(2026, month, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// model is a catalogue entry of a family, created on the given day.
func model(id, family string, created *time.Time) *catalog.Model {
	return &catalog.Model{ID: id, DisplayName: id, Family: family, CreatedAt: *created, ContextWindow: 200000, MaxOutputTokens: 64000}
}

// catalogue is five models newest first; "old" was deprecated in
// February, "gone" retired in January.
func catalogue() []*catalog.Model {
	old := model("old", "haiku-3", day(1, 3))
	old.DeprecatedAt, old.RetiresAt = day(2, 1), day(6, 1)
	gone := model("gone", "claude-2", day(1, 2))
	gone.DeprecatedAt, gone.RetiresAt = day(1, 1), day(1, 20)
	return []*catalog.Model{
		model("e", "opus-4", day(1, 9)), model("d", "sonnet-4", day(1, 8)), model("c", "haiku-4", day(1, 7)), old, gone,
	}
}

// ids lists a page's model ids, its first and last id and has_more.
func ids(p models.Page) []any {
	out := []any{}
	for _, m := range p.Data {
		out = append(out, m.ID)
	}
	first, last := "<nil>", "<nil>"
	if p.FirstID != nil {
		first, last = *p.FirstID, *p.LastID
	}
	return append(out, first, last, p.HasMore)
}

package generate_test

import (
	"math/rand/v2"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/generate"
)

var _ = Describe("Text", func() {
	It("is the words Words draws from the same source, joined", func() {
		for n := range 40 {
			words := generate.Words(rand.New(rand.NewPCG(3, uint64(n))), n)
			Expect(words).To(HaveLen(n))
			Expect(generate.Text(rand.New(rand.NewPCG(3, uint64(n))), n)).To(Equal(strings.Join(words, "")))
		}
	})

	It("writes sentences: capitalised, every word after the first with its space, ended by a period", func() {
		Expect(generate.Text(rand.New(rand.NewPCG(7, 1)), 6)).To(MatchRegexp(`^[A-Z][a-z]*( [a-z]+\.?| [A-Z][a-z]*)*\.$`))
		Expect(generate.Text(rand.New(rand.NewPCG(7, 1)), 0)).To(BeEmpty())
	})
})

var _ = Describe("FromSchema with a schema seen before", func() {
	It("gives the same input for the same source, decoded or cached", func() {
		schema := []byte(`{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer","minimum":1,"maximum":7}},"required":["city"]}`)
		first := generate.FromSchema(rand.New(rand.NewPCG(5, 5)), schema, nil)
		again := generate.FromSchema(rand.New(rand.NewPCG(5, 5)), append([]byte(nil), schema...), nil)
		Expect(again).To(Equal(first))
	})
})

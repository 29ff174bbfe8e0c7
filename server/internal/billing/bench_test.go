package billing_test

import (
	"testing"
	"time"

	"github.com/claudemock/claudemock/server/internal/billing"
)

func BenchmarkCost(b *testing.B) {
	p := loadCatalog().Models()[0].Prices
	u := billing.Usage{Input: 1000, CacheWrite5m: 2000, CacheRead: 10000, Output: 500}
	b.ReportAllocs()
	var sink billing.Money
	for b.Loop() {
		sink += billing.Cost(p, u)
	}
	_ = sink
}

func BenchmarkCharge(b *testing.B) {
	book := billing.NewBook()
	acct := billing.Account{Org: "org", Workspace: "ws"}
	book.EnableCredits("org", true)
	if _, err := book.Deposit("org", 1000*billing.Dollar, nil, nil, time.Time{}); err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if book.Check(acct, now) != nil {
			b.Fatal("refused")
		}
		if err := book.Charge(acct, 1, now); err != nil {
			b.Fatal(err)
		}
	}
}

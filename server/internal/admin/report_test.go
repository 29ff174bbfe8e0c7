package admin_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/admin"
	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/catalog"
)

var t0 = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func rec(at time.Duration, key string, ws *string, uncached, output int) admin.Record {
	return admin.Record{Time: t0.Add(at), KeyID: key, Workspace: ws, Model: "claude-haiku-4-5-20251001", DisplayName: "Claude Haiku 4.5",
		Prices:   catalog.Prices{Input: 1, Output: 5, CacheRead: 0.1, CacheWrite5m: 1.25, CacheWrite1h: 2},
		Uncached: uncached, Output: output, ServiceTier: "standard", ContextWindow: "0-200k", InferenceGeo: "global", Speed: "standard"}
}

func str(s string) *string { return &s }

var _ = Describe("UsageReport", func() {
	records := []admin.Record{
		rec(0, "k1", nil, 10, 1),
		rec(30*time.Second, "k2", str("w"), 20, 2),
		rec(61*time.Second, "k1", nil, 40, 4),
	}
	query := func(width string, extra ...string) admin.UsageQuery {
		q := admin.UsageQuery{ReportQuery: admin.ReportQuery{StartingAt: "2026-03-10T12:00:00Z", EndingAt: "2026-03-10T12:03:00Z", BucketWidth: width}}
		q.GroupBy = extra
		return q
	}

	It("snaps minute buckets to UTC, leaves an empty bucket empty and sums without grouping", func() {
		r, err := admin.UsageReport(records, query("1m"), t0)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Data).To(HaveLen(3))
		Expect([]int{len(r.Data[0].Results), len(r.Data[1].Results), len(r.Data[2].Results)}).To(Equal([]int{1, 1, 0}))
		Expect([]int{r.Data[0].Results[0].Uncached, r.Data[0].Results[0].Output}).To(Equal([]int{30, 3}))
		Expect(r.Data[0].Results[0].APIKeyID).To(BeNil())
		Expect([]string{r.Data[2].StartingAt, r.Data[2].EndingAt}).To(Equal([]string{"2026-03-10T12:02:00Z", "2026-03-10T12:03:00Z"}))
	})

	It("groups by key in the order groups first occur", func() {
		r, err := admin.UsageReport(records, query("1h", "api_key_id", "model"), t0)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Data).To(HaveLen(1))
		res := r.Data[0].Results
		Expect([]any{*res[0].APIKeyID, res[0].Uncached, *res[1].APIKeyID, res[1].Uncached, *res[0].Model}).
			To(Equal([]any{"k1", 50, "k2", 20, "claude-haiku-4-5-20251001"}))
		Expect(res[0].WorkspaceID).To(BeNil())
	})

	It("filters by workspace and pages by the start of the next bucket", func() {
		q := query("1m")
		q.Filters = map[string][]string{"workspace_ids[]": {"w"}}
		q.Limit = "2"
		r, err := admin.UsageReport(records, q, t0)
		Expect(err).NotTo(HaveOccurred())
		Expect([]any{len(r.Data), r.HasMore, *r.NextPage}).To(Equal([]any{2, true, "page_MjAyNi0wMy0xMFQxMjowMjowMFo="}))
		Expect(r.Data[0].Results[0].Uncached).To(Equal(20))
		Expect(r.Data[1].Results).To(BeEmpty())
		q.Page = *r.NextPage
		r, err = admin.UsageReport(records, q, t0)
		Expect(err).NotTo(HaveOccurred())
		Expect([]any{len(r.Data), r.HasMore, r.NextPage}).To(Equal([]any{1, false, (*string)(nil)}))
	})

	DescribeTable("refuses bad parameters in the real API's words",
		func(q admin.UsageQuery, msg string) {
			_, err := admin.UsageReport(records, q, t0.Add(24*time.Hour))
			Expect(err).To(Equal(&apierror.Error{Kind: apierror.InvalidRequest, Message: msg}))
		},
		Entry("no start", admin.UsageQuery{}, "starting_at: Field required"),
		Entry("a bad start", admin.UsageQuery{ReportQuery: admin.ReportQuery{StartingAt: "yesterday"}}, "starting_at: Input should be a valid datetime"),
		Entry("a bad width", admin.UsageQuery{ReportQuery: admin.ReportQuery{StartingAt: "2026-03-10T12:00:00Z", BucketWidth: "1w"}},
			"bucket_width: Input should be '1d', '1h' or '1m'"),
		Entry("too many buckets", admin.UsageQuery{ReportQuery: admin.ReportQuery{StartingAt: "2026-03-10T12:00:00Z", BucketWidth: "1h", Limit: "169"}},
			"limit: Input should be less than or equal to 168"),
		Entry("an end before the start", admin.UsageQuery{ReportQuery: admin.ReportQuery{StartingAt: "2026-03-10T12:00:00Z", EndingAt: "2026-03-10T11:00:00Z"}},
			"ending_at: must be after starting_at"),
		Entry("a start in the future", admin.UsageQuery{ReportQuery: admin.ReportQuery{StartingAt: "2026-03-12T12:00:00Z"}},
			"starting_at: must be in the past"),
		Entry("a forged page", admin.UsageQuery{ReportQuery: admin.ReportQuery{StartingAt: "2026-03-10T12:00:00Z", Page: "page_!!"}},
			"page: invalid page token"),
	)
})

var _ = Describe("CostReport", func() {
	records := []admin.Record{rec(0, "k1", nil, 1_000_000, 0), rec(time.Hour, "k2", str("w"), 0, 3)}

	It("prices each token type, in cents, and its sum is the ledger's cost", func() {
		q := admin.CostQuery{ReportQuery: admin.ReportQuery{StartingAt: "2026-03-10T00:00:00Z", EndingAt: "2026-03-11T00:00:00Z"},
			GroupBy: []string{"workspace_id", "description"}}
		r, err := admin.CostReport(records, q, t0)
		Expect(err).NotTo(HaveOccurred())
		res := r.Data[0].Results
		Expect(res).To(HaveLen(2))
		Expect([]any{res[0].Amount, *res[0].Description, *res[0].TokenType, res[0].WorkspaceID}).
			To(Equal([]any{"100", "Claude Haiku 4.5 Usage - Input Tokens", "uncached_input_tokens", (*string)(nil)}))
		Expect([]any{res[1].Amount, *res[1].Description, *res[1].WorkspaceID}).
			To(Equal([]any{"0.0015", "Claude Haiku 4.5 Usage - Output Tokens", "w"}))
		Expect(admin.Cost(records[0]) + admin.Cost(records[1])).To(BeEquivalentTo(1_000_015_000))
	})

	It("has daily buckets only", func() {
		_, err := admin.CostReport(records, admin.CostQuery{ReportQuery: admin.ReportQuery{StartingAt: "2026-03-10T00:00:00Z", BucketWidth: "1m"}}, t0)
		Expect(err).To(MatchError("invalid_request_error: bucket_width: Input should be '1d'"))
	})
})

package limits

import (
	"fmt"
	"time"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/quota"
)

// MaxBatchRequests is the most requests one batch may hold, in every tier
// (api-facts §2.5).
const MaxBatchRequests = 100_000

// BatchCharge is the one bucket every Message Batches endpoint draws on:
// the organization's batch requests per minute (the tier's batch_rpm).
func BatchCharge(acct accounts.Account) quota.Charge {
	return quota.Charge{
		Key:   quota.Key{Scope: acct.OrgScope(), Dimension: BatchRequests},
		Limit: quota.PerWindow(float64(acct.Tier.BatchRPM), time.Minute, acct.Tier.BurstWindow),
		Need:  1, Take: 1,
	}
}

// BatchRateMessage words a refusal by the batch requests per minute.
func BatchRateMessage(acct accounts.Account) string {
	return Message(acct, quota.Key{Scope: acct.OrgScope(), Dimension: BatchRequests}, float64(acct.Tier.BatchRPM), "")
}

// QueueRoom says whether adding n batch requests to the queued ones keeps
// the organization within its tier's processing queue (batch_queue; 0 is
// no limit), and the limit.
func QueueRoom(acct accounts.Account, queued, n int) (ok bool, limit int) {
	limit = acct.Tier.BatchQueue
	return limit <= 0 || queued+n <= limit, limit
}

// QueueMessage words a refusal by the processing queue: the limit, how
// many requests are queued and how many the batch would add. No wording
// is published; it follows the rate limits' own.
func QueueMessage(acct accounts.Account, limit, queued, n int) string {
	return fmt.Sprintf("This request would exceed your organization's limit of %s batch requests in the processing queue "+
		"(org: %s; %s queued, %s in this batch). For details, refer to: https://docs.claude.com/en/api/rate-limits. "+
		"Please wait for processing batches to end, or submit fewer requests.",
		thousands(int64(limit)), acct.OrgID, thousands(int64(queued)), thousands(int64(n)))
}

package orgs

import "crypto/sha256"

// base58 is the alphabet of the real API's ids (no 0, O, I or l).
const base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// DefaultWorkspaceID is the id the default workspace of the organization
// orgID answers with in anthropic-workspace-id. Real answers since 2026-08
// name a workspace on every request, as "wrkspc_01" and 22 base58
// characters; the mock derives those characters from the organization id,
// so the same organization always has the same default workspace id and
// two organizations never share one by accident. Files and scenarios keep
// calling that workspace DefaultWorkspace.
func DefaultWorkspaceID(orgID string) string {
	return DerivedID("wrkspc_01", "claudemock:default-workspace:"+orgID)
}

// DerivedID is prefix and 22 base58 characters derived from seed: the
// shape of the real API's ids, the same for the same seed, so ids the mock
// makes up (workspaces, API keys) are deterministic.
func DerivedID(prefix, seed string) string {
	sum := sha256.Sum256([]byte(seed))
	id := make([]byte, 22)
	for i := range id {
		id[i] = base58[int(sum[i])%len(base58)]
	}
	return prefix + string(id)
}

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
	var buf [128]byte // every request names its workspace: no allocation but the id
	return derive("wrkspc_01", append(append(buf[:0], "claudemock:default-workspace:"...), orgID...))
}

// DerivedID is prefix and 22 base58 characters derived from seed: the
// shape of the real API's ids, the same for the same seed, so ids the mock
// makes up (workspaces, API keys) are deterministic.
func DerivedID(prefix, seed string) string { return derive(prefix, []byte(seed)) }

// derive is DerivedID of seed's bytes, built in one allocation: the id.
func derive(prefix string, seed []byte) string {
	sum := sha256.Sum256(seed)
	var buf [64]byte
	id := append(buf[:0], prefix...)
	for i := 0; i < 22; i++ {
		id = append(id, base58[int(sum[i])%len(base58)])
	}
	return string(id)
}

// Package accounts knows who a request is billed to and limited as: the
// organizations, their workspaces and keys, each organization's tier, its
// own limits, its customer-set spend limits and its Priority Tier
// commitments.
//
// A Directory resolves an API key to an Account, a value the request
// carries from then on; the control API changes the Directory (tier,
// limits, spend limits, commitments) and the next request resolves to the
// change. Keys nobody configured belong to the default organization, whose
// id the seed decides.
//
// The package speaks no HTTP: errors are plain, and the server decides how
// to render them.
package accounts

// Package admin is the Admin API's domain: the organization, its
// workspaces and API keys as the Console shows them (views over
// accounts.Directory), the rate-limit entries the limiter enforces and
// their workspace overrides, and the usage and cost reports computed from
// journal entries as pure functions (bucketing, grouping, paging).
//
// It speaks no HTTP: requests arrive as plain values (the query's strings),
// answers leave as the JSON shapes of the OpenAPI document, refusals as
// *apierror.Error worded for the client.
package admin

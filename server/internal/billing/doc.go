// Package billing is the money side of the mock: what a request costs, how
// much each organization and workspace has spent this calendar month, whether
// a spend cap or an empty credit balance refuses the next request, and how
// credit purchases move an organization up the usage tiers (api-facts §4, §7,
// §8). It is pure domain logic: no HTTP and no clock, every time-dependent
// method takes now, so specs and scenarios replay exactly. Amounts are Money,
// integer nano-dollars, so sums never drift.
//
// Rules chosen:
//   - A cap (tier, customer organization limit, workspace limit) refuses a
//     request only when the month's spend is already >= the cap. The request
//     that crosses it is served and charged in full; the next is refused
//     until 00:00 UTC on the first day of the next month.
//   - With credits enabled, a request is refused when the balance is <= 0.
//     The request that empties it is served and charged in full, so the
//     balance may end up negative by at most that request's cost.
//   - Checks run in the order tier cap, organization limit, workspace limit,
//     credit balance, and the first that applies is reported.
package billing

// Package control is what the control API changes in an organization:
// its tier, its own limits, its Priority Tier commitments, its prepaid
// credits and its monthly spend limits (the organization's or one
// workspace's). A change is read from a JSON body (Decode,
// DecodeWorkspace) or built from Go arguments (Orgs.Tier, Orgs.Limits,
// Orgs.Priority, SpendLimit, Credits), checked whole, and only then
// applied (Orgs.Apply): a refused part leaves the organization as it was.
//
// Refusals are *apierror.Error, worded as the control API has always
// worded them, naming the field at fault. The package knows nothing of
// HTTP: it never sees a request, a route or a status line, only a body's
// bytes, and rendering a refusal is the server package's business. Nor
// does it know how organizations are kept or spend is counted: it calls
// the directory (accounts) and the book (billing) that do.
package control

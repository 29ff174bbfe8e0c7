// Package files is the Files API's storage: uploads kept per workspace, their
// metadata, paging, deletion, download and the resolution of a file_id a
// Messages request names. It takes the time and ids as arguments and knows no
// HTTP; the multipart body is read by the server, which hands over the part.
//
// One Store serves a whole server and is emptied when the scenario restarts:
// files are account data, like organizations and the spend ledger, not test
// state like buckets and caches, so a client that uploads once and refers to a
// file from several tests finds it; tests that must not see each other's
// files use different workspaces.
package files

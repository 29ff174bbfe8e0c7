// Package config reads the mock's configuration files apart from any
// server: which tier the default organization is on, the organizations
// file, and Validate, which checks a tiers, organizations or scenario
// file told apart by its top-level keys (claudemock validate).
//
// It knows the files' kinds and which package loads each (catalog, orgs,
// scenario), not what a server does with them, and nothing of HTTP.
package config

// Package models is the Models API's view of the catalogue: the ModelInfo
// objects of GET /v1/models and /v1/models/{id}, with each model's
// lifecycle stage and capabilities as of a given instant, and the
// lifecycle filter and cursor paging of the list.
//
// It is its own package rather than part of catalog because it is one
// answer's JSON shape: catalog knows the models for every part of the
// server (validation, limits, prices) and no wire format. It knows nothing
// of HTTP: it takes the query's values as strings, and its refusals are
// plain errors whose text the server sends as an invalid_request_error.
package models

// Package store defines Folio's persistence API. Implementations live in
// sqlite/ (the embedded default) and postgres/ (several nodes on one
// database), and both must pass the contract suite in storetest/.
//
// It imports only content and cache/key; it knows nothing of HTTP or
// rendering.
package store

// Package store defines Folio's persistence API. Implementations live in
// sqlite/ and (later) postgres/, and both must pass the contract suite in
// storetest/.
//
// It imports only content; it knows nothing of HTTP or rendering.
package store

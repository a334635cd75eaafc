package cache

// Memory accounting: what a stored page costs the Go heap, so that the
// budget bounds real memory. The byte slices are charged at their capacity
// (compress and exact allocate them at their size class); the fixed parts
// were calibrated against the heap with TestSize_MatchesHeap.
const (
	// entryOverhead covers the entry, the Page, its meta and variants, the
	// slot in the entries map and the ETag and Last-Modified strings.
	entryOverhead = 640
	// blobOverhead is a coding's blob struct beside its bytes.
	blobOverhead = 48
	// depOverhead is one dependency: its string header in Deps and the
	// entry's slot in the dependency index (a set per dependency key).
	depOverhead = 112
)

// size is the number of bytes a cached page is charged against the budget.
func (p *Page) size(key string) int64 {
	n := int64(entryOverhead + len(key))
	if p.v != nil {
		for c := range numCodings {
			n += blobSize(p.v.b[c].Load())
		}
	}
	for _, d := range p.Deps {
		n += int64(depOverhead + len(d))
	}
	if p.meta != nil {
		n += int64(len(p.meta.surrogate))
	}
	return n
}

package cache

import (
	"hash/maphash"
	"math/bits"
	"sync/atomic"
)

// sketch is a count-min sketch of how often each key was asked for, with
// 4-bit counters that are all halved every resetEvery additions so that
// old popularity fades: the frequency estimate of TinyLFU (Einziger,
// Friedman and Manes, "TinyLFU: A Highly Efficient Cache Admission
// Policy", 2017). The cache consults it when it is full, so that a page
// asked for once (a crawler walking the archive) does not push out a page
// asked for often. It is safe for concurrent use; additions race with a
// reset harmlessly (a count may be lost).
type sketch struct {
	seed       maphash.Seed
	rows       [sketchDepth][]atomic.Uint64 // 16 counters per word
	mask       uint64                       // words per row - 1
	adds       atomic.Uint64
	resetEvery uint64
	resetting  atomic.Bool
}

const sketchDepth = 4

// newSketch returns a sketch sized for about n distinct keys.
func newSketch(n int) *sketch {
	n = max(n, 1024)
	words := 1 << bits.Len(uint(n-1)/16) // a power of two, ≥ n/16
	s := &sketch{seed: maphash.MakeSeed(), mask: uint64(words - 1), resetEvery: uint64(10 * n)}
	for i := range s.rows {
		s.rows[i] = make([]atomic.Uint64, words)
	}
	return s
}

func (s *sketch) hash(key string) uint64 { return maphash.String(s.seed, key) }

// slot returns the word and the counter's bit offset of h in row i.
func (s *sketch) slot(h uint64, i int) (*atomic.Uint64, uint) {
	// Derive one index per row from the hash's halves (Kirsch and
	// Mitzenmacher's double hashing).
	x := h + uint64(i)*(h>>32|h<<32) + uint64(i)*0x9e3779b97f4a7c15
	x ^= x >> 29
	return &s.rows[i][(x>>4)&s.mask], uint(x&15) * 4
}

// add counts one request for the key hashed to h.
func (s *sketch) add(h uint64) {
	for i := range sketchDepth {
		w, off := s.slot(h, i)
		for {
			old := w.Load()
			if (old>>off)&15 == 15 {
				break
			}
			if w.CompareAndSwap(old, old+1<<off) {
				break
			}
		}
	}
	if s.adds.Add(1) >= s.resetEvery && s.resetting.CompareAndSwap(false, true) {
		s.reset()
		s.resetting.Store(false)
	}
}

// estimate returns how often the key hashed to h was asked for (0-15),
// since the halvings.
func (s *sketch) estimate(h uint64) int {
	m := 15
	for i := range sketchDepth {
		w, off := s.slot(h, i)
		m = min(m, int((w.Load()>>off)&15))
	}
	return m
}

// reset halves every counter.
func (s *sketch) reset() {
	s.adds.Store(0)
	for i := range s.rows {
		for j := range s.rows[i] {
			w := &s.rows[i][j]
			w.Store((w.Load() >> 1) & 0x7777777777777777)
		}
	}
}

package search

import (
	"sync"
	"time"
)

// Limiter gives each client a budget of searches per window: searching is
// anonymous and costs CPU. Counts reset when the window turns, so memory
// holds at most the clients of one window.
type Limiter struct {
	n      int
	window time.Duration
	mu     sync.Mutex
	start  time.Time
	counts map[string]int
}

// NewLimiter allows n searches per client in each window.
func NewLimiter(n int, window time.Duration) *Limiter {
	return &Limiter{n: n, window: window, counts: map[string]int{}}
}

// maxClients bounds the map within one window; past it, counting starts over.
const maxClients = 100_000

// Allow counts one search by client at now and reports whether it is
// within the budget.
func (l *Limiter) Allow(client string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.start) >= l.window || len(l.counts) >= maxClients {
		l.start, l.counts = now, map[string]int{}
	}
	l.counts[client]++
	return l.counts[client] <= l.n
}

// Window is the limiter's window, for Retry-After.
func (l *Limiter) Window() time.Duration { return l.window }

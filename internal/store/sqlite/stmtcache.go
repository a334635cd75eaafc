package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStmts bounds the shared statement cache. The store's queries are
// a few hundred constant texts; queries built with a variable number of
// placeholders beyond the bound run unprepared.
const maxCachedStmts = 512

// stmtCache keeps one prepared statement per query text for the whole pool:
// parsing and planning a query cost about as much as running it on an
// uncached page render. database/sql prepares a cached statement again on
// each connection the first time that connection runs it, and reuses it
// after, so a transaction picks it up through Tx.StmtContext.
//
// Statements are prepared by a goroutine of their own, never by the
// transaction that first meets the query: preparing through the pool takes
// a second connection, and transactions holding every connection while
// each waits for one more would deadlock.
type stmtCache struct {
	db      *sql.DB
	mu      sync.Mutex
	stmts   map[string]*sql.Stmt
	pending map[string]bool
	wake    chan struct{}
	stop    context.CancelFunc
	done    chan struct{}
}

func newStmtCache(db *sql.DB) *stmtCache {
	ctx, cancel := context.WithCancel(context.Background())
	c := &stmtCache{db: db, stmts: map[string]*sql.Stmt{}, pending: map[string]bool{},
		wake: make(chan struct{}, 1), stop: cancel, done: make(chan struct{})}
	go c.run(ctx)
	return c
}

// get returns the prepared statement for query, or nil when it is not
// prepared yet; a miss asks the preparer for it.
func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.Lock()
	st, ok := c.stmts[query]
	if !ok && !c.pending[query] && len(c.stmts)+len(c.pending) < maxCachedStmts {
		c.pending[query] = true
		select {
		case c.wake <- struct{}{}:
		default:
		}
	}
	c.mu.Unlock()
	return st
}

func (c *stmtCache) run(ctx context.Context) {
	defer close(c.done)
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.wake:
		}
		for {
			c.mu.Lock()
			var query string
			for q := range c.pending {
				query = q
				break
			}
			c.mu.Unlock()
			if query == "" {
				break
			}
			st, err := c.db.PrepareContext(ctx, query)
			c.mu.Lock()
			delete(c.pending, query)
			if err == nil {
				c.stmts[query] = st
			} else if ctx.Err() == nil {
				// A query that does not prepare (it names a table a
				// later migration adds, say) stays one-off; the caller
				// gets the error from its own run. Mark it so it is not
				// asked for again.
				c.stmts[query] = nil
			}
			c.mu.Unlock()
			if ctx.Err() != nil {
				return
			}
		}
	}
}

// close stops the preparer and closes every statement; the pool is closed
// after it.
func (c *stmtCache) close() {
	c.stop()
	<-c.done
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		if st != nil {
			st.Close()
		}
	}
	c.stmts = map[string]*sql.Stmt{}
}

// shared returns the transaction's form of the pool's prepared statement
// for query, or nil to run it unprepared.
func (tx *Tx) shared(ctx context.Context, query string) *sql.Stmt {
	if tx.db == nil || tx.db.prep == nil {
		return nil
	}
	st := tx.db.prep.get(query)
	if st == nil {
		return nil
	}
	return tx.Tx.StmtContext(ctx, st)
}

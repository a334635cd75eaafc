package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"folio/internal/cache"
	"folio/internal/store"
)

var (
	cacheHits = prometheus.NewDesc("folio_cache_hits_total", "Page cache lookups answered from a stored page.", nil, nil)
	cacheMiss = prometheus.NewDesc("folio_cache_misses_total", "Page cache lookups that waited for a render.", nil, nil)
	cacheEvic = prometheus.NewDesc("folio_cache_evictions_total", "Pages dropped to stay within the cache budget.", nil, nil)
	cacheInv  = prometheus.NewDesc("folio_cache_invalidations_total", "Pages dropped because something they showed changed.", nil, nil)
	cacheByt  = prometheus.NewDesc("folio_cache_bytes", "Bytes held by the page cache.", nil, nil)
	cacheBud  = prometheus.NewDesc("folio_cache_budget_bytes", "The page cache's byte budget.", nil, nil)
	cacheEnt  = prometheus.NewDesc("folio_cache_entries", "Pages held by the page cache.", nil, nil)

	poolMax  = prometheus.NewDesc("folio_db_pool_max_connections", "The database pool's connection limit.", nil, nil)
	poolOpen = prometheus.NewDesc("folio_db_pool_open_connections", "Database connections open.", nil, nil)
	poolUse  = prometheus.NewDesc("folio_db_pool_in_use_connections", "Database connections lent out.", nil, nil)
	poolIdle = prometheus.NewDesc("folio_db_pool_idle_connections", "Database connections open and idle.", nil, nil)
	poolWait = prometheus.NewDesc("folio_db_pool_waits_total", "Connection requests that had to wait.", nil, nil)
	poolWD   = prometheus.NewDesc("folio_db_pool_wait_seconds_total", "Time spent waiting for a database connection.", nil, nil)
)

// cacheCollector reads the cache's counters at scrape time.
type cacheCollector struct{ stats func() cache.Stats }

func (c cacheCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{cacheHits, cacheMiss, cacheEvic, cacheInv, cacheByt, cacheBud, cacheEnt} {
		ch <- d
	}
}

func (c cacheCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.stats()
	ch <- prometheus.MustNewConstMetric(cacheHits, prometheus.CounterValue, float64(s.Hits))
	ch <- prometheus.MustNewConstMetric(cacheMiss, prometheus.CounterValue, float64(s.Misses))
	ch <- prometheus.MustNewConstMetric(cacheEvic, prometheus.CounterValue, float64(s.Evictions))
	ch <- prometheus.MustNewConstMetric(cacheInv, prometheus.CounterValue, float64(s.Invalidations))
	ch <- prometheus.MustNewConstMetric(cacheByt, prometheus.GaugeValue, float64(s.Bytes))
	ch <- prometheus.MustNewConstMetric(cacheBud, prometheus.GaugeValue, float64(s.Budget))
	ch <- prometheus.MustNewConstMetric(cacheEnt, prometheus.GaugeValue, float64(s.Entries))
}

// poolCollector reads the database pool's statistics at scrape time.
type poolCollector struct{ stats func() store.PoolStats }

func (c poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolMax, poolOpen, poolUse, poolIdle, poolWait, poolWD} {
		ch <- d
	}
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.stats()
	ch <- prometheus.MustNewConstMetric(poolMax, prometheus.GaugeValue, float64(s.MaxOpen))
	ch <- prometheus.MustNewConstMetric(poolOpen, prometheus.GaugeValue, float64(s.Open))
	ch <- prometheus.MustNewConstMetric(poolUse, prometheus.GaugeValue, float64(s.InUse))
	ch <- prometheus.MustNewConstMetric(poolIdle, prometheus.GaugeValue, float64(s.Idle))
	ch <- prometheus.MustNewConstMetric(poolWait, prometheus.CounterValue, float64(s.WaitCount))
	ch <- prometheus.MustNewConstMetric(poolWD, prometheus.CounterValue, s.WaitDuration.Seconds())
}

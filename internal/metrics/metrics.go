package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"folio/internal/cache"
	"folio/internal/store"
)

// Sources are what the metrics read when scraped; nil fields are left out.
type Sources struct {
	Cache      func() cache.Stats
	QueueDepth func(ctx context.Context) (int, error)
	Pool       func() store.PoolStats
}

// Metrics holds one process's collectors in a registry of its own, so two
// servers in one test binary do not share counters.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	render   prometheus.Histogram
}

// New registers the collectors, reading src when scraped.
func New(src Sources) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "folio_http_requests_total",
			Help: "HTTP requests answered, by route class and status code.",
		}, []string{"class", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "folio_http_request_duration_seconds",
			Help: "Time to answer an HTTP request, by route class.",
			// Cached pages answer in microseconds; renders and uploads in
			// milliseconds to seconds.
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"class"}),
		render: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "folio_render_seconds",
			Help:    "Time to render a public page on a cache miss.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.render,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if src.Cache != nil {
		m.reg.MustRegister(cacheCollector{src.Cache})
	}
	if src.QueueDepth != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "folio_job_queue_depth",
			Help: "Jobs waiting to run (available, scheduled or to be retried); -1 when the count failed.",
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			n, err := src.QueueDepth(ctx)
			if err != nil {
				return -1
			}
			return float64(n)
		}))
	}
	if src.Pool != nil {
		m.reg.MustRegister(poolCollector{src.Pool})
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// ObserveRender records one page render's duration.
func (m *Metrics) ObserveRender(d time.Duration) { m.render.Observe(d.Seconds()) }

// Middleware counts and times every request by route class and status.
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		class := Class(r.URL.Path)
		code := sw.status
		if code == 0 {
			code = http.StatusOK
		}
		m.requests.WithLabelValues(class, strconv.Itoa(code)).Inc()
		m.duration.WithLabelValues(class).Observe(time.Since(start).Seconds())
	})
}

// statusWriter remembers the status written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection (flushes,
// deadlines) through the wrapper.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

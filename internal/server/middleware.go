package server

import (
	"crypto/rand"
	"encoding/hex"
	"folio/internal/embeds"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain applies middleware so the first one listed runs first.
func Chain(h http.Handler, mw ...Middleware) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// RequestID returns the ID WithRequestID gave the response w.
func RequestID(w http.ResponseWriter) string {
	if v := w.Header()["X-Request-Id"]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// requestIDPrefix makes IDs unique across restarts and nodes; the counter
// makes them unique within a process without a random read per request.
var (
	requestIDPrefix = func() string {
		var b [4]byte
		_, _ = rand.Read(b[:])
		return hex.EncodeToString(b[:]) + "-"
	}()
	requestSeq atomic.Uint64
)

// WithRequestID gives every request an ID, echoed in X-Request-ID.
func WithRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The ID travels in the response header, where WithLogging reads
		// it; not copying the request into a new context saves an
		// allocation on every cached page.
		w.Header()["X-Request-Id"] = []string{requestIDPrefix + strconv.FormatUint(requestSeq.Add(1), 36)}
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
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
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// WithLogging logs one line per request at debug level, and server errors at warn.
func WithLogging(log *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			sw := &statusWriter{ResponseWriter: w}
			next.ServeHTTP(sw, r)
			level := slog.LevelDebug
			if sw.status >= 500 {
				level = slog.LevelWarn
			}
			log.LogAttrs(r.Context(), level, "request",
				slog.String("request_id", RequestID(w)),
				slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Int("status", sw.status), slog.Int64("bytes", sw.bytes),
				slog.Duration("duration", time.Since(start)))
		})
	}
}

// WithRecover turns a panic in a handler into a 500 and a log line with the stack.
func WithRecover(log *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					log.Error("panic in handler", "request_id", RequestID(w), "path", r.URL.Path,
						"panic", v, "stack", string(debug.Stack()))
					http.Error(w, "Internal server error", http.StatusInternalServerError)
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// WithSecurityHeaders sets strict headers on every response. Public pages
// load nothing from third parties except allowed embeds. The values are built
// once and assigned by canonical key: this runs on every cached page.
func WithSecurityHeaders(next http.Handler) http.Handler {
	csp := strings.Join([]string{
		"default-src 'self'",
		"img-src 'self' https:",
		// Audio in article bodies plays from the media base, which may be
		// a CDN (--media-base-url), like images.
		"media-src 'self' https:",
		"script-src 'self'",
		"style-src 'self'",
		"frame-src " + strings.Join(embeds.Origins(), " "),
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'self'",
	}, "; ")
	headers := [][2]string{
		{"Content-Security-Policy", csp},
		{"X-Content-Type-Options", "nosniff"},
		{"Referrer-Policy", "strict-origin-when-cross-origin"},
		{"X-Frame-Options", "SAMEORIGIN"},
		{"Permissions-Policy", "interest-cohort=(), camera=(), microphone=(), geolocation=()"},
	}
	values := make([][]string, len(headers))
	for i, h := range headers {
		values[i] = []string{h[1]}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for i, kv := range headers {
			// Handlers replace rather than append to these, so sharing the
			// slice is safe; Set would allocate a new one per request.
			h[kv[0]] = values[i]
		}
		next.ServeHTTP(w, r)
	})
}

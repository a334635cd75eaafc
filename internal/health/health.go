package health

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"sync"
	"time"
)

// Check is one dependency of readiness.
type Check struct {
	Name string
	// Fn returns nil when the dependency works. It gets a context bounded
	// by Timeout.
	Fn func(ctx context.Context) error
}

// Timeout bounds each check, so a hung database makes the node unready
// rather than its probe hang.
const Timeout = 2 * time.Second

// Live answers every request with 200 "ok": the process is up and its HTTP
// server works. It checks nothing else, so a database outage does not make
// an orchestrator restart every node at once.
func Live() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte("ok\n"))
	})
}

// Result is one check's outcome as /readyz reports it.
type Result struct {
	Name  string `json:"name"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// Ready runs every check at once on each request and answers 200 when all
// pass, 503 otherwise, with a JSON list of the results. With detail false
// (the public listener) error texts are left out: they can name hosts and
// paths; the operator's listener shows them.
func Ready(detail bool, checks ...Check) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		res := Run(r.Context(), checks...)
		status := http.StatusOK
		for i := range res {
			if !res[i].OK {
				status = http.StatusServiceUnavailable
			}
			if !detail {
				res[i].Error = ""
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(struct {
			Ready  bool     `json:"ready"`
			Checks []Result `json:"checks"`
		}{status == http.StatusOK, res})
	})
}

// Run runs the checks concurrently and returns their results in order.
func Run(ctx context.Context, checks ...Check) []Result {
	res := make([]Result, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, Timeout)
			defer cancel()
			err := c.Fn(cctx)
			res[i] = Result{Name: c.Name, OK: err == nil}
			if err != nil {
				res[i].Error = err.Error()
			}
		})
	}
	wg.Wait()
	return res
}

// WritableDir checks that dir exists and a file can be created in it, as
// uploads and image variants need.
func WritableDir(dir string) func(context.Context) error {
	return func(context.Context) error {
		fi, err := os.Stat(dir)
		if err != nil {
			return err
		}
		if !fi.IsDir() {
			return errors.New(dir + " is not a directory")
		}
		f, err := os.CreateTemp(dir, ".readyz-*")
		if err != nil {
			return err
		}
		name := f.Name()
		f.Close()
		return os.Remove(name)
	}
}

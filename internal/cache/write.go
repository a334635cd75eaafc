package cache

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Write sends p in answer to r.
//
// It picks the content coding from Accept-Encoding (q-values honoured; on
// equal q brotli, then gzip, then identity; "identity;q=0" and "*;q=0" are
// respected when another coding is available) and sets Content-Type,
// Content-Encoding, Content-Length, Vary: Accept-Encoding, ETag (one strong
// tag per coding: "t", "t-gz", "t-br"), Last-Modified, Cache-Control and
// Surrogate-Key (the page's Deps).
//
// For a 200 page, If-None-Match matching any of the page's tags (weak
// comparison, or "*") and otherwise If-Modified-Since not before
// Last-Modified answer 304 Not Modified with no body. HEAD gets the headers,
// Content-Length included, and no body.
func Write(w http.ResponseWriter, r *http.Request, p *Page) {
	if p.v == nil {
		// Not prepared by Get: prepare a copy for this call.
		q := *p
		q.Body = slices.Clone(p.Body)
		if err := prepare(&q, Brotli, time.Time{}); err != nil {
			http.Error(w, "Internal server error", http.StatusInternalServerError)
			return
		}
		p = &q
	}
	m := p.meta

	coding := Identity
	if p.v.compressed {
		coding = negotiate(r.Header["Accept-Encoding"], true, true)
	}

	h := w.Header()
	if p.v.compressed {
		addVary(h)
	}
	h["Etag"] = []string{m.etag[coding]}
	if !p.LastModified.IsZero() {
		h["Last-Modified"] = []string{m.lastMod}
	}
	if p.CacheControl != "" {
		h["Cache-Control"] = []string{p.CacheControl}
	}
	if m.surrogate != "" {
		h["Surrogate-Key"] = []string{m.surrogate}
	}

	status := p.Status
	if status == http.StatusOK && notModified(r, p, m) {
		w.WriteHeader(http.StatusNotModified)
		return
	}

	b, err := p.blob(coding)
	if err != nil || b == nil {
		// Only a corrupt stored coding gets here.
		for _, k := range []string{"Etag", "Last-Modified", "Cache-Control", "Surrogate-Key", "Vary"} {
			delete(h, k)
		}
		http.Error(w, "Internal server error", http.StatusInternalServerError)
		return
	}
	switch coding {
	case Gzip:
		h["Content-Encoding"] = []string{"gzip"}
	case Brotli:
		h["Content-Encoding"] = []string{"br"}
	}
	if p.ContentType != "" {
		h["Content-Type"] = []string{p.ContentType}
	}
	h["Content-Length"] = []string{b.len}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(b.b) // a failed write means the client went away
	}
}

// Preferred returns the coding Write would send r for a compressible page:
// what a render for r should be stored in first.
func Preferred(r *http.Request) Coding {
	return negotiate(r.Header["Accept-Encoding"], true, true)
}

// addVary adds Accept-Encoding to Vary unless it is already there; handlers
// may have set Vary: Accept for content negotiation.
func addVary(h http.Header) {
	for _, v := range h["Vary"] {
		for f := range strings.SplitSeq(v, ",") {
			if f = strings.TrimSpace(f); f == "*" || strings.EqualFold(f, "Accept-Encoding") {
				return
			}
		}
	}
	h["Vary"] = append(h["Vary"], "Accept-Encoding")
}

// notModified evaluates If-None-Match, or failing that If-Modified-Since, as
// RFC 9110 section 13.2.2 orders them for GET and HEAD.
func notModified(r *http.Request, p *Page, m *meta) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if inm := r.Header["If-None-Match"]; len(inm) > 0 {
		for _, v := range inm {
			if matchAny(v, &m.etag) {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !p.LastModified.IsZero() {
		t, err := http.ParseTime(ims)
		return err == nil && !p.LastModified.Truncate(time.Second).After(t)
	}
	return false
}

// matchAny reports whether the If-None-Match list v contains "*" or, by weak
// comparison, any of tags.
func matchAny(v string, tags *[numCodings]string) bool {
	for {
		v = strings.TrimLeft(v, " \t,")
		if v == "" {
			return false
		}
		if v[0] == '*' {
			return true
		}
		v = strings.TrimPrefix(v, "W/")
		if len(v) < 2 || v[0] != '"' {
			return false // malformed: stop rather than guess
		}
		end := strings.IndexByte(v[1:], '"')
		if end < 0 {
			return false
		}
		tag := v[:end+2]
		for _, t := range tags {
			if t != "" && t == tag {
				return true
			}
		}
		v = v[end+2:]
	}
}

// negotiate picks the content coding for an Accept-Encoding header (RFC 9110
// section 12.5.3). A missing header gets identity: clients that do not ask
// for compression rarely cope with it.
func negotiate(values []string, haveBr, haveGzip bool) Coding {
	if len(values) == 0 {
		return Identity
	}
	// q-values in thousandths; -1 means not mentioned.
	qBr, qGzip, qIdentity, qStar := -1, -1, -1, -1
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			name, params, _ := strings.Cut(part, ";")
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			q := parseQ(params)
			switch {
			case strings.EqualFold(name, "br"):
				qBr = max(qBr, q)
			case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
				qGzip = max(qGzip, q)
			case strings.EqualFold(name, "identity"):
				qIdentity = max(qIdentity, q)
			case name == "*":
				qStar = max(qStar, q)
			}
		}
	}
	orStar := func(q int) int {
		if q < 0 {
			return max(qStar, 0)
		}
		return q
	}
	qBr, qGzip = orStar(qBr), orStar(qGzip)
	if qIdentity < 0 {
		// Identity is acceptable unless excluded, but only as a fallback.
		qIdentity = 0
		if qStar != 0 {
			qIdentity = 1
		}
		if qBr > 0 || qGzip > 0 {
			qIdentity = 0
		}
	}
	best, bestQ := Identity, qIdentity
	if haveGzip && qGzip > 0 && qGzip >= bestQ {
		best, bestQ = Gzip, qGzip
	}
	if haveBr && qBr > 0 && qBr >= bestQ {
		best = Brotli
	}
	return best
}

// parseQ returns the q parameter in thousandths (1000 when absent, 0 when
// malformed).
func parseQ(params string) int {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || f < 0 || f > 1 {
			return 0
		}
		return int(f*1000 + 0.5)
	}
	return 1000
}

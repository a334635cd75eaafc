package cache

import (
	"net/http"
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
	m := p.meta
	if m == nil || m.lens != [numCodings]int{len(p.Body), len(p.Gzip), len(p.Brotli)} {
		// Not prepared by Get (or modified since): compute per call.
		q := *p
		if q.ETag == "" {
			q.ETag = etagOf(q.Body)
		}
		if q.Status == 0 {
			q.Status = http.StatusOK
		}
		m = newMeta(&q)
		p = &q
	}

	coding := identity
	if p.Gzip != nil || p.Brotli != nil {
		coding = negotiate(r.Header["Accept-Encoding"], p.Brotli != nil, p.Gzip != nil)
	}

	h := w.Header()
	if p.Gzip != nil || p.Brotli != nil {
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

	body := p.Body
	switch coding {
	case codingGzip:
		body = p.Gzip
		h["Content-Encoding"] = []string{"gzip"}
	case codingBrotli:
		body = p.Brotli
		h["Content-Encoding"] = []string{"br"}
	}
	if p.ContentType != "" {
		h["Content-Type"] = []string{p.ContentType}
	}
	h["Content-Length"] = []string{m.length[coding]}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body) // a failed write means the client went away
	}
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
func negotiate(values []string, haveBr, haveGzip bool) int {
	if len(values) == 0 {
		return identity
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
	best, bestQ := identity, qIdentity
	if haveGzip && qGzip > 0 && qGzip >= bestQ {
		best, bestQ = codingGzip, qGzip
	}
	if haveBr && qBr > 0 && qBr >= bestQ {
		best = codingBrotli
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

// Command ceiling is the Go ceiling of the benchmarks: it loads a static
// export (as written by folio export-static) into memory at start and serves
// those exact bytes with net/http, picking the precompressed .br or .gz
// sibling by Accept-Encoding. Nothing else is in the path: no logging, no
// middleware, no rendering.
//
//	go run ./bench/ceiling --dir EXPORT --addr 127.0.0.1:8302
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// variant is one encoding of a file with its headers prebuilt, so serving
// allocates nothing for them.
type variant struct {
	body     []byte
	length   []string
	etag     []string
	encoding []string // nil for identity
}

type entry struct {
	ctype      []string
	id, gz, br *variant
}

var vary = []string{"Accept-Encoding"}

// ContentType is what Folio sends for a file of the export, by name.
func ContentType(name string) string {
	base := path.Base(name)
	switch {
	case base == "feed.xml":
		return "application/rss+xml; charset=utf-8"
	case base == "atom.xml":
		return "application/atom+xml; charset=utf-8"
	case base == "feed.json":
		return "application/feed+json; charset=utf-8"
	case strings.HasSuffix(base, ".html"):
		return "text/html; charset=utf-8"
	case strings.HasSuffix(base, ".xml"):
		return "application/xml; charset=utf-8"
	case strings.HasSuffix(base, ".txt"):
		return "text/plain; charset=utf-8"
	}
	if t := mime.TypeByExtension(path.Ext(base)); t != "" {
		return t
	}
	return "application/octet-stream"
}

func newVariant(b []byte, tag, enc string) *variant {
	v := &variant{body: b, length: []string{strconv.Itoa(len(b))}, etag: []string{`"` + tag + `"`}}
	if enc != "" {
		v.encoding = []string{enc}
	}
	return v
}

func load(root string) (map[string]*entry, int64, error) {
	pages := map[string]*entry{}
	var total int64
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasSuffix(p, ".gz") || strings.HasSuffix(p, ".br") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		tag := hex.EncodeToString(sum[:12])
		e := &entry{ctype: []string{ContentType(p)}, id: newVariant(b, tag, "")}
		total += int64(len(b))
		if gz, err := os.ReadFile(p + ".gz"); err == nil {
			e.gz = newVariant(gz, tag+"-gz", "gzip")
			total += int64(len(gz))
		}
		if br, err := os.ReadFile(p + ".br"); err == nil {
			e.br = newVariant(br, tag+"-br", "br")
			total += int64(len(br))
		}
		rel, _ := filepath.Rel(root, p)
		key := "/" + filepath.ToSlash(rel)
		pages[key] = e
		if dir, ok := strings.CutSuffix(key, "/index.html"); ok {
			pages[dir+"/"] = e
		}
		return nil
	})
	return pages, total, err
}

// accepts reports whether the Accept-Encoding header value allows coding
// (a listed token without q=0).
func accepts(header, coding string) bool {
	for header != "" {
		var part string
		part, header, _ = strings.Cut(header, ",")
		name, params, _ := strings.Cut(part, ";")
		if strings.TrimSpace(name) != coding {
			continue
		}
		params = strings.ReplaceAll(params, " ", "")
		return !(params == "q=0" || params == "q=0.0" || params == "q=0.00" || params == "q=0.000")
	}
	return false
}

func main() {
	dir := flag.String("dir", "", "static export directory")
	addr := flag.String("addr", "127.0.0.1:8302", "listen address")
	flag.Parse()
	t0 := time.Now()
	pages, total, err := load(*dir)
	if err != nil {
		log.Fatal(err)
	}
	if len(pages) == 0 {
		log.Fatalf("ceiling: %s holds no files", *dir)
	}
	fmt.Fprintf(os.Stderr, "ceiling: %d paths, %d MiB in memory, loaded in %v; serving on %s\n",
		len(pages), total>>20, time.Since(t0).Round(time.Millisecond), *addr)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e := pages[r.URL.Path]
		if e == nil {
			http.NotFound(w, r)
			return
		}
		v := e.id
		if ae := r.Header.Get("Accept-Encoding"); ae != "" {
			if e.br != nil && accepts(ae, "br") {
				v = e.br
			} else if e.gz != nil && accepts(ae, "gzip") {
				v = e.gz
			}
		}
		hd := w.Header()
		hd["Content-Type"] = e.ctype
		hd["Etag"] = v.etag
		hd["Vary"] = vary
		if v.encoding != nil {
			hd["Content-Encoding"] = v.encoding
		}
		if inm := r.Header.Get("If-None-Match"); inm != "" && inm == v.etag[0] {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		hd["Content-Length"] = v.length
		if r.Method == http.MethodHead {
			return
		}
		w.Write(v.body)
	})
	log.Fatal(http.ListenAndServe(*addr, h))
}

package importer

import (
	"bytes"
	"context"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"folio/internal/embeds"
	"folio/internal/media"
	"folio/internal/render/markdown"
)

// What a body holds besides text is brought along or reported: images are
// imported into the media library and the body points at them (and their
// variants); galleries become one figure of images; players and embeds
// stay when Folio may show them and become links otherwise; every element
// that cannot be kept is a warning naming it.

// galleryAttr marks the placeholder a [gallery] shortcode leaves in a
// WordPress body until the run knows the attachments it names.
const galleryAttr = "data-folio-gallery"

// bodyMedia imports the images of body and rewrites it; gallery, when not
// nil, lists the attachments a WordPress gallery placeholder stands for.
// changed reports whether the body differs from the one given.
func (r *run) bodyMedia(ctx context.Context, n int, id, body, marker string,
	gallery func(ids string) []attachment) (out string, changed bool, err error) {
	if !strings.Contains(body, "<img") && !strings.Contains(body, "<video") && !strings.Contains(body, "<audio") &&
		!strings.Contains(body, "<iframe") && !strings.Contains(body, galleryAttr) && !strings.Contains(body, "http") &&
		!strings.Contains(body, "<object") && !strings.Contains(body, "<embed") && !strings.Contains(body, "<form") {
		return body, false, nil
	}
	root := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, perr := html.ParseFragment(strings.NewReader(body), root)
	if perr != nil {
		return body, false, nil
	}
	for _, nd := range nodes {
		root.AppendChild(nd)
	}
	var walk func(nd *html.Node) error
	walk = func(nd *html.Node) error {
		for c := nd.FirstChild; c != nil; {
			next := c.NextSibling
			if c.Type == html.ElementNode {
				repl, err := r.bodyElement(ctx, n, id, c, marker, gallery)
				if err != nil {
					return err
				}
				if repl != nil && repl.Type == html.ElementNode && repl.DataAtom == atom.P && nd.DataAtom == atom.P && repl.FirstChild != nil {
					a := repl.FirstChild // a link inside a paragraph stays inline
					repl.RemoveChild(a)
					repl = a
				}
				if repl != nil {
					nd.InsertBefore(repl, c)
					nd.RemoveChild(c)
					changed = true
					c = repl
					if c.Type == html.ElementNode && (c.DataAtom == atom.Figure || c.DataAtom == atom.P) {
						if err := walk(c); err != nil { // a gallery's images
							return err
						}
					}
					c = next
					continue
				}
				if c.DataAtom == atom.Img {
					ch, err := r.bodyImage(ctx, n, id, c, marker)
					if err != nil {
						return err
					}
					changed = changed || ch
				} else if err := walk(c); err != nil {
					return err
				}
			}
			c = next
		}
		return nil
	}
	if err := walk(root); err != nil {
		return "", false, err
	}
	if !changed {
		return body, false, nil
	}
	var buf bytes.Buffer
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		_ = html.Render(&buf, c)
		buf.WriteString("\n\n")
	}
	return htmlBlocks(buf.String()), true, nil
}

func attr(nd *html.Node, key string) string {
	for _, a := range nd.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func setAttr(nd *html.Node, key, val string) {
	for i, a := range nd.Attr {
		if a.Key == key {
			nd.Attr[i].Val = val
			return
		}
	}
	nd.Attr = append(nd.Attr, html.Attribute{Key: key, Val: val})
}

func dropAttrs(nd *html.Node, keys ...string) {
	out := nd.Attr[:0]
	for _, a := range nd.Attr {
		keep := true
		for _, k := range keys {
			if a.Key == k {
				keep = false
			}
		}
		if keep {
			out = append(out, a)
		}
	}
	nd.Attr = out
}

// allowed reports whether the sanitizer keeps an element: players become
// blocks as soon as the sanitizer's allow-list has them.
func allowed(tag string) bool {
	return strings.Contains(markdown.Sanitize("<"+tag+` src="https://example.org/a"></`+tag+">"), "<"+tag)
}

func linkNode(u, text string) *html.Node {
	p := &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P}
	a := &html.Node{Type: html.ElementNode, Data: "a", DataAtom: atom.A, Attr: []html.Attribute{{Key: "href", Val: u}}}
	a.AppendChild(&html.Node{Type: html.TextNode, Data: text})
	p.AppendChild(a)
	return p
}

// loneURL is the URL a paragraph (or embed wrapper) holds and nothing
// else: WordPress turns such a line into an embed.
func loneURL(nd *html.Node) string {
	var text strings.Builder
	for c := nd.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode:
			text.WriteString(c.Data)
		case c.Type == html.ElementNode && c.DataAtom == atom.A && c.FirstChild != nil && c.FirstChild == c.LastChild &&
			c.FirstChild.Type == html.TextNode && strings.TrimSpace(c.FirstChild.Data) == attr(c, "href"):
			text.WriteString(attr(c, "href"))
		default:
			return ""
		}
	}
	u := strings.TrimSpace(text.String())
	if strings.ContainsAny(u, " \n\t") || (!strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://")) {
		return ""
	}
	return u
}

// bodyElement returns what replaces nd, or nil to keep it (and look inside).
func (r *run) bodyElement(ctx context.Context, n int, id string, nd *html.Node, marker string,
	gallery func(string) []attachment) (*html.Node, error) {
	switch nd.DataAtom {
	case atom.Figure:
		if ids, ok := galleryIDs(nd); ok {
			var atts []attachment
			if gallery != nil {
				atts = gallery(ids)
			}
			if len(atts) == 0 {
				r.rep.warn(n, id, "gallery has no images in the export; left out")
				return &html.Node{Type: html.CommentNode, Data: "gallery"}, nil
			}
			fig := &html.Node{Type: html.ElementNode, Data: "figure", DataAtom: atom.Figure}
			for _, a := range atts {
				fig.AppendChild(&html.Node{Type: html.ElementNode, Data: "img", DataAtom: atom.Img,
					Attr: []html.Attribute{{Key: "src", Val: a.url}, {Key: "alt", Val: firstNonEmpty(a.alt, a.title)}}})
			}
			return fig, nil
		}
		if strings.Contains(attr(nd, "class"), "wp-block-embed") {
			for c := nd.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && strings.Contains(attr(c, "class"), "wp-block-embed__wrapper") {
					if u := loneURL(c); u != "" {
						return r.embedNode(n, id, u), nil
					}
				}
			}
		}
	case atom.P:
		if u := loneURL(nd); u != "" {
			if nd.FirstChild != nil && nd.FirstChild == nd.LastChild && nd.FirstChild.Type == html.TextNode {
				// A bare address on its own line is an embed in WordPress.
				return r.embedNode(n, id, u), nil
			}
		}
	case atom.Video, atom.Audio:
		src := attr(nd, "src")
		for c := nd.FirstChild; src == "" && c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.Source {
				src = attr(c, "src")
			}
		}
		// A player of a file elsewhere would make the reader's browser ask
		// that host before any click; only the library's own files play.
		if allowed(nd.Data) && strings.HasPrefix(src, "/media/") {
			return nil, nil
		}
		if src == "" {
			r.rep.warn(n, id, "<%s> without a source left out", nd.Data)
			return &html.Node{Type: html.CommentNode, Data: nd.Data}, nil
		}
		if allowed(nd.Data) {
			r.rep.warn(n, id, "<%s> %s kept as a link (players play files of the media library only; upload it to play it here)", nd.Data, src)
			return linkNode(src, src), nil
		}
		r.rep.warn(n, id, "<%s> %s kept as a link (Folio bodies hold no %s players)", nd.Data, src, nd.Data)
		return linkNode(src, src), nil
	case atom.Iframe:
		src := attr(nd, "src")
		var buf bytes.Buffer
		_ = html.Render(&buf, nd)
		if embedAllowed(buf.String()) {
			return nil, nil
		}
		if src == "" {
			r.rep.warn(n, id, "<iframe> without a source left out")
			return &html.Node{Type: html.CommentNode, Data: "iframe"}, nil
		}
		r.rep.warn(n, id, "<iframe> %s kept as a link (not on the embeds allow-list)", src)
		return linkNode(src, src), nil
	case atom.Object, atom.Embed, atom.Form, atom.Input, atom.Button, atom.Select, atom.Textarea, atom.Script, atom.Style, atom.Noscript:
		r.rep.warn(n, id, "<%s> left out (not allowed in article bodies)", nd.Data)
		return &html.Node{Type: html.CommentNode, Data: nd.Data}, nil
	}
	return nil, nil
}

// embedNode is what an embed by page URL becomes: a lone link, which the
// renderer turns into a click-to-load player when the embeds allow-list
// has its provider, and which stays a link (reported) otherwise.
func (r *run) embedNode(n int, id, u string) *html.Node {
	if _, ok := embeds.Match(u); ok {
		return linkNode(u, u)
	}
	r.rep.warn(n, id, "embed of %s kept as a link (not on the embeds allow-list)", u)
	return linkNode(u, u)
}

func galleryIDs(nd *html.Node) (string, bool) {
	for _, a := range nd.Attr {
		if a.Key == galleryAttr {
			return a.Val, true
		}
	}
	return "", false
}

// bodyImage imports one <img> and points it at the media library.
func (r *run) bodyImage(ctx context.Context, n int, id string, img *html.Node, marker string) (bool, error) {
	src := strings.TrimSpace(attr(img, "src"))
	if src == "" || strings.HasPrefix(src, "data:") || strings.HasPrefix(src, "/media/") {
		return false, nil
	}
	alt := attr(img, "alt")
	sid := "url:" + mediaKey(src)
	if r.mediaID != nil {
		sid = r.mediaID(src)
	}
	m, err := r.ensureMedia(ctx, n, id, sid, src, media.Meta{Alt: truncateUTF8(alt, media.MaxAlt)}, marker, "image")
	if err != nil || m == nil {
		return false, err
	}
	setAttr(img, "src", r.urls.Media(m.Path))
	if strings.TrimSpace(alt) == "" && m.Alt != "" {
		setAttr(img, "alt", m.Alt)
	}
	dropAttrs(img, "srcset", "sizes", "class")
	return true, nil
}

// mediaKey is an image address without its query ("?w=604") and scheme,
// so the same file named two ways is imported once.
func mediaKey(src string) string {
	u, err := url.Parse(src)
	if err != nil {
		return src
	}
	return u.Host + u.EscapedPath()
}

var sizeSuffix = regexp.MustCompile(`-\d{2,5}x\d{2,5}(\.[A-Za-z0-9]+)$`)

// findUpload finds the file an image address names in the uploads copy:
// by its path after marker ("wp-content/uploads/2019/05/x.jpg"), by its
// path on WordPress.com's file hosts (example.files.wordpress.com/2019/05/
// x.jpg), without WordPress's size suffix (x-300x200.jpg → x.jpg), and
// last by file name alone, when one file in the uploads has it.
func (r *run) findUpload(u, marker string) string {
	if r.opt.Uploads == "" {
		return ""
	}
	var cands []string
	if rel := uploadsPath(u, marker); rel != "" {
		cands = append(cands, rel)
	}
	if pu, err := url.Parse(u); err == nil {
		if p, err := url.PathUnescape(pu.EscapedPath()); err == nil {
			p = path.Clean("/" + p)[1:]
			if strings.HasSuffix(pu.Host, ".files.wordpress.com") || strings.HasSuffix(pu.Host, ".wordpress.com") {
				cands = append(cands, p)
			}
		}
	}
	for _, c := range cands {
		if s := sizeSuffix.ReplaceAllString(c, "$1"); s != c {
			cands = append(cands, s)
		}
	}
	for _, c := range cands {
		if !fs.ValidPath(c) {
			continue
		}
		if st, err := os.Stat(filepath.Join(r.opt.Uploads, filepath.FromSlash(c))); err == nil && st.Mode().IsRegular() {
			return c
		}
	}
	base := ""
	if pu, err := url.Parse(u); err == nil {
		if p, err := url.PathUnescape(path.Base(pu.EscapedPath())); err == nil {
			base = p
		}
	}
	if base == "" || base == "." || base == "/" {
		return ""
	}
	idx := r.uploadIndex()
	for _, b := range []string{base, sizeSuffix.ReplaceAllString(base, "$1")} {
		if rels := idx[strings.ToLower(b)]; len(rels) == 1 {
			return rels[0]
		}
	}
	return ""
}

// maxIndexed bounds the uploads walk for name matching.
const maxIndexed = 500000

// uploadIndex maps lower-cased file names in the uploads copy to their
// paths, built once a run when an address matches no path.
func (r *run) uploadIndex() map[string][]string {
	if r.uploads != nil {
		return r.uploads
	}
	r.uploads = map[string][]string{}
	seen := 0
	_ = filepath.WalkDir(r.opt.Uploads, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if seen++; seen > maxIndexed {
			return filepath.SkipAll
		}
		rel, err := filepath.Rel(r.opt.Uploads, p)
		if err != nil {
			return nil
		}
		k := strings.ToLower(d.Name())
		r.uploads[k] = append(r.uploads[k], filepath.ToSlash(rel))
		return nil
	})
	for _, v := range r.uploads {
		sort.Strings(v)
	}
	return r.uploads
}

package media

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"

	"folio/internal/content"
)

// An SVG is a document that can run script, load other documents and
// call home. The library keeps a drawing only as a rewritten copy holding
// the elements and attributes of shapes, text, gradients, filters and
// styles: no script, no event handlers, no animation (it can rewrite a
// link into script), no foreign content, no reference to anything outside
// the file. The site serves it with a sandboxing CSP besides.

const (
	nsSVG   = "http://www.w3.org/2000/svg"
	nsXLink = "http://www.w3.org/1999/xlink"
	nsXML   = "http://www.w3.org/XML/1998/namespace"
)

// svgElements are the SVG elements kept; any other is dropped with what it
// holds. "a" is kept as its content (a link is a way out).
var svgElements = map[string]bool{}

func init() {
	for _, e := range strings.Fields(`svg g defs symbol use title desc path rect circle ellipse line polyline polygon
		text tspan textPath linearGradient radialGradient stop clipPath mask pattern marker image style switch view
		filter feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting
		feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feImage
		feMerge feMergeNode feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence`) {
		svgElements[e] = true
	}
}

var (
	// cssURL finds every url( reference in a style or attribute value; each
	// must point inside the file (#id).
	cssURL    = regexp.MustCompile(`(?i)url\s*\(\s*(['"]?)\s*([^'")\s]*)`)
	dataImage = regexp.MustCompile(`^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$`)
	svgLength = regexp.MustCompile(`^\s*([0-9]+(?:\.[0-9]+)?)\s*(px)?\s*$`)
)

// safeValue reports whether an attribute or style value references nothing
// outside the file and carries no script.
func safeValue(v string) bool {
	low := strings.ToLower(strings.Join(strings.Fields(v), ""))
	if strings.Contains(low, "javascript:") || strings.Contains(low, "vbscript:") || strings.Contains(low, "@import") ||
		strings.Contains(low, "expression(") || strings.Contains(low, "\\") || strings.Contains(low, "behavior:") {
		return false
	}
	for _, m := range cssURL.FindAllStringSubmatch(v, -1) {
		if !strings.HasPrefix(m[2], "#") {
			return false
		}
	}
	return true
}

// xmlEscaper escapes text and attribute values; unlike xml.EscapeText it
// keeps line breaks and tabs as they are.
var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// sanitizeSVG copies the SVG from r to w, keeping only what is safe, and
// returns the drawing's size in pixels (0 when it does not say). An input
// that is not a well-formed UTF-8 SVG document is refused.
func sanitizeSVG(r io.Reader, w io.Writer) (width, height int, err error) {
	d := xml.NewDecoder(r)
	d.Strict = true
	bw := bufio.NewWriter(w)
	depth, skip := 0, 0 // skip > 0 while inside a dropped element
	var stack []string  // names written, "" for unwrapped elements
	root := false
	inStyle := false
	refuse := func(why string) (int, int, error) {
		return 0, 0, content.Errorf(content.EINVALID, "the SVG file cannot be used: %s", why)
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if strings.Contains(strings.ToLower(err.Error()), "charset") {
				return refuse("it must be UTF-8")
			}
			return refuse(fmt.Sprintf("it is not well-formed XML (%v)", err))
		}
		switch t := tok.(type) {
		case xml.Directive:
			if strings.Contains(strings.ToUpper(string(t)), "ENTITY") {
				return refuse("it declares XML entities")
			}
		case xml.StartElement:
			depth++
			if depth > 256 {
				return refuse("its elements nest more than 256 deep")
			}
			if !root {
				if t.Name.Space != nsSVG || t.Name.Local != "svg" {
					return refuse("its root element is not <svg> in the SVG namespace")
				}
				root = true
				width, height = svgSize(t)
			}
			if skip > 0 || t.Name.Space != nsSVG || (!svgElements[t.Name.Local] && t.Name.Local != "a") {
				skip++
				continue
			}
			if t.Name.Local == "a" {
				stack = append(stack, "")
				continue
			}
			stack = append(stack, t.Name.Local)
			bw.WriteString("<" + t.Name.Local)
			if depth == 1 {
				bw.WriteString(` xmlns="` + nsSVG + `" xmlns:xlink="` + nsXLink + `"`)
			}
			for _, a := range t.Attr {
				name, ok := svgAttr(t.Name.Local, a)
				if !ok {
					continue
				}
				bw.WriteString(" " + name + `="` + xmlEscaper.Replace(a.Value) + `"`)
			}
			bw.WriteString(">")
			inStyle = t.Name.Local == "style"
		case xml.EndElement:
			depth--
			if skip > 0 {
				skip--
				continue
			}
			name := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if name != "" {
				bw.WriteString("</" + name + ">")
			}
			inStyle = false
		case xml.CharData:
			if skip > 0 || !root {
				continue
			}
			if inStyle && !safeValue(string(t)) {
				return refuse("its stylesheet loads something from outside the file")
			}
			bw.WriteString(xmlEscaper.Replace(string(t)))
		}
	}
	if !root {
		return refuse("it has no <svg> element")
	}
	if err := bw.Flush(); err != nil {
		return 0, 0, fmt.Errorf("media: write SVG: %w", err)
	}
	return width, height, nil
}

// svgAttr returns the name to write an attribute under, or false to drop
// it: event handlers, namespaces other than SVG's own attributes, xml: and
// xlink:href, references outside the file, and values carrying script.
func svgAttr(element string, a xml.Attr) (string, bool) {
	local := a.Name.Local
	var name string
	switch a.Name.Space {
	case "":
		if local == "xmlns" {
			return "", false // written on the root
		}
		name = local
	case nsXML:
		if local != "space" && local != "lang" {
			return "", false
		}
		name = "xml:" + local
	case nsXLink:
		if local != "href" {
			return "", false
		}
		name = "xlink:href"
	default:
		return "", false // xmlns declarations (written on the root), editors' own (inkscape:, sodipodi:)
	}
	if strings.HasPrefix(strings.ToLower(local), "on") {
		return "", false
	}
	if local == "href" {
		v := strings.TrimSpace(a.Value)
		if strings.HasPrefix(v, "#") && safeValue(v) {
			return name, true
		}
		if (element == "image" || element == "feImage") && dataImage.MatchString(v) {
			return name, true
		}
		return "", false
	}
	if !safeValue(a.Value) {
		return "", false
	}
	return name, true
}

// svgSize reads the root's width and height, or its viewBox, in pixels.
func svgSize(t xml.StartElement) (int, int) {
	var w, h, vb string
	for _, a := range t.Attr {
		if a.Name.Space != "" {
			continue
		}
		switch a.Name.Local {
		case "width":
			w = a.Value
		case "height":
			h = a.Value
		case "viewBox":
			vb = a.Value
		}
	}
	px := func(s string) int {
		m := svgLength.FindStringSubmatch(s)
		if m == nil {
			return 0
		}
		f, err := strconv.ParseFloat(m[1], 64)
		if err != nil || f <= 0 || f > 100000 {
			return 0
		}
		return int(math.Round(f))
	}
	if pw, ph := px(w), px(h); pw > 0 && ph > 0 {
		return pw, ph
	}
	f := strings.FieldsFunc(vb, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' })
	if len(f) == 4 {
		if vw, vh := px(f[2]), px(f[3]); vw > 0 && vh > 0 {
			return vw, vh
		}
	}
	return 0, 0
}

// sanitizeSVGFile writes the sanitized copy of the upload in f to a new
// temp file in dir and returns its name, size and the drawing's size.
func sanitizeSVGFile(dir string, f *os.File) (string, int64, int, int, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", 0, 0, 0, fmt.Errorf("media: rewind upload: %w", err)
	}
	out, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return "", 0, 0, 0, fmt.Errorf("media: create temp file: %w", err)
	}
	w, h, err := sanitizeSVG(f, out)
	if err == nil {
		err = out.Sync()
	}
	var st os.FileInfo
	if err == nil {
		st, err = out.Stat()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", 0, 0, 0, err
	}
	return out.Name(), st.Size(), w, h, nil
}

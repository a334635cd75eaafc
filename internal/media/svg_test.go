package media_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"folio/internal/content"
	"folio/internal/media"
)

// saveSVG uploads src and returns the stored drawing.
func saveSVG(t *testing.T, src string) (string, *content.Media, error) {
	t.Helper()
	l := newLibrary(t)
	m, err := l.Save(context.Background(), "drawing.svg", strings.NewReader(src), media.Meta{Alt: "drawing"})
	if err != nil {
		return "", nil, err
	}
	f, err := l.Open(m.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	return string(b), m, nil
}

func TestSVG_Hostile(t *testing.T) {
	const open = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="50">`
	hostile := map[string]string{
		"script":            open + `<script>alert(1)</script><rect width="10" height="10"/></svg>`,
		"scriptCDATA":       open + `<script><![CDATA[alert(1)]]></script><rect width="10" height="10"/></svg>`,
		"scriptNS":          open + `<x:script xmlns:x="http://www.w3.org/2000/svg">alert(1)</x:script><rect width="10" height="10"/></svg>`,
		"onload":            `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10" onclick="alert(1)" OnMouseOver="alert(1)"/></svg>`,
		"jsHref":            open + `<a href="javascript:alert(1)"><rect width="10" height="10"/></a><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>`,
		"externalUse":       open + `<use href="https://evil.example/sprite.svg#icon"/><use xlink:href="//evil.example/s.svg#i"/><rect width="10" height="10"/></svg>`,
		"externalImage":     open + `<image href="https://evil.example/track.png" width="10" height="10"/><image xlink:href="http://evil.example/t.png"/><rect width="10" height="10"/></svg>`,
		"svgImage":          open + `<image href="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+"/><rect width="10" height="10"/></svg>`,
		"foreignObject":     open + `<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example/"></iframe><body xmlns="http://www.w3.org/1999/xhtml" onload="alert(1)"/></foreignObject><rect width="10" height="10"/></svg>`,
		"animateHref":       open + `<a><animate attributeName="href" to="javascript:alert(1)"/><set attributeName="onclick" to="alert(1)"/><text>x</text></a><rect width="10" height="10"/></svg>`,
		"styleImport":       open + `<style>@import url(https://evil.example/x.css); rect { fill: red }</style><rect width="10" height="10"/></svg>`,
		"styleAttrURL":      open + `<rect width="10" height="10" style="fill: url(https://evil.example/p.svg#g)"/><rect width="10" height="10" fill="url('http://evil.example/#x')"/></svg>`,
		"styleEscape":       open + `<rect width="10" height="10" style="background:u\72l(https://evil.example/)"/></svg>`,
		"feImageExternal":   open + `<filter id="f"><feImage href="https://evil.example/x.png"/></filter><rect width="10" height="10" filter="url(#f)"/></svg>`,
		"iframeHTML":        open + `<iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert(1)"></iframe><rect width="10" height="10"/></svg>`,
		"processing":        `<?xml-stylesheet href="https://evil.example/x.css" type="text/css"?>` + open + `<rect width="10" height="10"/></svg>`,
		"editorNamespaces":  `<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" inkscape:version="1.3" xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="load"><rect width="10" height="10"/></svg>`,
		"entityInAttribute": open + `<rect width="10" height="10" fill="&#106;avascript:alert(1)"/></svg>`,
	}
	forbidden := []string{"script", "alert", "onload", "onclick", "onmouseover", "evil.example", "javascript:", "foreignobject",
		"iframe", "animate", "<set", "@import", "inkscape", "ev:event", "data:image/svg", "xml-stylesheet", "<a"}
	for name, src := range hostile {
		t.Run(name, func(t *testing.T) {
			out, _, err := saveSVG(t, src)
			if err != nil {
				if strings.HasPrefix(content.ErrorMessage(err), "the SVG file cannot be used") {
					return // refused outright is safe too
				}
				t.Fatal(err)
			}
			low := strings.ToLower(out)
			for _, f := range forbidden {
				if strings.Contains(low, f) {
					t.Errorf("stored SVG contains %q:\n%s", f, out)
				}
			}
			if !strings.Contains(out, "<rect") && !strings.Contains(out, "<text") {
				t.Errorf("the drawing lost its shapes:\n%s", out)
			}
		})
	}
}

func TestSVG_Refused(t *testing.T) {
	for name, tt := range map[string]struct{ src, msg string }{
		"billionLaughs": {`<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>`,
			"the SVG file cannot be used: it declares XML entities"},
		"externalEntity": {`<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>`,
			"the SVG file cannot be used: it declares XML entities"},
		"notSVGNamespace": {`<svg><rect width="1" height="1"/></svg>`, "the SVG file cannot be used: its root element is not <svg> in the SVG namespace"},
		"html":            {`<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>`, "the SVG file cannot be used: its root element is not <svg> in the SVG namespace"},
		"malformed":       {`<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>`, "the SVG file cannot be used: it is not well-formed XML"},
		"latin1":          {`<?xml version="1.0" encoding="ISO-8859-1"?><svg xmlns="http://www.w3.org/2000/svg"/>`, "the SVG file cannot be used: it must be UTF-8"},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := saveSVG(t, tt.src)
			wantCode(t, err, content.EINVALID)
			if msg := content.ErrorMessage(err); !strings.HasPrefix(msg, tt.msg) {
				t.Fatalf("message %q, want %q", msg, tt.msg)
			}
		})
	}
}

// TestSVG_Kept checks that an ordinary chart survives whole: shapes,
// gradients referenced inside the file, local <use>, text, a safe
// stylesheet and an embedded raster image.
func TestSVG_Kept(t *testing.T) {
	src := `<?xml version="1.0" encoding="UTF-8"?>
<!-- Chart: rainfall -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 640 360">
<title>Rainfall</title><style>.bar { fill: url(#g); } text { font: 12px sans-serif; }</style>
<defs><linearGradient id="g"><stop offset="0" stop-color="#36c"/><stop offset="1" stop-color="#9cf"/></linearGradient>
<rect id="bar" class="bar" width="40" height="100"/></defs>
<use xlink:href="#bar" x="10"/><use href="#bar" x="60"/>
<text x="10" y="350" xml:space="preserve">Kabul &amp; Herat</text>
<image width="4" height="4" href="data:image/png;base64,iVBORw0KGgo="/>
</svg>`
	out, m, err := saveSVG(t, src)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 640 360">`,
		`<title>Rainfall</title>`, `.bar { fill: url(#g); }`, `<stop offset="0" stop-color="#36c"></stop>`, `<use xlink:href="#bar" x="10"></use>`,
		`<use href="#bar" x="60"></use>`, `<text x="10" y="350" xml:space="preserve">Kabul &amp; Herat</text>`, `href="data:image/png;base64,iVBORw0KGgo="`} {
		if !strings.Contains(out, want) {
			t.Errorf("stored SVG lacks %q:\n%s", want, out)
		}
	}
	if m.ContentType != "image/svg+xml" || m.Width != 640 || m.Height != 360 || !strings.HasSuffix(m.Path, ".svg") {
		t.Errorf("record %+v", m)
	}
}

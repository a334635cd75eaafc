package media

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"strings"
	"testing"

	"folio/internal/content"
)

func fuzzImages(f *testing.F) [][]byte {
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var p, j, g bytes.Buffer
	if err := png.Encode(&p, img); err != nil {
		f.Fatal(err)
	}
	if err := jpeg.Encode(&j, img, nil); err != nil {
		f.Fatal(err)
	}
	if err := gif.Encode(&g, img, nil); err != nil {
		f.Fatal(err)
	}
	// A PNG header claiming 100000×100000 pixels: a decompression bomb
	// must be refused from its header, before any pixel is decoded.
	bomb := append([]byte(nil), p.Bytes()...)
	copy(bomb[16:24], []byte{0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0})
	return [][]byte{p.Bytes(), j.Bytes(), g.Bytes(), bomb, []byte("RIFF\x00\x00\x00\x00WEBPVP8 "), []byte("not an image")}
}

// FuzzIngestAndDecode uploads arbitrary bytes and, when they are
// accepted, decodes the stored file as the variant job does. No input may
// panic; a refusal is invalid or too_large (a client error with a
// message); an accepted image is within the pixel limit; and decoding
// either works or reports the file undecodable.
func FuzzIngestAndDecode(f *testing.F) {
	for _, b := range fuzzImages(f) {
		f.Add(b)
	}
	l := &Library{Root: f.TempDir(), MaxBytes: 1 << 20, MaxPixels: 250_000} // small, so a decode stays quick
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := l.Ingest(context.Background(), "upload.bin", bytes.NewReader(b), Meta{})
		if err != nil {
			if c := content.ErrorCode(err); (c != content.EINVALID && c != content.ETOOLARGE) || content.ErrorMessage(err) == "" {
				t.Fatalf("refused with %v (code %s), want invalid or too_large", err, c)
			}
			return
		}
		defer os.Remove(l.Root + "/" + m.Path)
		if !IsRaster(m.ContentType) {
			return // drawings, documents and sound: FuzzSanitizeSVG covers the one that is rewritten
		}
		if int64(m.Width)*int64(m.Height) > int64(l.MaxPixels) || m.Width <= 0 || m.Height <= 0 {
			t.Fatalf("accepted %d×%d", m.Width, m.Height)
		}
		if _, err := l.decode(m.Path); err != nil && !errors.Is(err, errUndecodable) {
			t.Fatalf("decode %s: %v", m.Path, err)
		}
	})
}

// FuzzSanitizeSVG rewrites arbitrary XML. No input may panic; what is
// written is well-formed, and holds no element or attribute that runs
// script or reaches outside the file.
func FuzzSanitizeSVG(f *testing.F) {
	for _, s := range []string{
		`<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="https://e.example/#a"/><a href="javascript:x"><text>t</text></a></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(//e.example/x.css)</style><foreignObject><b/></foreignObject></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(#g)" fill="url(http://e.example/)"/></svg>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var out bytes.Buffer
		if _, _, err := sanitizeSVG(strings.NewReader(src), &out); err != nil {
			if content.ErrorCode(err) != content.EINVALID {
				t.Fatalf("refused with %v, want invalid", err)
			}
			return
		}
		d := xml.NewDecoder(bytes.NewReader(out.Bytes()))
		d.Strict = true
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("output is not well-formed (%v):\n in: %q\nout: %q", err, src, out.String())
			}
			el, ok := tok.(xml.StartElement)
			if !ok {
				continue
			}
			if el.Name.Space != nsSVG || !svgElements[el.Name.Local] {
				t.Fatalf("output keeps <%s %s>: %q", el.Name.Space, el.Name.Local, out.String())
			}
			for _, a := range el.Attr {
				low := strings.ToLower(a.Name.Local)
				if strings.HasPrefix(low, "on") || (low == "href" && !strings.HasPrefix(a.Value, "#") && !strings.HasPrefix(a.Value, "data:image/")) || !safeValue(a.Value) {
					t.Fatalf("output keeps %s=%q: %q", a.Name.Local, a.Value, out.String())
				}
			}
		}
	})
}

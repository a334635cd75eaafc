package sitemap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// element is a parsed XML element: name and children, text for leaves.
type element struct {
	Name     xml.Name
	Children []*element
	Text     string
}

func parseTree(raw []byte) (*element, error) {
	d := xml.NewDecoder(bytes.NewReader(raw))
	var stack []*element
	var root *element
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return root, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			e := &element{Name: t.Name}
			if len(stack) == 0 {
				root = e
			} else {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, e)
			}
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(t)
			}
		}
	}
}

// checkNewsSchema checks raw against the structure the sitemap 0.9 schema
// and Google's news extension require: a urlset of 1 to 50,000 url
// elements; each url a loc, then optional lastmod, changefreq and priority
// in that order, then elements of other namespaces only; a news:news
// holding publication (name, language), publication_date and title, in
// that order, each present once.
func checkNewsSchema(raw []byte) error {
	root, err := parseTree(raw)
	if err != nil {
		return err
	}
	if root == nil || root.Name != (xml.Name{Space: nsSitemap, Local: "urlset"}) {
		return fmt.Errorf("root is %v, want urlset in %s", root, nsSitemap)
	}
	if n := len(root.Children); n < 1 || n > MaxURLs {
		return fmt.Errorf("urlset holds %d url elements, want 1 to %d", n, MaxURLs)
	}
	order := map[string]int{"loc": 0, "lastmod": 1, "changefreq": 2, "priority": 3}
	for i, u := range root.Children {
		if u.Name != (xml.Name{Space: nsSitemap, Local: "url"}) {
			return fmt.Errorf("child %d is %v, want url", i+1, u.Name)
		}
		last, locs, foreign := -1, 0, false
		for _, c := range u.Children {
			if c.Name.Space != nsSitemap {
				foreign = true
				if c.Name.Space == nsNews {
					if err := checkNewsElement(c); err != nil {
						return fmt.Errorf("url %d: %w", i+1, err)
					}
				}
				continue
			}
			pos, ok := order[c.Name.Local]
			if !ok || pos <= last || foreign {
				return fmt.Errorf("url %d: %s out of place", i+1, c.Name.Local)
			}
			last = pos
			if c.Name.Local == "loc" {
				locs++
				if err := checkAbs(strings.TrimSpace(c.Text)); err != nil {
					return fmt.Errorf("url %d: %w", i+1, err)
				}
			}
		}
		if locs != 1 {
			return fmt.Errorf("url %d has %d loc elements, want 1", i+1, locs)
		}
	}
	return nil
}

func checkNewsElement(n *element) error {
	want := []string{"publication", "publication_date", "title"}
	if len(n.Children) != len(want) {
		return fmt.Errorf("news:news has %d children, want %v", len(n.Children), want)
	}
	for i, c := range n.Children {
		if c.Name != (xml.Name{Space: nsNews, Local: want[i]}) {
			return fmt.Errorf("news:news child %d is %v, want news:%s", i+1, c.Name, want[i])
		}
		if c.Name.Local != "publication" && strings.TrimSpace(c.Text) == "" {
			return fmt.Errorf("news:%s is empty", c.Name.Local)
		}
	}
	pub := n.Children[0].Children
	if len(pub) != 2 || pub[0].Name.Local != "name" || pub[1].Name.Local != "language" ||
		strings.TrimSpace(pub[0].Text) == "" || strings.TrimSpace(pub[1].Text) == "" {
		return errors.New("news:publication must hold a name and a language")
	}
	return nil
}

// TestNews_Schema: the news sitemap keeps the schema's structure with
// articles and without any, when it lists the home page alone.
func TestNews_Schema(t *testing.T) {
	var full, empty bytes.Buffer
	items := []NewsItem{{Loc: "https://meridian.example/dams/", Title: "Dams", Lang: "en", Published: now}}
	if err := News(&full, "The Meridian Review", "https://meridian.example/", items); err != nil {
		t.Fatal(err)
	}
	if err := checkNewsSchema(full.Bytes()); err != nil {
		t.Errorf("with an article: %v\n%s", err, full.Bytes())
	}
	if err := News(&empty, "The Meridian Review", "https://meridian.example/", nil); err != nil {
		t.Fatal(err)
	}
	if err := checkNewsSchema(empty.Bytes()); err != nil {
		t.Errorf("empty: %v\n%s", err, empty.Bytes())
	}
	var got decodedURLSet
	decode(t, empty.Bytes(), &got)
	if len(got.URLs) != 1 || got.URLs[0].Loc != "https://meridian.example/" || got.URLs[0].News != nil {
		t.Errorf("empty news sitemap %+v: want the home page alone, without news tags", got.URLs)
	}
	// The checker itself refuses what the schema refuses.
	for name, bad := range map[string]string{
		"NoURL":       `<urlset xmlns="` + nsSitemap + `"></urlset>`,
		"TwoLocs":     `<urlset xmlns="` + nsSitemap + `"><url><loc>https://a.example/</loc><loc>https://b.example/</loc></url></urlset>`,
		"NewsNoTitle": `<urlset xmlns="` + nsSitemap + `" xmlns:news="` + nsNews + `"><url><loc>https://a.example/</loc><news:news><news:publication><news:name>P</news:name><news:language>en</news:language></news:publication><news:publication_date>2026-01-01</news:publication_date></news:news></url></urlset>`,
	} {
		if checkNewsSchema([]byte(bad)) == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := News(&bytes.Buffer{}, "P", "/", nil); err == nil {
		t.Error("a relative home accepted")
	}
}

package feed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"time"

	"folio/internal/urls"
)

type atomFeed struct {
	XMLName   xml.Name    `xml:"feed"`
	NS        string      `xml:"xmlns,attr"`
	NSMedia   string      `xml:"xmlns:media,attr"`
	Lang      string      `xml:"xml:lang,attr,omitempty"`
	ID        string      `xml:"id"`
	Title     atomText    `xml:"title"`
	Subtitle  *atomText   `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Links     []xmlLink   `xml:"link"`
	Author    atomPerson  `xml:"author"`
	Rights    atomText    `xml:"rights"`
	Generator atomGen     `xml:"generator"`
	Logo      string      `xml:"logo,omitempty"`
	Entries   []atomEntry `xml:"entry"`
}

type atomText struct {
	Type  string `xml:"type,attr,omitempty"`
	Value string `xml:",chardata"`
}

type atomGen struct {
	Value string `xml:",chardata"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomEntry struct {
	Lang       string         `xml:"xml:lang,attr,omitempty"`
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Links      []xmlLink      `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    atomContent    `xml:"content"`
	Rights     atomText       `xml:"rights"`
	Media      *mediaContent  `xml:"media:content,omitempty"`
	Free       *accessElem    `xml:",omitempty"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr,omitempty"`
	Label  string `xml:"label,attr,omitempty"`
}

type atomContent struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",cdata"`
}

// Atom writes f as Atom 1.0 (RFC 4287) with Media RSS for the image credit.
// Nothing is written if encoding fails.
func Atom(w io.Writer, f *Feed) error {
	c, err := resolve(f, urls.FeedAtom)
	if err != nil {
		return fmt.Errorf("feed: atom: %w", err)
	}
	doc := atomFeed{
		NS: nsAtom, NSMedia: nsMedia, Lang: c.Lang,
		ID:      c.SelfURL,
		Title:   atomText{Type: "text", Value: c.Title},
		Updated: c.Updated.Format(time.RFC3339),
		Links: []xmlLink{
			{Rel: "self", Type: "application/atom+xml", Href: c.SelfURL},
			{Rel: "alternate", Type: "text/html", Href: c.HomeURL},
		},
		// RFC 4287 wants an author on the feed unless every entry has one;
		// the publication is the author of the listing.
		Author:    atomPerson{Name: c.Publisher.Name, URI: c.Publisher.URL},
		Rights:    atomText{Type: "text", Value: c.Copyright},
		Generator: atomGen{Value: Generator},
		Logo:      c.LogoURL,
	}
	if c.Description != "" {
		doc.Subtitle = &atomText{Type: "text", Value: c.Description}
	}
	for _, e := range c.Entries {
		en := atomEntry{
			ID:    e.URL,
			Title: atomText{Type: "text", Value: e.Title},
			// RFC 4946: the entry's license.
			Links:     []xmlLink{{Rel: "alternate", Type: "text/html", Href: e.URL}, {Rel: "license", Href: licenseURL(e)}},
			Published: e.Published.Format(time.RFC3339),
			Updated:   e.Updated.Format(time.RFC3339),
			Content:   atomContent{Type: "html", Value: e.ContentHTML},
			Rights:    atomText{Type: "text", Value: e.Copyright},
			Media:     newMediaContent(e.Image),
			Free:      newAccessElem(e),
		}
		if e.Lang != c.Lang {
			en.Lang = e.Lang
		}
		if e.Summary != "" {
			en.Summary = &atomText{Type: "text", Value: e.Summary}
		}
		if im := e.Image; im != nil {
			en.Links = append(en.Links, xmlLink{Rel: "enclosure", Type: im.Type, Href: im.URL})
			if im.Credit != "" {
				en.Rights.Value += ". Image: " + im.Credit
			}
		}
		for _, a := range e.Authors {
			en.Authors = append(en.Authors, atomPerson{Name: a.Name, URI: a.URL})
		}
		for _, t := range e.Terms {
			en.Categories = append(en.Categories, atomCategory{Term: t.Term, Scheme: t.Scheme, Label: t.Label})
		}
		doc.Entries = append(doc.Entries, en)
	}
	var buf bytes.Buffer
	if err := encodeXML(&buf, doc); err != nil {
		return fmt.Errorf("feed: atom: %w", err)
	}
	return write(w, &buf, "atom")
}

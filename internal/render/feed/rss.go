package feed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"time"

	"folio/internal/urls"
)

// Namespaces used by the XML formats.
const (
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	nsMedia   = "http://search.yahoo.com/mrss/"
	// nsTerms is DCMI Metadata Terms, for dcterms:license: RSS has no
	// license element of its own.
	nsTerms = "http://purl.org/dc/terms/"
)

// encoding/xml writes a tag such as "dc:creator" literally, so prefixed
// elements are named that way and their namespaces declared on the root.

type rssDoc struct {
	XMLName   xml.Name   `xml:"rss"`
	Version   string     `xml:"version,attr"`
	NSAtom    string     `xml:"xmlns:atom,attr"`
	NSContent string     `xml:"xmlns:content,attr"`
	NSDC      string     `xml:"xmlns:dc,attr"`
	NSMedia   string     `xml:"xmlns:media,attr"`
	NSTerms   string     `xml:"xmlns:dcterms,attr"`
	Channel   rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	Copyright     string    `xml:"copyright"`
	LastBuildDate string    `xml:"lastBuildDate"`
	Generator     string    `xml:"generator"`
	Docs          string    `xml:"docs"`
	Self          xmlLink   `xml:"atom:link"`
	Image         *rssImage `xml:"image,omitempty"`
	Items         []rssItem `xml:"item"`
}

type xmlLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type rssImage struct {
	URL   string `xml:"url"`
	Title string `xml:"title"`
	Link  string `xml:"link"`
}

type rssItem struct {
	Title       string        `xml:"title"`
	Link        string        `xml:"link"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate"`
	Creators    []string      `xml:"dc:creator"`
	Categories  []rssCategory `xml:"category"`
	Description string        `xml:"description"`
	Content     cdata         `xml:"content:encoded"`
	Language    string        `xml:"dc:language,omitempty"`
	Rights      string        `xml:"dc:rights"`
	License     string        `xml:"dcterms:license"`
	Media       *mediaContent `xml:"media:content,omitempty"`
	Free        *accessElem   `xml:",omitempty"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssCategory struct {
	Domain string `xml:"domain,attr,omitempty"`
	Value  string `xml:",chardata"`
}

type cdata struct {
	Value string `xml:",cdata"`
}

// mediaContent is the Media RSS image element, used in RSS and Atom alike so
// readers find the credit in one place.
type mediaContent struct {
	URL         string       `xml:"url,attr"`
	Type        string       `xml:"type,attr,omitempty"`
	Medium      string       `xml:"medium,attr"`
	Width       int          `xml:"width,attr,omitempty"`
	Height      int          `xml:"height,attr,omitempty"`
	Description *mediaText   `xml:"media:description,omitempty"`
	Credit      *mediaCredit `xml:"media:credit,omitempty"`
}

type mediaText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

// mediaCredit names who made the image. The role is left out: a credit line
// such as "Reuters/Jane Doe" does not say whether it names a photographer,
// an agency or an illustrator.
type mediaCredit struct {
	Scheme string `xml:"scheme,attr"`
	Value  string `xml:",chardata"`
}

func newMediaContent(im *image) *mediaContent {
	if im == nil {
		return nil
	}
	m := &mediaContent{URL: im.URL, Type: im.Type, Medium: "image", Width: im.Width, Height: im.Height}
	if im.Caption != "" {
		m.Description = &mediaText{Type: "plain", Value: im.Caption}
	}
	if im.Credit != "" {
		m.Credit = &mediaCredit{Scheme: "urn:ebu", Value: im.Credit}
	}
	return m
}

// RSS writes f as RSS 2.0 with the content, Dublin Core and Media RSS
// modules. Nothing is written if encoding fails.
func RSS(w io.Writer, f *Feed) error {
	c, err := resolve(f, urls.FeedRSS)
	if err != nil {
		return fmt.Errorf("feed: rss: %w", err)
	}
	doc := rssDoc{
		Version: "2.0", NSAtom: nsAtom, NSContent: nsContent, NSDC: nsDC, NSMedia: nsMedia, NSTerms: nsTerms,
		Channel: rssChannel{
			Title:         c.Title,
			Link:          c.HomeURL,
			Description:   c.Description,
			Language:      c.Lang,
			Copyright:     c.Copyright,
			LastBuildDate: c.Updated.Format(time.RFC1123Z),
			Generator:     Generator,
			Docs:          "https://www.rssboard.org/rss-specification",
			Self:          xmlLink{Rel: "self", Type: "application/rss+xml", Href: c.SelfURL},
		},
	}
	if c.LogoURL != "" {
		doc.Channel.Image = &rssImage{URL: c.LogoURL, Title: c.Title, Link: c.HomeURL}
	}
	for _, e := range c.Entries {
		it := rssItem{
			Title:       e.Title,
			Link:        e.URL,
			GUID:        rssGUID{IsPermaLink: true, Value: e.URL},
			PubDate:     e.Published.Format(time.RFC1123Z),
			Description: e.Summary,
			Content:     cdata{e.ContentHTML},
			Rights:      e.Copyright,
			License:     licenseURL(e),
			Media:       newMediaContent(e.Image),
			Free:        newAccessElem(e),
		}
		if e.Lang != c.Lang {
			it.Language = e.Lang
		}
		for _, a := range e.Authors {
			it.Creators = append(it.Creators, a.Name)
		}
		for _, t := range e.Terms {
			it.Categories = append(it.Categories, rssCategory{Domain: t.Scheme, Value: t.Label})
		}
		doc.Channel.Items = append(doc.Channel.Items, it)
	}
	var buf bytes.Buffer
	if err := encodeXML(&buf, doc); err != nil {
		return fmt.Errorf("feed: rss: %w", err)
	}
	return write(w, &buf, "rss")
}

func encodeXML(buf *bytes.Buffer, v any) error {
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	buf.WriteByte('\n')
	return nil
}

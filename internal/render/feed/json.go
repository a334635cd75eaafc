package feed

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"folio/internal/urls"
)

// JSONVersion is the JSON Feed version Folio writes.
const JSONVersion = "https://jsonfeed.org/version/1.1"

type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url"`
	FeedURL     string       `json:"feed_url"`
	Description string       `json:"description,omitempty"`
	Icon        string       `json:"icon,omitempty"`
	Language    string       `json:"language,omitempty"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Items       []jsonItem   `json:"items"`
}

type jsonAuthor struct {
	Name   string `json:"name"`
	URL    string `json:"url,omitempty"`
	Avatar string `json:"avatar,omitempty"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	Title         string       `json:"title"`
	Summary       string       `json:"summary,omitempty"`
	ContentHTML   string       `json:"content_html"`
	Image         string       `json:"image,omitempty"`
	DatePublished string       `json:"date_published"`
	DateModified  string       `json:"date_modified"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
	Language      string       `json:"language,omitempty"`
	Folio         jsonFolio    `json:"_folio"`
}

// jsonFolio is the "_folio" extension: what a republisher needs to credit
// the piece, which JSON Feed has no fields for.
type jsonFolio struct {
	Copyright      string       `json:"copyright"`
	License        *jsonLicense `json:"license,omitempty"`
	ImageCredit    string       `json:"image_credit,omitempty"`
	ImageCreditURL string       `json:"image_credit_url,omitempty"`
	ImageCaption   string       `json:"image_caption,omitempty"`
	SourceURL      string       `json:"source_url,omitempty"`
	SourceName     string       `json:"source_name,omitempty"`
	// IsAccessibleForFree is false on members' articles, whose
	// content_html is the lede only (schema.org isAccessibleForFree);
	// absent on public ones. Access names the level.
	IsAccessibleForFree *bool  `json:"is_accessible_for_free,omitempty"`
	Access              string `json:"access,omitempty"`
}

type jsonLicense struct {
	Code string `json:"code"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// JSON writes f as JSON Feed 1.1 with the "_folio" item extension.
// Nothing is written if encoding fails.
func JSON(w io.Writer, f *Feed) error {
	c, err := resolve(f, urls.FeedJSON)
	if err != nil {
		return fmt.Errorf("feed: json: %w", err)
	}
	doc := jsonFeed{
		Version:     JSONVersion,
		Title:       c.Title,
		HomePageURL: c.HomeURL,
		FeedURL:     c.SelfURL,
		Description: c.Description,
		Language:    c.Lang,
		Authors:     []jsonAuthor{{Name: c.Publisher.Name, URL: c.Publisher.URL}},
		Items:       []jsonItem{}, // an empty feed has "items": [], not null
	}
	for _, e := range c.Entries {
		it := jsonItem{
			ID:            e.URL,
			URL:           e.URL,
			Title:         e.Title,
			Summary:       e.Summary,
			ContentHTML:   e.ContentHTML,
			DatePublished: e.Published.Format(time.RFC3339),
			DateModified:  e.Updated.Format(time.RFC3339),
			Language:      e.Lang,
			Folio: jsonFolio{
				Copyright:  e.Copyright,
				SourceURL:  e.SourceURL,
				SourceName: e.SourceName,
			},
		}
		if e.Gated {
			free := false
			it.Folio.IsAccessibleForFree, it.Folio.Access = &free, string(e.Access)
		}
		if l := e.License; l != nil {
			it.Folio.License = &jsonLicense{Code: l.Code, Name: l.Name, URL: l.URL}
		}
		if im := e.Image; im != nil {
			it.Image = im.URL
			it.Folio.ImageCredit = im.Credit
			it.Folio.ImageCreditURL = im.CreditURL
			it.Folio.ImageCaption = im.Caption
		}
		for _, a := range e.Authors {
			it.Authors = append(it.Authors, jsonAuthor(a))
		}
		for _, t := range e.Terms {
			it.Tags = append(it.Tags, t.Label)
		}
		doc.Items = append(doc.Items, it)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// The feed is served as JSON, never inlined in HTML, so content_html
	// stays readable instead of \u003c-escaped.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("feed: json: %w", err)
	}
	return write(w, &buf, "json")
}

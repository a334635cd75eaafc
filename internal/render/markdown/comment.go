package markdown

import (
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
)

// commentPolicy is the article policy's stricter sibling for what readers
// write: text formatting, quotes, lists, code and links, which are marked
// rel="nofollow ugc" so a comment cannot lend the site's rank to spam. No
// images, embeds, headings or ids.
var commentPolicy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "del")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return p
}()

var linkRE = regexp.MustCompile(`(?i)<a\s`)

// Comment renders a reader's Markdown to sanitized HTML: the same Markdown
// as articles, through the comment policy, so scripts, event handlers,
// styles, images and frames never survive. It returns the HTML and how many
// links it holds.
func Comment(source string) (string, int, error) {
	h, err := ToHTML(source)
	if err != nil {
		return "", 0, err
	}
	out := commentPolicy.Sanitize(h)
	out = strings.ReplaceAll(out, `rel="nofollow"`, `rel="nofollow ugc"`)
	return strings.TrimSpace(out), len(linkRE.FindAllString(out, -1)), nil
}

// SanitizeComment applies the comment policy to HTML from elsewhere
// (imported comments).
func SanitizeComment(h string) string {
	return strings.ReplaceAll(commentPolicy.Sanitize(h), `rel="nofollow"`, `rel="nofollow ugc"`)
}

package urls

// Search is the reader search page of lang; queries go in its query string.
func (b Builder) Search(lang string) string { return b.prefix(lang) + "/search/" }

// OpenSearch is the OpenSearch description document of the site.
func (b Builder) OpenSearch() string { return "/opensearch.xml" }

package content

import (
	"fmt"
	"time"
)

// CopyrightLine is the line that closes every article:
// "Copyright © {authors}, {publication}, {year}". Authors are omitted when the
// piece has none; the year is the year of first publication.
func CopyrightLine(authors []string, publication string, published time.Time) string {
	year := published.Year()
	if published.IsZero() {
		year = time.Now().UTC().Year()
	}
	if len(authors) == 0 {
		return fmt.Sprintf("Copyright © %s, %d", publication, year)
	}
	return fmt.Sprintf("Copyright © %s, %s, %d", JoinNames(authors), publication, year)
}

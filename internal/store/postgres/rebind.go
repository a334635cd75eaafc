package postgres

import (
	"strconv"
	"strings"
	"sync"
)

// rebinds caches numbered queries by their ? form: the store's queries are
// a fixed set plus the few shapes the filters build.
var rebinds sync.Map

// rebind numbers the ? placeholders of query as $1, $2 …, leaving string
// literals and quoted identifiers alone. No query of this package uses the
// jsonb ? operators, which would be mistaken for placeholders.
func rebind(query string) string {
	if v, ok := rebinds.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	out := b.String()
	rebinds.Store(query, out)
	return out
}

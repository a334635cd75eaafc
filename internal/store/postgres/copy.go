package postgres

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

// copyTable is one table a site move carries, in an order that satisfies
// the foreign keys, with the columns that order its rows.
type copyTable struct {
	name, orderBy string
}

// copyTables are every table of Folio's schema but the change log (events
// only matter to processes running now) and the job queue's (a move is made
// with the site stopped and its queue drained).
var copyTables = []copyTable{
	{"settings", "id"},
	{"authors", "id"},
	{"terms", "id"},
	{"media", "id"},
	{"media_variants", "media_id, format, width"},
	{"users", "id"},
	{"articles", "id"},
	{"article_authors", "article_id, author_id"},
	{"article_terms", "article_id, term_id"},
	{"article_translations", "article_id"},
	{"article_revisions", "id"},
	{"article_autosaves", "article_id, user_id"},
	{"redirects", "from_path"},
	{"tokens", "id"},
	{"sessions", "id"},
	{"login_attempts", "id"},
	{"one_time_tokens", "id"},
	{"audit_log", "id"},
	{"import_sources", "kind, source_id, entity_kind"},
	{"comments", "id"},
	{"translation_memory", "source_lang, target_lang, provider, source_hash"},
	{"translation_jobs", "id"},
	{"translation_notices", "id"},
	{"members", "id"},
	{"member_sessions", "id"},
	{"member_links", "hash"},
	{"reader_attempts", "kind, key, at"},
	{"comment_modes", "article_id"},
	{"newsletters", "id"},
	{"subscriptions", "member_id, newsletter_id"},
	{"newsletter_sends", "id"},
	{"newsletter_recipients", "send_id, member_id"},
}

// TableSum is one table's row count and checksum, computed the same way on
// either database: each value in a canonical text form (UTC times to the
// microsecond, booleans as 0 or 1, JSON re-encoded), rows in key order.
type TableSum struct {
	Table string
	Rows  int64
	Sum   string // hex SHA-256
}

// column is one column of a table as this database types it.
type column struct{ name, typ string }

func (db *DB) columns(ctx context.Context, table string) ([]column, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.name, &c.typ); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	if len(cols) == 0 && rows.Err() == nil {
		return nil, fmt.Errorf("table %s does not exist", table)
	}
	return cols, rows.Err()
}

// CopyFrom copies every table of a Folio database reached through src (an
// SQLite store's pool, say) into this one, which must be migrated and hold
// no content, in one transaction; then it moves the ID sequences past the
// copied rows. src must have the same schema version: the columns are
// taken from this database and selected by name from src.
func (db *DB) CopyFrom(ctx context.Context, src *sql.DB) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("store: copy: %w", err)
	}
	defer tx.rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM articles) + (SELECT COUNT(*) FROM authors)
		+ (SELECT COUNT(*) FROM terms) + (SELECT COUNT(*) FROM media) + (SELECT COUNT(*) FROM users)`).Scan(&n); err != nil {
		return fmt.Errorf("store: copy: %w", err)
	}
	if n > 0 {
		return content.Errorf(content.ECONFLICT, "the target database already holds a site: move into an empty one")
	}
	for _, t := range copyTables {
		cols, err := db.columns(ctx, t.name)
		if err != nil {
			return fmt.Errorf("store: copy %s: %w", t.name, err)
		}
		if err := copyRows(ctx, src, tx, t, cols); err != nil {
			return fmt.Errorf("store: copy %s: %w", t.name, err)
		}
	}
	if err := resetSequences(ctx, tx); err != nil {
		return fmt.Errorf("store: copy: %w", err)
	}
	return store.Wrap(tx.Commit(), "copy")
}

// copyBatch rows go into one INSERT: few round trips, and well under the
// 65,535 parameters PostgreSQL takes per statement.
const copyBatch = 200

func copyRows(ctx context.Context, src *sql.DB, tx *Tx, t copyTable, cols []column) error {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	list := strings.Join(names, ", ")
	rows, err := src.QueryContext(ctx, `SELECT `+list+` FROM `+t.name+` ORDER BY `+t.orderBy)
	if err != nil {
		return err
	}
	defer rows.Close()
	// Identity columns that are GENERATED ALWAYS would refuse explicit
	// values; Folio's copied tables use BY DEFAULT, so OVERRIDING is only a
	// guard.
	var args []any
	flush := func(k int) error {
		if k == 0 {
			return nil
		}
		var b strings.Builder
		b.WriteString(`INSERT INTO ` + t.name + ` (` + list + `) OVERRIDING SYSTEM VALUE VALUES `)
		for r := range k {
			if r > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(")
			for c := range cols {
				if c > 0 {
					b.WriteString(", ")
				}
				b.WriteString("?")
			}
			b.WriteString(")")
		}
		_, err := tx.tx.ExecContext(ctx, rebindUncached(b.String()), args...)
		args = args[:0]
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	k, row := 0, 0
	for rows.Next() {
		row++
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, c := range cols {
			v, err := toPostgres(vals[i], c.typ)
			if err != nil {
				return fmt.Errorf("row %d, column %s: %w", row, c.name, err)
			}
			args = append(args, v)
		}
		if k++; k == copyBatch {
			if err := flush(k); err != nil {
				return err
			}
			k = 0
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush(k)
}

// rebindUncached is rebind for statements built once per batch, which
// would only fill the cache.
func rebindUncached(q string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// toPostgres converts a value read from the source (SQLite stores times as
// RFC 3339 text and flags as integers) to what the target column takes.
func toPostgres(v any, typ string) (any, error) {
	if v == nil {
		return nil, nil
	}
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	switch typ {
	case "timestamp with time zone":
		switch t := v.(type) {
		case time.Time:
			return dbTime(t), nil
		case string:
			p, err := time.Parse(time.RFC3339Nano, t)
			if err != nil {
				return nil, fmt.Errorf("time %q is not RFC 3339", t)
			}
			return dbTime(p), nil
		}
	case "boolean":
		switch b := v.(type) {
		case bool:
			return b, nil
		case int64:
			return b != 0, nil
		}
	case "jsonb":
		if s, ok := v.(string); ok {
			if !json.Valid([]byte(s)) {
				return nil, fmt.Errorf("not valid JSON")
			}
			return s, nil
		}
	case "bigint", "integer":
		if n, ok := v.(int64); ok {
			return n, nil
		}
	case "text":
		if s, ok := v.(string); ok {
			return s, nil
		}
	default:
		return v, nil
	}
	return nil, fmt.Errorf("%T value %v does not fit a %s column", v, v, typ)
}

// Checksums returns the count and checksum of every copied table, read
// through q (this database's pool, or a source's) with the column types of
// this database.
func (db *DB) Checksums(ctx context.Context, q *sql.DB) ([]TableSum, error) {
	var out []TableSum
	for _, t := range copyTables {
		cols, err := db.columns(ctx, t.name)
		if err != nil {
			return nil, fmt.Errorf("store: checksum %s: %w", t.name, err)
		}
		s, err := checksum(ctx, q, q == db.db, t, cols)
		if err != nil {
			return nil, fmt.Errorf("store: checksum %s: %w", t.name, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func checksum(ctx context.Context, q *sql.DB, self bool, t copyTable, cols []column) (TableSum, error) {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	// The keys that order the rows are text or integers on both sides;
	// COLLATE "C" makes PostgreSQL's text order byte order, as SQLite's is.
	order := t.orderBy
	if self {
		keys := strings.Split(t.orderBy, ", ")
		for i, k := range keys {
			for _, c := range cols {
				if c.name == k && c.typ == "text" {
					keys[i] = k + ` COLLATE "C"`
				}
			}
		}
		order = strings.Join(keys, ", ")
	}
	rows, err := q.QueryContext(ctx, `SELECT `+strings.Join(names, ", ")+` FROM `+t.name+` ORDER BY `+order)
	if err != nil {
		return TableSum{}, err
	}
	defer rows.Close()
	h := sha256.New()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return TableSum{}, err
		}
		for i, c := range cols {
			s, err := canonical(vals[i], c.typ)
			if err != nil {
				return TableSum{}, fmt.Errorf("row %d, column %s: %w", n+1, c.name, err)
			}
			h.Write([]byte(s))
			h.Write([]byte{0})
		}
		h.Write([]byte{'\n'})
		n++
	}
	if err := rows.Err(); err != nil {
		return TableSum{}, err
	}
	return TableSum{Table: t.name, Rows: n, Sum: hex.EncodeToString(h.Sum(nil))}, nil
}

// canonical renders a value of a column of type typ the same way whichever
// database it was read from.
func canonical(v any, typ string) (string, error) {
	if v == nil {
		return "\x01NULL", nil
	}
	conv, err := toPostgres(v, typ)
	if err != nil {
		return "", err
	}
	switch x := conv.(type) {
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05.000000Z"), nil
	case bool:
		if x {
			return "1", nil
		}
		return "0", nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case string:
		if typ == "jsonb" {
			var j any
			if err := json.Unmarshal([]byte(x), &j); err != nil {
				return "", err
			}
			b, err := json.Marshal(j) // map keys sorted, no spacing
			return string(b), err
		}
		return x, nil
	}
	return fmt.Sprint(conv), nil
}
